"""Optimisers: how a parameter moves once backprop has filled in its gradient.

Every optimiser here reads only ``p.data`` and ``p.grad`` and writes only ``p.data``, so the same
class trains a scalar-engine MLP (each parameter a ``Value``: ``data`` a float, ``grad`` a float)
and a tensor-engine model (each parameter a ``Tensor``: ``data`` an array updated in place,
``grad`` an array or ``None``, in which case the parameter is skipped, as in PyTorch).

The update rules are written once, on NumPy arrays (``_update``). Scalar parameters are packed
into one array, updated with the same rule and written back: the rules are element-wise, so
this gives exactly the per-number update, at NumPy speed.

The names, arguments and arithmetic follow ``torch.optim``, and the tests check every optimiser
against PyTorch step by step, so what is learnt here transfers.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograd import enable_grad, is_node

from .adam_update import adam_update

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "LBFGS"]

# The key under which the packed state of all scalar (Value) parameters is kept.
_SCALARS = "scalars"


# ---------------------------------------------------------------------- checks of hyperparameters
def _check_positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _check_non_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_fraction(name: str, value: float) -> float:
    """A decay rate: in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def _is_array_parameter(p: Any) -> bool:
    """A parameter whose data is an array, updated in place (a Tensor), rather than one number (a Value).

    The question is about the data, not the engine: an optimiser reads only ``.data`` and
    ``.grad``, so any object holding them can be a parameter.
    """
    return isinstance(p.data, np.ndarray)


def _check_params(params: Any) -> list:
    """Turn ``params`` into a list, with a clear error for the usual mistakes."""
    if callable(getattr(params, "parameters", None)):
        raise TypeError("params must be an iterable of parameters: pass model.parameters(), not the model")
    if callable(params) and not hasattr(params, "__iter__"):
        raise TypeError("params must be an iterable of parameters; did you pass model.parameters without ()?")
    if is_node(params):
        raise TypeError("params must be an iterable of parameters, got a single parameter: wrap it in a list")
    try:
        params = list(params)
    except TypeError:
        raise TypeError(f"params must be an iterable of parameters, got {type(params).__name__}") from None
    if not params:
        raise ValueError("optimizer got an empty parameter list")
    seen: set[int] = set()
    for index, p in enumerate(params):
        if not (hasattr(p, "data") and hasattr(p, "grad")):
            raise TypeError(f"parameter {index} has no .data and .grad ({type(p).__name__}): pass Values or Tensors")
        if _is_array_parameter(p):
            if not np.issubdtype(p.data.dtype, np.floating):
                raise TypeError(f"parameter {index} holds {p.data.dtype} data; parameters must be floating point")
        elif not isinstance(p.data, numbers.Real):
            raise TypeError(f"parameter {index} has data of type {type(p.data).__name__}; expected a float or an array")
        if id(p) in seen:
            raise ValueError(f"parameter {index} appears more than once in the parameter list")
        seen.add(id(p))
    return params


# ---------------------------------------------------------------------- the base class
def _scratch(state: dict[str, Any], like: np.ndarray) -> np.ndarray:
    """A work array shaped like ``like``, kept in ``state`` so that steps do not allocate memory."""
    scratch = state.get("_scratch")
    if scratch is None or scratch.shape != like.shape or scratch.dtype != like.dtype:
        scratch = state["_scratch"] = np.empty_like(like)
    return scratch


class Optimizer:
    """Base class: keeps the parameters, the learning rate ``lr`` and each parameter's state.

    Subclasses write ``_update(data, grad, state)``: change the array ``data`` in place given
    its gradient ``grad`` and a dict ``state`` of running averages that persists between steps.
    """

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        self.params = _check_params(params)
        self._lr = _check_positive("lr", lr)
        self._array_params = [(i, p) for i, p in enumerate(self.params) if _is_array_parameter(p)]
        self._scalar_params = [p for p in self.params if not _is_array_parameter(p)]
        # state[i] belongs to array parameter i; state["scalars"] to all scalar parameters, packed.
        self.state: dict[int | str, dict[str, Any]] = {}
        self.step_count = 0

    @property
    def lr(self) -> float:
        """The learning rate used by the next ``step()``; schedules change it."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        # A schedule may reach exactly 0 (cosine annealing with eta_min=0); negatives are always wrong.
        self._lr = _check_non_negative("lr", value)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next backward pass.

        Scalar parameters get ``grad = 0.0``. Array parameters get ``grad = None`` (as in PyTorch,
        so a parameter that takes no part in the next loss is skipped), or an array of zeros
        when ``set_to_none=False``.
        """
        for p in self._scalar_params:
            p.grad = 0.0
        for _, p in self._array_params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        """Move every parameter that has a gradient one step."""
        self.step_count += 1
        for index, p in self._array_params:
            if p.grad is None:
                continue
            grad = np.asarray(p.grad)
            if grad.shape != p.data.shape:
                raise ValueError(f"parameter {index}: grad shape {grad.shape} does not match data shape {p.data.shape}")
            data = p.data
            self._update(data, grad, self.state.setdefault(index, {}))
            p.data = data  # assigned back: a Tensor counts the change (a graph built before refuses backward)
        if self._scalar_params:
            scalars = self._scalar_params
            data = np.fromiter((p.data for p in scalars), dtype=np.float64, count=len(scalars))
            grad = np.fromiter((p.grad for p in scalars), dtype=np.float64, count=len(scalars))
            self._update(data, grad, self.state.setdefault(_SCALARS, {}))
            for p, new_value in zip(scalars, data.tolist()):
                p.data = new_value

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        raise NotImplementedError

    #: The attributes that hold this optimiser's settings, shown by ``repr`` and saved by ``state_dict``.
    hyperparameter_names: tuple[str, ...] = ("lr",)

    def hyperparameters(self) -> dict[str, Any]:
        """The settings of this optimiser (learning rate included), by name."""
        return {name: getattr(self, name) for name in self.hyperparameter_names}

    def state_dict(self) -> dict[str, Any]:
        """A copy of the hyperparameters and the per-parameter state, for checkpoints."""
        state = {key: {name: value for name, value in entry.items() if not name.startswith("_")}
                 for key, entry in self.state.items()}  # work arrays ("_scratch") are not state
        return {
            "hyperparameters": self.hyperparameters(),
            "state": copy.deepcopy(state),
            "step_count": self.step_count,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` returned (for an optimiser over the same parameters).

        Everything is checked first (``_check_state_dict``), so a state that does not fit leaves
        the optimiser unchanged.
        """
        self._check_state_dict(state_dict)
        for name, value in state_dict["hyperparameters"].items():
            setattr(self, name, value)
        self.state = copy.deepcopy(state_dict["state"])
        self.step_count = state_dict.get("step_count", 0)

    def _check_state_dict(self, state_dict: Any) -> None:
        """Refuse a state dict that is not one of this optimiser's: its layout, settings and state entries."""
        if not isinstance(state_dict, Mapping) or not {"hyperparameters", "state"} <= set(state_dict):
            raise TypeError("load_state_dict takes what state_dict() returned: a dict with 'hyperparameters' and "
                            f"'state', got {type(state_dict).__name__}")
        unknown = sorted(set(state_dict["hyperparameters"]) - set(self.hyperparameter_names))
        if unknown:
            raise ValueError(f"{type(self).__name__} has no setting {unknown}; its settings are "
                             f"{list(self.hyperparameter_names)}")
        self._check_state(state_dict["state"])

    def _check_state(self, state: Mapping[Any, dict[str, Any]]) -> None:
        """Each entry must belong to a parameter, its arrays shaped like that parameter."""
        for key, entry in state.items():
            if key == _SCALARS:
                expected: tuple = (len(self._scalar_params),)
            elif isinstance(key, int) and 0 <= key < len(self.params) and _is_array_parameter(self.params[key]):
                expected = self.params[key].data.shape
            else:
                raise ValueError(f"state entry {key!r} does not belong to any parameter of this optimizer")
            for name, value in entry.items():
                if isinstance(value, np.ndarray) and value.shape != expected:
                    raise ValueError(f"state {name!r} of parameter {key!r} has shape {value.shape}, not {expected}")

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


# ---------------------------------------------------------------------- SGD
class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (heavy ball or Nesterov) and L2 decay.

    With ``g`` the gradient (plus ``weight_decay * w``) and ``b`` the momentum buffer::

        b ← g                                 on the first step
        b ← momentum·b + (1 - dampening)·g    afterwards
        w ← w - lr·b                          (heavy ball)
        w ← w - lr·(g + momentum·b)           (Nesterov)
    """

    hyperparameter_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_non_negative("momentum", momentum)
        self.dampening = _check_non_negative("dampening", dampening)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("nesterov momentum needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        if self.momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad.astype(data.dtype, copy=True)
            else:
                buffer *= self.momentum
                buffer += grad if self.dampening == 0 else (1.0 - self.dampening) * grad
            grad = grad + self.momentum * buffer if self.nesterov else buffer
        step = np.multiply(grad, self.lr, out=_scratch(state, data))
        data -= step


# ---------------------------------------------------------------------- RMSprop
class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of that parameter's recent gradients.

    ``s ← alpha·s + (1 - alpha)·g²``; the step is ``lr·g / (√s + eps)``. ``centered`` subtracts
    the square of the running mean gradient ``m`` first (``√(s - m²)``: a variance estimate),
    and ``momentum`` keeps a buffer ``b ← momentum·b + g / (√s + eps)`` and steps by ``lr·b``.
    """

    hyperparameter_names = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = _check_fraction("alpha", alpha)
        self.eps = _check_non_negative("eps", eps)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self.momentum = _check_non_negative("momentum", momentum)
        self.centered = bool(centered)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(data)
            if self.centered:
                state["grad_avg"] = np.zeros_like(data)
            if self.momentum:
                state["momentum_buffer"] = np.zeros_like(data)
        state["step"] += 1
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        square_avg = state["square_avg"]
        square_avg *= self.alpha
        square_avg += (1.0 - self.alpha) * grad * grad
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg += (1.0 - self.alpha) * (grad - grad_avg)
            denominator = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            denominator = np.sqrt(square_avg)
        denominator += self.eps
        if self.momentum:
            buffer = state["momentum_buffer"]
            buffer *= self.momentum
            buffer += grad / denominator
            data -= self.lr * buffer
        else:
            data -= self.lr * (grad / denominator)


# ---------------------------------------------------------------------- Adam and AdamW
class Adam(Optimizer):
    """Adam: momentum (a running mean ``m`` of gradients) scaled by a running mean ``v`` of their squares.

    At step ``t``, with ``g`` the gradient (plus ``weight_decay * w``, the L2 penalty's gradient)::

        m ← β1·m + (1 - β1)·g
        v ← β2·v + (1 - β2)·g²
        w ← w - lr/(1 - β1ᵗ) · m / (√v / √(1 - β2ᵗ) + eps)

    The divisions by ``1 - βᵗ`` undo the bias of ``m`` and ``v`` starting at zero. ``amsgrad``
    uses the largest ``v`` seen so far, so the step never grows back. The element-wise work is
    ``nn.adam_update``: NumPy's passes, or one loop compiled by Numba when it is installed (the
    same numbers).
    """

    _decoupled_weight_decay = False

    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "amsgrad")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_fraction("betas[0]", betas[0]), _check_fraction("betas[1]", betas[1]))
        self.eps = _check_non_negative("eps", eps)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(data)
            state["exp_avg_sq"] = np.zeros_like(data)
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(data)
        state["step"] += 1
        step = state["step"]

        if self.weight_decay:
            if self._decoupled_weight_decay:
                data *= 1.0 - self.lr * self.weight_decay  # AdamW: shrink the weights directly
            else:
                grad = grad + self.weight_decay * data  # Adam: add the L2 penalty's gradient

        # lr/(1 - β1ᵗ) · m / (√v/√(1 - β2ᵗ) + eps) with √(1 - β2ᵗ) moved out of the division, as the
        # Adam paper arranges it: lr·√(1 - β2ᵗ)/(1 - β1ᵗ) · m / (√v + eps·√(1 - β2ᵗ)), one pass fewer.
        # The passes work in place, in one scratch array kept between steps: a large layer then costs
        # no fresh allocations per step (they were half of a 784-256-128-10 MLP's step).
        root_bias_correction2 = math.sqrt(1.0 - beta2**step)
        adam_update(data, grad, state["exp_avg"], state["exp_avg_sq"], lambda: _scratch(state, data), beta1, beta2,
                    eps_added=self._eps_added_to_root_v(root_bias_correction2),
                    step_size=self.lr * root_bias_correction2 / (1.0 - beta1**step),
                    max_exp_avg_sq=state["max_exp_avg_sq"] if self.amsgrad else None)

    def _eps_added_to_root_v(self, root_bias_correction2: float) -> float:
        """The number added to √v in the step above: eps·√(1 - β2ᵗ), which is ``eps`` added to √v̂."""
        return self.eps * root_bias_correction2


class AdamW(Adam):
    """Adam with *decoupled* weight decay: ``w ← w·(1 - lr·weight_decay)`` before the Adam step.

    In plain Adam an L2 penalty's gradient is divided by ``√v`` like every other gradient, so
    weights with large gradients are barely decayed; AdamW decays every weight at the same rate.
    """

    _decoupled_weight_decay = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)


# ---------------------------------------------------------------------- L-BFGS
class LBFGS(Optimizer):
    """Limited-memory BFGS, for small full-batch problems: ``step(closure)`` as in PyTorch.

    Newton's method steps by ``-H⁻¹g``; L-BFGS estimates ``H⁻¹g`` from the last ``history_size``
    pairs (step taken ``s``, change of gradient ``y``) with the two-loop recursion, without ever
    forming a matrix. One ``step`` runs up to ``max_iter`` iterations, each re-evaluating the
    loss through ``closure`` (which must clear the gradients, compute the loss, call
    ``backward()`` and return the loss). With ``line_search_fn="strong_wolfe"`` each step length
    is chosen to satisfy the strong Wolfe conditions; otherwise it is ``lr``.

    The iteration, its stopping rules and the line search follow ``torch.optim.LBFGS`` so the two
    give the same iterates.
    """

    hyperparameter_names = (
        "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn",
    )

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        super().__init__(params, lr)
        if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if isinstance(max_eval, bool) or not isinstance(max_eval, int) or max_eval < 1:
            raise ValueError(f"max_eval must be a positive integer, got {max_eval!r}")
        if isinstance(history_size, bool) or not isinstance(history_size, int) or history_size < 1:
            raise ValueError(f"history_size must be a positive integer, got {history_size!r}")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        self.max_iter = max_iter
        self.max_eval = max_eval
        self.tolerance_grad = _check_non_negative("tolerance_grad", tolerance_grad)
        self.tolerance_change = _check_non_negative("tolerance_change", tolerance_change)
        self.history_size = history_size
        self.line_search_fn = line_search_fn
        self.state = {"global": {"func_evals": 0, "n_iter": 0}}

    def _check_state(self, state: Mapping[Any, dict[str, Any]]) -> None:
        """One "global" entry; its vectors (directions, steps, the last gradient) as long as all parameters together."""
        if set(state) != {"global"}:
            raise ValueError(f"an LBFGS state has one entry, 'global'; got {sorted(map(str, state))}")
        size = sum(int(np.size(p.data)) for p in self.params)
        entry = state["global"]
        vectors = [(name, entry.get(name)) for name in ("d", "prev_flat_grad")]
        for name in ("old_dirs", "old_stps"):
            vectors += [(f"{name}[{i}]", vector) for i, vector in enumerate(entry.get(name) or [])]
        for name, vector in vectors:
            if vector is not None and np.shape(vector) != (size,):
                raise ValueError(f"LBFGS state {name!r} has shape {np.shape(vector)}, but the parameters hold "
                                 f"{size} numbers: the state is another model's")

    # All parameters seen as one flat float64 vector x, and their gradients as one vector g.
    def _gather_flat_params(self) -> np.ndarray:
        return np.concatenate([np.ravel(p.data).astype(np.float64) for p in self.params])

    def _gather_flat_grad(self) -> np.ndarray:
        parts = []
        for p in self.params:
            if p.grad is None:
                parts.append(np.zeros(np.size(p.data)))
            else:
                parts.append(np.ravel(p.grad).astype(np.float64))
        return np.concatenate(parts)

    def _set_flat_params(self, x: np.ndarray) -> None:
        offset = 0
        for p in self.params:
            if _is_array_parameter(p):
                size = p.data.size
                p.data[...] = x[offset : offset + size].reshape(p.data.shape)
            else:
                size = 1
                p.data = float(x[offset])
            offset += size

    def _evaluate(self, closure: Callable[[], Any]) -> tuple[Any, float, np.ndarray]:
        """Run the closure with gradients recorded; return (its loss, the loss as a float, the flat grad)."""
        with enable_grad():
            loss = closure()
        return loss, _loss_as_float(loss), self._gather_flat_grad()

    def _evaluate_along(self, closure: Callable[[], Any], x: np.ndarray, t: float, d: np.ndarray):
        """Loss and flat gradient at ``x + t·d``; the parameters are put back to ``x`` afterwards."""
        self._set_flat_params(x + t * d)
        _, loss, grad = self._evaluate(closure)
        self._set_flat_params(x)
        return loss, grad

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; return the loss the closure gave at the start."""
        if not callable(closure):
            raise TypeError("LBFGS.step needs a closure: a function that zeroes grads, computes the loss, "
                            "calls backward() and returns the loss")
        self.step_count += 1
        state = self.state["global"]
        lr = self.lr

        original_loss, loss, flat_grad = self._evaluate(closure)
        evals = 1
        state["func_evals"] += 1
        if np.max(np.abs(flat_grad)) <= self.tolerance_grad:
            return original_loss  # already at a stationary point

        direction = state.get("d")
        step_length = state.get("t")
        old_y, old_s, rho = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        iteration = 0
        while iteration < self.max_iter:
            iteration += 1
            state["n_iter"] += 1

            # The search direction d ≈ -H⁻¹g.
            if state["n_iter"] == 1:
                direction = -flat_grad
                old_y, old_s, rho = [], [], []
                h_diag = 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = direction * step_length
                ys = float(y @ s)
                if ys > 1e-10:  # keep only pairs that keep the estimate positive definite
                    if len(old_y) == self.history_size:
                        old_y.pop(0)
                        old_s.pop(0)
                        rho.pop(0)
                    old_y.append(y)
                    old_s.append(s)
                    rho.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                direction = _two_loop_direction(flat_grad, old_s, old_y, rho, h_diag)

            prev_flat_grad = flat_grad.copy()
            prev_loss = loss

            # The first step is kept short (at most a unit step in the L1 norm of g).
            if state["n_iter"] == 1:
                step_length = min(1.0, 1.0 / float(np.sum(np.abs(flat_grad)))) * lr
            else:
                step_length = lr

            slope = float(flat_grad @ direction)  # directional derivative g·d
            if slope > -self.tolerance_change:
                break

            if self.line_search_fn == "strong_wolfe":
                x_start = self._gather_flat_params()
                loss, flat_grad, step_length, ls_evals = _strong_wolfe(
                    lambda x, t, d: self._evaluate_along(closure, x, t, d),
                    x_start, step_length, direction, loss, flat_grad, slope,
                    max_ls=self.max_eval - evals,
                )
                self._set_flat_params(x_start + step_length * direction)
            else:
                self._set_flat_params(self._gather_flat_params() + step_length * direction)
                ls_evals = 0
                if iteration != self.max_iter:
                    # No need to re-evaluate after the last iteration: the next step() starts with it.
                    _, loss, flat_grad = self._evaluate(closure)
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals

            if iteration == self.max_iter or evals >= self.max_eval:
                break
            if np.max(np.abs(flat_grad)) <= self.tolerance_grad:
                break  # gradient small enough: converged
            if np.max(np.abs(direction * step_length)) <= self.tolerance_change:
                break  # the parameters no longer move
            if abs(loss - prev_loss) < self.tolerance_change:
                break  # the loss no longer changes

        state.update(d=direction, t=step_length, old_dirs=old_y, old_stps=old_s, ro=rho, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return original_loss


def _loss_as_float(loss: Any) -> float:
    """A closure's loss (a Value, a one-element Tensor or a number) as a float."""
    return float(loss.item() if is_node(loss) else np.asarray(loss).reshape(()))


def _two_loop_direction(grad: np.ndarray, old_s: list, old_y: list, rho: list, h_diag: float) -> np.ndarray:
    """-H⁻¹·grad, with H⁻¹ the L-BFGS estimate from the pairs (s, y): the two-loop recursion."""
    q = -grad
    alphas = [0.0] * len(old_s)
    for i in range(len(old_s) - 1, -1, -1):  # newest pair first
        alphas[i] = float(old_s[i] @ q) * rho[i]
        q = q - alphas[i] * old_y[i]
    r = q * h_diag  # the initial estimate H⁻¹ ≈ h_diag·I
    for i in range(len(old_s)):  # oldest pair first
        beta = float(old_y[i] @ r) * rho[i]
        r = r + (alphas[i] - beta) * old_s[i]
    return r


def _cubic_minimizer(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                     bounds: tuple[float, float] | None = None) -> float:
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, kept within ``bounds``.

    Falls back to the middle of the bounds when the cubic has no minimum.
    """
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(position, low), high)


def _strong_wolfe(evaluate, x, t, d, f, g, slope, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Find a step length ``t`` along ``d`` meeting the strong Wolfe conditions.

    Sufficient decrease: ``f(x + t·d) <= f + c1·t·slope``; curvature: ``|g(x + t·d)·d| <= c2·|slope|``.
    First step out until an interval is known to contain such a ``t`` (bracketing), then shrink
    it by cubic interpolation (zoom). Returns (loss, flat gradient, t, number of evaluations).
    """
    d_norm = float(np.max(np.abs(d)))
    f_new, g_new = evaluate(x, t, d)
    evals = 1
    slope_new = float(g_new @ d)

    # Bracketing phase.
    t_prev, f_prev, g_prev, slope_prev = 0.0, f, g.copy(), slope
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > f + c1 * t * slope or (ls_iter > 1 and f_new >= f_prev):
            bracket = [t_prev, t]
            bracket_f, bracket_g, bracket_slope = [f_prev, f_new], [g_prev, g_new.copy()], [slope_prev, slope_new]
            break
        if abs(slope_new) <= -c2 * slope:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if slope_new >= 0:
            bracket = [t_prev, t]
            bracket_f, bracket_g, bracket_slope = [f_prev, f_new], [g_prev, g_new.copy()], [slope_prev, slope_new]
            break
        # Still descending: extrapolate to a longer step, between 1.01·t and 10·t.
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        previous_t = t
        t = _cubic_minimizer(t_prev, f_prev, slope_prev, t, f_new, slope_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, slope_prev = previous_t, f_new, g_new.copy(), slope_new
        f_new, g_new = evaluate(x, t, d)
        evals += 1
        slope_new = float(g_new @ d)
        ls_iter += 1

    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    # Zoom phase: shrink the bracket until a point meets both conditions.
    insufficient_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_minimizer(bracket[0], bracket_f[0], bracket_slope[0], bracket[1], bracket_f[1], bracket_slope[1])

        # Keep t away from the ends of the bracket, or it may shrink very slowly.
        margin = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < margin:
            if insufficient_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - margin if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False

        f_new, g_new = evaluate(x, t, d)
        evals += 1
        slope_new = float(g_new @ d)
        ls_iter += 1

        if f_new > f + c1 * t * slope or f_new >= bracket_f[low]:
            # Not enough decrease: t becomes the high end.
            bracket[high], bracket_f[high], bracket_g[high], bracket_slope[high] = t, f_new, g_new.copy(), slope_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(slope_new) <= -c2 * slope:
                done = True
            elif slope_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_slope[high] = bracket_g[low], bracket_slope[low]
            bracket[low], bracket_f[low], bracket_g[low], bracket_slope[low] = t, f_new, g_new.copy(), slope_new

    return bracket_f[low], bracket_g[low], bracket[low], evals
