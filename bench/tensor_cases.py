"""Cases on the tensor engine: training steps of MLPs, ours against PyTorch CPU, JAX, tinygrad and NumPy.

3. MLP 784-256-128-10 (ReLU), batch 128, cross-entropy, Adam, float32: GEMM-bound; the same
   network at batch 1, 32 and 1024 (from overhead-bound to GEMM-bound).
4. MLP 2-16-16-1 (ReLU), batch 100, mean squared error, Adam, float32: overhead-bound.

Every contender starts from the same weights; the first step is checked (loss and every grad
agree to float32 accuracy) before any timing. A step is forward, loss, zero_grad, backward and
the Adam update. JAX compiles the whole step (``jax.jit``, buffers donated so it updates in
place) and tinygrad captures it (``TinyJit``): each then runs as one compiled program per step.
The GEMM floor is the step's matrix-multiply FLOPs over the machine's best float32 GEMM rate:
no implementation can beat it by much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .report import NOT_INSTALLED, Row
from .scalar_cases import moons
from .timing import machine_gemm_rate, time_paired

LEARNING_RATE = 1e-3
BETAS = (0.9, 0.999)
EPS = 1e-8
#: float32 results of different libraries agree to about this, relative to the largest entry.
FLOAT32_TOLERANCE = 1e-4


@dataclass
class Problem:
    """One benchmark problem: layer sizes, a fixed batch and its targets, and the loss."""

    sizes: list[int]
    inputs: np.ndarray  # (batch, sizes[0]) float32
    targets: np.ndarray  # class labels (batch,) for cross-entropy, values (batch, 1) for MSE
    loss: str  # "cross_entropy" or "mse"

    def initial_weights(self, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weight (out × in), bias (out,)) per layer, float32, Xavier-uniform-like; biases small but nonzero."""
        rng = np.random.default_rng(seed)
        layers = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            limit = np.sqrt(6.0 / (n_in + n_out))
            weight = rng.uniform(-limit, limit, (n_out, n_in)).astype(np.float32)
            bias = rng.uniform(-0.1, 0.1, n_out).astype(np.float32)
            layers.append((weight, bias))
        return layers

    def gemm_flops(self) -> float:
        """Matrix-multiply FLOPs of one step: forward, grads of the weights, grads of the hidden inputs."""
        batch = self.inputs.shape[0]
        products = [n_in * n_out for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        forward = 2 * batch * sum(products)
        weight_grads = 2 * batch * sum(products)
        input_grads = 2 * batch * sum(products[1:])  # the data itself needs no grad
        return float(forward + weight_grads + input_grads)


# ---------------------------------------------------------------------- the three contenders
class OurStep:
    """retrograd: ``nn.tensor_mlp`` of ``Linear`` + ``ReLU``, ``nn`` loss, ``nn.optim.Adam``."""

    def __init__(self, problem: Problem, weights: list) -> None:
        import nn
        from autograd import Tensor
        from nn.optim import Adam

        self.model = nn.tensor_mlp(problem.sizes[0], problem.sizes[1:], activation="relu", seed=0)
        self.linears = [module for module in self.model.modules() if isinstance(module, nn.Linear)]
        for layer, (weight, bias) in zip(self.linears, weights, strict=True):
            layer.weight.data[...] = weight
            layer.bias.data[...] = bias
        self.optimizer = Adam(self.model.parameters(), lr=LEARNING_RATE, betas=BETAS, eps=EPS)
        self.loss_function = nn.cross_entropy if problem.loss == "cross_entropy" else nn.mse_loss
        # Made once, as every contender makes its input array once (PyTorch's from_numpy, JAX's asarray).
        self.inputs, self.targets = Tensor(problem.inputs), problem.targets

    def step(self) -> float:
        loss = self.loss_function(self.model(self.inputs), self.targets)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def grads(self) -> list[np.ndarray]:
        return [g for layer in self.linears for g in (layer.weight.grad, layer.bias.grad)]


class TorchStep:
    """PyTorch CPU: ``torch.nn.Sequential`` of ``Linear`` + ``ReLU``, its loss, ``torch.optim.Adam``."""

    def __init__(self, torch, problem: Problem, weights: list) -> None:
        self.torch = torch
        modules = []
        for i, (weight, bias) in enumerate(weights):
            layer = torch.nn.Linear(weight.shape[1], weight.shape[0], dtype=torch.float32)
            with torch.no_grad():
                layer.weight.copy_(torch.from_numpy(weight))
                layer.bias.copy_(torch.from_numpy(bias))
            modules.append(layer)
            if i < len(weights) - 1:
                modules.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*modules)
        self.linears = modules[::2]
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=LEARNING_RATE, betas=BETAS, eps=EPS)
        self.inputs = torch.from_numpy(problem.inputs)
        self.targets = torch.from_numpy(problem.targets)
        functional = torch.nn.functional
        self.loss_function = functional.cross_entropy if problem.loss == "cross_entropy" else functional.mse_loss

    def step(self) -> float:
        loss = self.loss_function(self.model(self.inputs), self.targets)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def grads(self) -> list[np.ndarray]:
        return [p.grad.numpy() for layer in self.linears for p in (layer.weight, layer.bias)]


class NumpyStep:
    """The same network written out by hand in NumPy: forward, backward and Adam, no graph at all."""

    def __init__(self, problem: Problem, weights: list) -> None:
        self.weights = [w.copy() for w, _ in weights]
        self.biases = [b.copy() for _, b in weights]
        self.params = [p for pair in zip(self.weights, self.biases) for p in pair]
        self.exp_avg = [np.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]
        self.steps = 0
        self.inputs, self.targets, self.loss = problem.inputs, problem.targets, problem.loss
        self.last_grads: list[np.ndarray] = []

    def _loss_and_output_grad(self, output: np.ndarray) -> tuple[float, np.ndarray]:
        batch = output.shape[0]
        if self.loss == "mse":
            difference = output - self.targets
            return float((difference * difference).mean()), difference * (2.0 / difference.size)
        shifted = output - output.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        rows = np.arange(batch)
        loss = float(np.log(sums[:, 0]).mean() - shifted[rows, self.targets].mean())
        grad = exps / sums
        grad[rows, self.targets] -= 1.0
        grad *= 1.0 / batch
        return loss, grad

    def step(self) -> float:
        activations = [self.inputs]
        last = len(self.weights) - 1
        for i, (weight, bias) in enumerate(zip(self.weights, self.biases)):
            z = activations[-1] @ weight.T + bias
            activations.append(np.maximum(z, 0.0) if i < last else z)
        loss, grad = self._loss_and_output_grad(activations[-1])
        grads = []
        for i in range(last, -1, -1):
            grads[:0] = [grad.T @ activations[i], grad.sum(axis=0)]
            if i > 0:
                grad = (grad @ self.weights[i]) * (activations[i] > 0)
        self.last_grads = grads
        self._adam(grads)
        return loss

    def _adam(self, grads: list[np.ndarray]) -> None:
        self.steps += 1
        beta1, beta2 = BETAS
        step_size = LEARNING_RATE / (1.0 - beta1**self.steps)
        root_correction = math.sqrt(1.0 - beta2**self.steps)  # a Python float keeps the arrays float32
        for p, g, m, v in zip(self.params, grads, self.exp_avg, self.exp_avg_sq):
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            v += (1.0 - beta2) * g * g
            p -= step_size * m / (np.sqrt(v) / root_correction + EPS)

    def grads(self) -> list[np.ndarray]:
        return self.last_grads


class JaxStep:
    """JAX on the CPU: the same network and Adam as pure functions, the whole step one ``jax.jit`` program."""

    def __init__(self, jax, problem: Problem, weights: list) -> None:
        import jax.numpy as jnp

        self.params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in weights]
        self.exp_avg = jax.tree_util.tree_map(jnp.zeros_like, self.params)
        self.exp_avg_sq = jax.tree_util.tree_map(jnp.zeros_like, self.params)
        self.steps = 0
        inputs, targets = jnp.asarray(problem.inputs), jnp.asarray(problem.targets)
        cross_entropy = problem.loss == "cross_entropy"
        beta1, beta2 = BETAS

        def loss_of(params):
            h = inputs
            for i, (weight, bias) in enumerate(params):
                h = h @ weight.T + bias
                if i < len(params) - 1:
                    h = jax.nn.relu(h)
            if cross_entropy:
                log_probs = jax.nn.log_softmax(h, axis=1)
                return -jnp.take_along_axis(log_probs, targets[:, None], axis=1).mean()
            difference = h - targets
            return (difference * difference).mean()

        def step(params, exp_avg, exp_avg_sq, t):
            loss, grads = jax.value_and_grad(loss_of)(params)
            tree_map = jax.tree_util.tree_map
            exp_avg = tree_map(lambda m, g: beta1 * m + (1 - beta1) * g, exp_avg, grads)
            exp_avg_sq = tree_map(lambda v, g: beta2 * v + (1 - beta2) * g * g, exp_avg_sq, grads)
            step_size = LEARNING_RATE / (1 - beta1**t)
            root_correction = jnp.sqrt(1 - beta2**t)
            params = tree_map(lambda p, m, v: p - step_size * m / (jnp.sqrt(v) / root_correction + EPS),
                              params, exp_avg, exp_avg_sq)
            return params, exp_avg, exp_avg_sq, loss, grads

        # Donated: XLA may write the new weights and averages over the old ones, as the others update in place.
        self._step = jax.jit(step, donate_argnums=(0, 1, 2))
        self.last_grads: list = []

    def step(self) -> float:
        self.steps += 1
        self.params, self.exp_avg, self.exp_avg_sq, loss, grads = self._step(
            self.params, self.exp_avg, self.exp_avg_sq, float(self.steps))
        self.last_grads = grads
        return float(loss)

    def grads(self) -> list[np.ndarray]:
        return [np.asarray(g) for pair in self.last_grads for g in pair]


class TinygradStep:
    """tinygrad: the same network, its loss and ``tinygrad.nn.optim.Adam``, the step captured by ``TinyJit``."""

    def __init__(self, tinygrad, problem: Problem, weights: list) -> None:
        from tinygrad.helpers import Context
        from tinygrad.nn.optim import Adam

        tensor = tinygrad.Tensor
        self.params = [(tensor(w.copy()), tensor(b.copy())) for w, b in weights]
        self.flat = [t for pair in self.params for t in pair]
        tensor.realize(*self.flat)
        inputs = tensor(problem.inputs).is_param_(False)
        if problem.loss == "cross_entropy":
            targets = tensor(problem.targets.astype(np.int32)).is_param_(False)
        else:
            targets = tensor(problem.targets).is_param_(False)
        cross_entropy = problem.loss == "cross_entropy"
        optimizer = Adam(self.flat, lr=LEARNING_RATE, b1=BETAS[0], b2=BETAS[1], eps=EPS)

        def step():
            h = inputs
            for i, (weight, bias) in enumerate(self.params):
                h = h.matmul(weight.T) + bias
                if i < len(self.params) - 1:
                    h = h.relu()
            if cross_entropy:
                loss = h.sparse_categorical_crossentropy(targets)
            else:
                difference = h - targets
                loss = (difference * difference).mean()
            optimizer.zero_grad()
            loss.backward()
            return loss.realize(*[t.grad for t in self.flat], *optimizer.schedule_step())

        self._training = Context(TRAINING=1)  # tinygrad's optimisers refuse to step outside training
        self._step = tinygrad.TinyJit(step)

    def step(self) -> float:
        with self._training:
            return self._step().item()

    def grads(self) -> list[np.ndarray]:
        return [t.grad.numpy() for t in self.flat]


# ---------------------------------------------------------------------- measuring
def _worst_difference(ours: list[np.ndarray], theirs: list[np.ndarray]) -> float:
    """Largest |ours - theirs| over every array, relative to the largest |theirs| of that array."""
    worst = 0.0
    for a, b in zip(ours, theirs, strict=True):
        scale = max(float(np.abs(b).max()), 1e-30)
        worst = max(worst, float(np.abs(np.asarray(a, np.float64) - b).max()) / scale)
    return worst


def _import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def _import_jax():
    try:
        import jax
    except ImportError:
        return None
    return jax


def _import_tinygrad():
    """tinygrad, or a reason it cannot run here: its CPU device compiles kernels with clang."""
    try:
        import tinygrad
    except ImportError:
        return NOT_INSTALLED
    try:
        tinygrad.Tensor([1.0, 2.0]).sum().item()
    except Exception as error:  # noqa: BLE001 - any failure to run means the peer is not usable here
        return f"not usable ({type(error).__name__}: {str(error)[:60]})"
    return tinygrad


def _contenders(problem: Problem, weights: list) -> tuple[dict, dict[str, str]]:
    """Every contender that can run here, and for each peer that cannot, why ("not installed", ...)."""
    contenders = {"ours": OurStep(problem, weights), "NumPy": NumpyStep(problem, weights)}
    missing = {}
    torch = _import_torch()
    if torch is None:
        missing["PyTorch"] = NOT_INSTALLED
    else:
        contenders["PyTorch"] = TorchStep(torch, problem, weights)
    jax = _import_jax()
    if jax is None:
        missing["JAX"] = NOT_INSTALLED
    else:
        contenders["JAX"] = JaxStep(jax, problem, weights)
    tinygrad = _import_tinygrad()
    if isinstance(tinygrad, str):
        missing["tinygrad"] = tinygrad
    else:
        contenders["tinygrad"] = TinygradStep(tinygrad, problem, weights)
    return contenders, missing


def measure(problem: Problem, case: str, quick: bool, steps_per_repeat: int, targets: dict[str, float],
            target_vs_floor: float | None = None) -> list[Row]:
    """Check the first step of every contender against ours, then time ``steps_per_repeat`` steps per repeat.

    ``targets`` maps a peer to the largest ratio ours/peer aimed at (``{"PyTorch": 1.0}``).
    """
    weights = problem.initial_weights()
    contenders, missing = _contenders(problem, weights)
    losses = {name: contender.step() for name, contender in contenders.items()}
    worst = 0.0
    for name, contender in contenders.items():
        if name != "ours":
            worst = max(worst, abs(losses["ours"] - losses[name]) / max(abs(losses[name]), 1e-30))
            worst = max(worst, _worst_difference(contenders["ours"].grads(), contender.grads()))
    checked = ", ".join(name for name in contenders if name != "ours")

    if quick:
        steps_per_repeat, repeats = 2, 1
    else:
        repeats = 7

    def repeat_steps(contender):
        def run() -> None:
            for _ in range(steps_per_repeat):
                contender.step()
        return run

    # The warm-up runs a whole repeat: JAX compiles on its first call, tinygrad captures on its second.
    timings = time_paired({name: repeat_steps(c) for name, c in contenders.items()}, repeats)
    per_step_ms = {name: 1e3 * timings.median(name) / steps_per_repeat for name in contenders}
    peers: dict[str, float | str] = dict(missing)
    ratios = {}
    for name in contenders:
        if name != "ours":
            peers[name] = per_step_ms[name]
            ratios[name] = timings.ratio("ours", name)
    floor_ms = 1e3 * problem.gemm_flops() / machine_gemm_rate(quick)
    verdicts = [(f"≤ {limit}× {peer}", ratios[peer] <= limit if peer in ratios else None)
                for peer, limit in targets.items()]
    rows = [
        Row(
            case,
            "ms",
            per_step_ms["ours"],
            peers=peers,
            ratios=ratios,
            floor=floor_ms,
            target=verdicts[0][0],
            met=verdicts[0][1],
            more_targets=verdicts[1:],
            check=f"first step: loss and {len(weights) * 2} grads = {checked}'s (worst rel. diff {worst:.1e})",
            passed=worst <= FLOAT32_TOLERANCE,
        )
    ]
    if target_vs_floor is not None:
        over_floor = per_step_ms["ours"] / floor_ms
        rows.append(
            Row(
                f"{case.split(',')[0]}: ours / GEMM floor",
                "×",
                over_floor,
                target=f"≤ {target_vs_floor}×",
                met=over_floor <= target_vs_floor,
            )
        )
    return rows


def _mlp_784_problem(batch: int, seed: int = 3) -> Problem:
    rng = np.random.default_rng(seed)
    return Problem(
        sizes=[784, 256, 128, 10],
        inputs=rng.random((batch, 784), dtype=np.float32),
        targets=rng.integers(0, 10, batch),
        loss="cross_entropy",
    )


#: The other batch sizes of case 3, the steps timed per repeat, and the targets ours/peer.
OTHER_BATCHES = {
    1: (20, {"PyTorch": 1.0, "JAX": 1.5}),
    32: (20, {"PyTorch": 1.0, "JAX": 1.5}),
    1024: (4, {"PyTorch": 1.0}),
}


def mlp_784(quick: bool = False) -> list[Row]:
    """Case 3: MLP 784-256-128-10, batch 128, cross-entropy, Adam, float32; then batch 1, 32 and 1024."""
    case = "3 tensor MLP 784-256-128-10, batch 128, CE, Adam, float32 (per step)"
    rows = measure(_mlp_784_problem(128), case, quick, steps_per_repeat=20,
                   targets={"PyTorch": 1.0, "JAX": 1.1}, target_vs_floor=1.5)
    for batch, (steps, targets) in OTHER_BATCHES.items():
        case = f"3 tensor MLP 784-256-128-10, batch {batch:,} (per step)"
        rows += measure(_mlp_784_problem(batch), case, quick, steps_per_repeat=steps, targets=targets)
    return rows


def mlp_2(quick: bool = False) -> list[Row]:
    """Case 4: MLP 2-16-16-1 on 100 moons points, mean squared error, Adam, float32."""
    points, labels = moons(100)
    problem = Problem(
        sizes=[2, 16, 16, 1],
        inputs=np.asarray(points, dtype=np.float32),
        targets=np.asarray(labels, dtype=np.float32).reshape(-1, 1),
        loss="mse",
    )
    case = "4 tensor MLP 2-16-16-1, batch 100, MSE, Adam, float32 (per step)"
    return measure(problem, case, quick, steps_per_repeat=200, targets={"PyTorch": 0.5, "NumPy": 1.25})
