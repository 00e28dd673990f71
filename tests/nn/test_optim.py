"""Optimisers: every update rule against torch.optim step by step, on array and on scalar parameters."""

import math
import re

import numpy as np
import pytest
from errors import expect

from autograd import Value
from nn import MLP
from nn.optim import LBFGS, SGD, Adam, AdamW, Optimizer, RMSprop


class ArrayParameter:
    """The smallest Tensor-like parameter: an array ``data`` and a ``grad`` (array or None)."""

    def __init__(self, data):
        self.data = np.array(data, dtype=np.float64)
        self.grad = None


def make_arrays(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(3, 4)), rng.normal(size=(5,)), rng.normal(size=(2, 1, 2))]


def gradient_of(arrays, step):
    """A gradient that depends on the parameters (so a wrong update drifts further each step)."""
    return [np.sin(a) * (1.0 + 0.3 * step) + 0.5 * a**3 - 0.1 * step for a in arrays]


CONFIGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.2}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.05}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.8, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}),
]
CONFIG_IDS = [f"{name}({','.join(f'{k}={v}' for k, v in kwargs.items())})" for name, kwargs in CONFIGS]
OURS = {"SGD": SGD, "RMSprop": RMSprop, "Adam": Adam, "AdamW": AdamW}


def torch_trajectory(torch, name, kwargs, steps):
    params = [torch.tensor(a, requires_grad=True) for a in make_arrays()]
    optimizer = getattr(torch.optim, name)(params, **kwargs)
    history = []
    for step in range(steps):
        grads = gradient_of([p.detach().numpy() for p in params], step)
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g)
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


@pytest.mark.torch
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=CONFIG_IDS)
def test_array_parameters_follow_torch(torch, name, kwargs):
    steps = 8
    expected = torch_trajectory(torch, name, kwargs, steps)
    params = [ArrayParameter(a) for a in make_arrays()]
    optimizer = OURS[name]([*params], **kwargs)
    for step in range(steps):
        for p, g in zip(params, gradient_of([p.data for p in params], step)):
            p.grad = g
        optimizer.step()
        for p, want in zip(params, expected[step]):
            np.testing.assert_allclose(p.data, want, rtol=0, atol=1e-10)


@pytest.mark.torch
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=CONFIG_IDS)
def test_value_parameters_follow_torch(torch, name, kwargs):
    """The same rule on scalar-engine parameters: one Value per number."""
    steps = 6
    expected = torch_trajectory(torch, name, kwargs, steps)
    shapes = [a.shape for a in make_arrays()]
    values = [[Value(x) for x in a.ravel()] for a in make_arrays()]
    optimizer = OURS[name]([v for group in values for v in group], **kwargs)
    for step in range(steps):
        current = [np.array([v.data for v in group]).reshape(shape) for group, shape in zip(values, shapes)]
        for group, g in zip(values, gradient_of(current, step)):
            for v, gi in zip(group, g.ravel()):
                v.grad = float(gi)
        optimizer.step()
        for group, want in zip(values, expected[step]):
            assert all(type(v.data) is float for v in group)
            np.testing.assert_allclose([v.data for v in group], want.ravel(), rtol=0, atol=1e-10)


def test_mixed_scalar_and_array_parameters_and_skipped_grads():
    """A parameter whose grad is None is left alone; scalars and arrays share one optimiser."""
    a, b, s = ArrayParameter([1.0, 2.0]), ArrayParameter([3.0]), Value(4.0)
    optimizer = SGD([a, b, s], lr=0.5)
    a.grad = np.array([1.0, -1.0])
    s.grad = 2.0
    optimizer.step()
    np.testing.assert_array_equal(a.data, [0.5, 2.5])
    np.testing.assert_array_equal(b.data, [3.0])
    assert s.data == 3.0


def test_update_is_in_place_and_keeps_float32():
    p = ArrayParameter([1.0, 2.0])
    p.data = p.data.astype(np.float32)
    buffer = p.data
    optimizer = Adam([p], lr=0.1)
    p.grad = np.array([1.0, 1.0], dtype=np.float32)
    optimizer.step()
    assert p.data is buffer and p.data.dtype == np.float32
    np.testing.assert_allclose(p.data, [0.9, 1.9], rtol=1e-6)


def test_zero_grad_clears_both_kinds():
    a, s = ArrayParameter([1.0]), Value(2.0)
    a.grad, s.grad = np.array([3.0]), 4.0
    optimizer = SGD([a, s], lr=0.1)
    optimizer.zero_grad(set_to_none=False)
    assert s.grad == 0.0 and np.array_equal(a.grad, [0.0])
    optimizer.zero_grad()
    assert a.grad is None


def test_adamw_decay_differs_from_adam_l2():
    """Decoupled decay shrinks a weight with zero gradient; Adam's L2 gradient is normalised away."""
    adam_p, adamw_p = ArrayParameter([10.0]), ArrayParameter([10.0])
    adam, adamw = Adam([adam_p], lr=0.1, weight_decay=0.1), AdamW([adamw_p], lr=0.1, weight_decay=0.1)
    adam_p.grad, adamw_p.grad = np.zeros(1), np.zeros(1)
    adam.step()
    adamw.step()
    # Adam: g = 0.1·10 = 1, normalised step ≈ lr. AdamW: 10·(1 - 0.01) and no Adam step.
    assert adam_p.data[0] == pytest.approx(9.9, abs=1e-6)
    assert adamw_p.data[0] == pytest.approx(9.9, abs=1e-12)


@pytest.mark.parametrize(
    "make,name",
    [
        (lambda p: SGD(p, lr=0.0), "lr"),
        (lambda p: SGD(p, lr=-1.0), "lr"),
        (lambda p: SGD(p, lr=float("nan")), "lr"),
        (lambda p: SGD(p, lr=0.1, momentum=-0.1), "momentum"),
        (lambda p: SGD(p, lr=0.1, weight_decay=-1), "weight_decay"),
        (lambda p: SGD(p, lr=0.1, nesterov=True), "nesterov"),
        (lambda p: RMSprop(p, alpha=1.0), "alpha"),
        (lambda p: RMSprop(p, eps=-1.0), "eps"),
        (lambda p: Adam(p, betas=(1.0, 0.999)), "betas[0]"),
        (lambda p: Adam(p, betas=(0.9, -0.1)), "betas[1]"),
        (lambda p: Adam(p, betas=0.9), "betas"),
        (lambda p: AdamW(p, weight_decay=-0.01), "weight_decay"),
        (lambda p: LBFGS(p, max_iter=0), "max_iter"),
        (lambda p: LBFGS(p, history_size=0), "history_size"),
        (lambda p: LBFGS(p, line_search_fn="backtracking"), "line_search_fn"),
    ],
)
def test_bad_hyperparameters_are_named(make, name):
    with pytest.raises(ValueError, match=name.replace("[", r"\[").replace("]", r"\]")):
        make([Value(1.0)])


def test_bad_parameter_lists():
    class Model:
        def parameters(self):
            return [Value(1.0)]

    model = Model()
    with pytest.raises(TypeError, match=r"model.parameters\(\)"):
        SGD(model, lr=0.1)
    with pytest.raises(TypeError, match="without"):
        SGD(model.parameters, lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single parameter"):
        SGD(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match="parameter 1"):
        SGD([Value(1.0), 2.0], lr=0.1)
    v = Value(1.0)
    with pytest.raises(ValueError, match="more than once"):
        SGD([v, v], lr=0.1)
    integer_parameter = ArrayParameter([1.0])
    integer_parameter.data = np.array([1])
    with pytest.raises(TypeError, match="int64"):
        SGD([integer_parameter], lr=0.1)


def _small_mlp_parameters() -> list:
    return MLP(2, [3, 1], seed=0).parameters()


@pytest.mark.parametrize(
    "make,shown",
    [
        pytest.param(lambda: SGD(_small_mlp_parameters(), lr="0.1"), "'0.1'", id="string"),
        pytest.param(lambda: Adam(_small_mlp_parameters(), lr=None), "None", id="None"),
        pytest.param(lambda: SGD(_small_mlp_parameters(), lr=0.1j), "0.1j", id="complex"),
    ],
)
def test_a_learning_rate_that_is_not_a_number_is_refused(make, shown):
    expect(ValueError, make, "lr", shown)


@pytest.mark.parametrize("lr", [0.0, -0.1, math.nan, math.inf], ids=["zero", "negative", "nan", "inf"])
@pytest.mark.parametrize("optimizer", [SGD, Adam, RMSprop], ids=lambda o: o.__name__)
def test_a_learning_rate_that_is_not_positive_and_finite_is_refused(optimizer, lr):
    expect(ValueError, lambda: optimizer(_small_mlp_parameters(), lr=lr), "lr", "positive", re.escape(repr(lr)))


def test_a_negative_learning_rate_set_later_is_refused():
    optimizer = SGD(_small_mlp_parameters(), lr=0.1)
    expect(ValueError, lambda: setattr(optimizer, "lr", -0.5), "lr", "-0.5")
    assert optimizer.lr == 0.1


def test_an_empty_parameter_list_is_refused():
    expect(ValueError, lambda: SGD([], lr=0.1), "empty")


def test_grad_shape_mismatch_is_reported():
    p = ArrayParameter([1.0, 2.0])
    p.grad = np.ones(3)
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        SGD([p], lr=0.1).step()


def test_lr_setter_allows_zero_but_not_negative():
    optimizer = SGD([Value(1.0)], lr=0.1)
    optimizer.lr = 0.0
    with pytest.raises(ValueError, match="lr"):
        optimizer.lr = -0.1


def test_state_dict_round_trip_continues_identically():
    def run(optimizer_params, optimizer, steps, start):
        for step in range(start, start + steps):
            for p, g in zip(optimizer_params, gradient_of([p.data for p in optimizer_params], step)):
                p.grad = g
            optimizer.step()

    params = [ArrayParameter(a) for a in make_arrays()]
    optimizer = Adam(params, lr=0.01, amsgrad=True)
    run(params, optimizer, 3, 0)
    saved_state = optimizer.state_dict()
    saved_data = [p.data.copy() for p in params]
    run(params, optimizer, 3, 3)

    restored = [ArrayParameter(a) for a in saved_data]
    other = Adam(restored, lr=0.5)
    other.load_state_dict(saved_state)
    assert other.lr == 0.01
    run(restored, other, 3, 3)
    for p, q in zip(params, restored):
        np.testing.assert_array_equal(p.data, q.data)
    saved_state["state"][0]["exp_avg"] = np.zeros(7)
    with pytest.raises(ValueError, match="shape"):
        other.load_state_dict(saved_state)


def test_base_class_needs_an_update_rule():
    with pytest.raises(NotImplementedError):
        Optimizer([Value(1.0)], lr=0.1).step()


# ---------------------------------------------------------------------- L-BFGS
def rosenbrock_closure_ours(x, y, optimizer):
    def closure():
        optimizer.zero_grad()
        loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2
        loss.backward()
        return loss

    return closure


def rosenbrock_closure_torch(xy, optimizer):
    def closure():
        optimizer.zero_grad()
        loss = (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2
        loss.backward()
        return loss

    return closure


LBFGS_SETTINGS = [
    {"line_search_fn": "strong_wolfe"},
    {"line_search_fn": "strong_wolfe", "history_size": 3, "max_iter": 7},
    {"lr": 0.5, "max_iter": 5},
    {"lr": 0.5, "max_iter": 4, "history_size": 2, "tolerance_change": 1e-5},
]


@pytest.mark.torch
@pytest.mark.parametrize("settings", LBFGS_SETTINGS)
def test_lbfgs_matches_torch_on_logistic_regression(torch, settings):
    """Same iterates and evaluation counts as torch.optim.LBFGS after every step(), on array parameters."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(40, 5))
    labels = (features @ rng.normal(size=5) + 0.5 * rng.normal(size=40) > 0).astype(float)

    w, b = ArrayParameter(np.zeros(5)), ArrayParameter(np.zeros(1))
    ours = LBFGS([w, b], **settings)

    def closure():
        z = features @ w.data + b.data
        probability = 1 / (1 + np.exp(-z))
        w.grad = features.T @ (probability - labels) / len(labels) + 0.02 * w.data
        b.grad = np.array([np.mean(probability - labels)])
        return np.mean(np.logaddexp(0, z) - labels * z) + 0.01 * np.sum(w.data**2)

    tw, tb = torch.zeros(5, requires_grad=True), torch.zeros(1, requires_grad=True)
    theirs = torch.optim.LBFGS([tw, tb], **settings)
    tfeatures, tlabels = torch.tensor(features), torch.tensor(labels)

    def torch_closure():
        theirs.zero_grad()
        z = tfeatures @ tw + tb
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, tlabels) + 0.01 * (tw**2).sum()
        loss.backward()
        return loss

    for _ in range(5):
        assert ours.step(closure) == pytest.approx(theirs.step(torch_closure).item(), abs=1e-10)
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(b.data, tb.detach().numpy(), rtol=0, atol=1e-10)
        assert ours.state["global"]["func_evals"] == theirs.state[tw]["func_evals"]
        assert ours.state["global"]["n_iter"] == theirs.state[tw]["n_iter"]


@pytest.mark.torch
@pytest.mark.parametrize("settings,steps", [(LBFGS_SETTINGS[0], 6), (LBFGS_SETTINGS[1], 3), ({"lr": 5e-4}, 6)])
def test_lbfgs_matches_torch_on_rosenbrock(torch, settings, steps):
    """Scalar (Value) parameters on Rosenbrock's curved valley.

    Last-bit rounding differences between PyTorch's kernels and ours are amplified along the
    valley (about 100x per outer step with a 3-pair history), so the run is kept to the
    iterations where both agree to 1e-10; the logistic regression test compares longer runs.
    """
    x, y = Value(-1.2), Value(1.0)
    ours = LBFGS([x, y], **settings)
    xy = torch.tensor([-1.2, 1.0], requires_grad=True)
    theirs = torch.optim.LBFGS([xy], **settings)
    for _ in range(steps):
        loss_ours = ours.step(rosenbrock_closure_ours(x, y, ours))
        loss_theirs = theirs.step(rosenbrock_closure_torch(xy, theirs))
        assert loss_ours.data == pytest.approx(loss_theirs.item(), abs=1e-10)
        np.testing.assert_allclose([x.data, y.data], xy.detach().numpy(), rtol=0, atol=1e-10)
    assert ours.state["global"]["func_evals"] == theirs.state[xy]["func_evals"]
    assert ours.state["global"]["n_iter"] == theirs.state[xy]["n_iter"]


def test_lbfgs_converges_on_rosenbrock_and_a_quadratic():
    x, y = Value(-1.2), Value(1.0)
    optimizer = LBFGS([x, y], line_search_fn="strong_wolfe", max_iter=100, tolerance_change=1e-15, tolerance_grad=1e-12)
    optimizer.step(rosenbrock_closure_ours(x, y, optimizer))
    assert x.data == pytest.approx(1.0, abs=1e-6) and y.data == pytest.approx(1.0, abs=1e-6)

    # An ill-conditioned quadratic ½wᵀAw - bᵀw on an array parameter: the minimum is A⁻¹b.
    rng = np.random.default_rng(1)
    q = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    a = q @ np.diag([1, 2, 5, 10, 50, 100.0]) @ q.T
    b = rng.normal(size=6)
    w = ArrayParameter(np.zeros(6))
    optimizer = LBFGS([w], line_search_fn="strong_wolfe", history_size=10, max_iter=50, tolerance_change=1e-15)

    def closure():
        w.grad = a @ w.data - b
        return 0.5 * w.data @ a @ w.data - b @ w.data

    optimizer.step(closure)
    np.testing.assert_allclose(w.data, np.linalg.solve(a, b), atol=1e-6)


def test_lbfgs_needs_a_closure():
    with pytest.raises(TypeError, match="closure"):
        LBFGS([Value(1.0)]).step()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="closure"):
        LBFGS([Value(1.0)]).step(3.0)


def test_lbfgs_stops_at_once_at_a_stationary_point():
    x = Value(0.0)
    optimizer = LBFGS([x])
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = x * x
        loss.backward()
        return loss

    optimizer.step(closure)
    assert len(calls) == 1 and x.data == 0.0 and math.isfinite(x.data)


# ---------------------------------------------------------------------- real Tensors
@pytest.mark.torch
@pytest.mark.parametrize("name,kwargs", [CONFIGS[3], CONFIGS[10], CONFIGS[14], CONFIGS[16]])
def test_tensor_parameters_follow_torch(torch, name, kwargs):
    """autograd.Tensor parameters with grads from backprop, updated in place, step for step with torch."""
    from autograd import Tensor

    steps = 5
    expected = torch_trajectory(torch, name, kwargs, steps)
    tensors = [Tensor(a, requires_grad=True) for a in make_arrays()]
    buffers = [t.data for t in tensors]
    optimizer = OURS[name](tensors, **kwargs)
    for step in range(steps):
        optimizer.zero_grad()
        assert all(t.grad is None for t in tensors)
        # Backprop of Σ g·w (g held constant) leaves exactly g in w.grad.
        grads = gradient_of([t.data for t in tensors], step)
        total = sum(((t * g).sum() for t, g in zip(tensors[1:], grads[1:])), (tensors[0] * grads[0]).sum())
        total.backward()
        optimizer.step()
        for t, want in zip(tensors, expected[step]):
            np.testing.assert_allclose(t.data, want, rtol=0, atol=1e-10)
    assert all(t.data is buffer for t, buffer in zip(tensors, buffers))


def test_lbfgs_on_float32_tensors_keeps_their_dtype():
    from autograd import Tensor

    target = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    w = Tensor(np.zeros(3, dtype=np.float32), requires_grad=True)
    optimizer = LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = ((w - target) ** 2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    assert w.data.dtype == np.float32
    np.testing.assert_allclose(w.data, target, atol=1e-5)


def test_load_state_dict_refuses_unknown_settings_and_leaves_the_optimizer_unchanged():
    optimizer = SGD([Value(1.0)], lr=0.1, momentum=0.9)
    state = optimizer.state_dict()
    state["hyperparameters"]["betas"] = (0.9, 0.999)  # an Adam setting
    with pytest.raises(ValueError, match=r"SGD has no setting \['betas'\]"):
        optimizer.load_state_dict(state)
    assert not hasattr(optimizer, "betas") and optimizer.momentum == 0.9
    with pytest.raises(TypeError, match="what state_dict"):
        optimizer.load_state_dict({"lr": 0.1})


def test_lbfgs_load_state_dict_checks_the_state_like_every_optimizer():
    def trained(size):
        params = [ArrayParameter(np.linspace(-1.0, 1.0, size))]
        optimizer = LBFGS(params, max_iter=3)

        def closure():
            optimizer.zero_grad()
            params[0].grad = 2.0 * params[0].data
            return float(params[0].data @ params[0].data)

        optimizer.step(closure)
        return optimizer

    small, large = trained(3), trained(5)
    before = small.state_dict()
    with pytest.raises(ValueError, match="parameters hold 3 numbers"):
        small.load_state_dict(large.state_dict())
    np.testing.assert_array_equal(small.state["global"]["d"], before["state"]["global"]["d"])
    with pytest.raises(ValueError, match="no setting"):
        small.load_state_dict({**before, "hyperparameters": {"momentum": 0.9}})
    small.load_state_dict(before)  # its own state fits


def test_scikit_learn_adam_never_changes_its_eps():
    """ScikitLearnAdam writes scikit-learn's update itself: eps stays what was given, the step is sklearn's."""
    import nn

    params = [ArrayParameter(a) for a in make_arrays()]
    start = [p.data.copy() for p in params]
    optimizer = nn.ScikitLearnAdam(params, lr=0.01, eps=1e-8)
    grads = gradient_of([p.data for p in params], 0)
    for p, g in zip(params, grads):
        p.grad = g
    optimizer.step()
    assert optimizer.eps == 1e-8
    for p, w, g in zip(params, start, grads):
        # step 1: m = (1 - β1)g, v = (1 - β2)g², w ← w - lr·√(1 - β2)/(1 - β1) · m / (√v + eps)
        m, v = 0.1 * g, 0.001 * g * g
        np.testing.assert_allclose(p.data, w - 0.01 * np.sqrt(0.001) / 0.1 * m / (np.sqrt(v) + 1e-8), rtol=1e-6)


# ---------------------------------------------------------------------- Adam: NumPy passes and the compiled loop
def _adam_arrays(dtype, size=1_000, seed=0):
    """A parameter, its grad and running means, with zeros, tiny and large entries among them."""
    rng = np.random.default_rng(seed)
    data = rng.standard_normal(size).astype(dtype)
    grad = (rng.standard_normal(size) * 10.0 ** rng.integers(-8, 3, size)).astype(dtype)
    grad[::7] = 0.0
    exp_avg = (rng.standard_normal(size) * 1e-3).astype(dtype)
    exp_avg_sq = (rng.random(size) * 1e-4).astype(dtype)
    exp_avg_sq[::11] = 0.0
    return data, grad, exp_avg, exp_avg_sq


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_adam_loop_gives_the_bits_of_the_numpy_passes(compiled_adam, dtype):
    from nn.adam_update import adam_update, numpy_update

    by_numpy = _adam_arrays(dtype)
    by_loop = [a.copy() for a in by_numpy]
    scratch = np.empty_like(by_numpy[0])
    calls = []

    def spy(*args):
        calls.append(len(args[0]))
        compiled_adam(*args)

    import nn.adam_update as module
    for step in range(1, 30):
        beta1, beta2, lr = 0.9, 0.999, 1e-3 * (1 + step % 3)  # the lr changes, as under a schedule
        root2 = math.sqrt(1.0 - beta2**step)
        numbers = (beta1, beta2, 1e-8 * root2, lr * root2 / (1.0 - beta1**step))
        numpy_update(*by_numpy, scratch, *numbers)
        module._compiled["loop"] = spy
        try:
            adam_update(*by_loop, lambda: pytest.fail("the loop needs no scratch array"), *numbers)
        finally:
            module._compiled["loop"] = compiled_adam
    assert calls == [1_000] * 29
    for ours, reference in zip(by_loop, by_numpy):
        assert ours.dtype == dtype and np.array_equal(ours, reference)
    assert not np.array_equal(by_numpy[0], _adam_arrays(dtype)[0])  # the parameter moved


def test_adam_trains_a_tensor_mlp_to_the_same_bits_with_and_without_numba(compiled_adam, monkeypatch):
    import nn
    import nn.adam_update as module

    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((64, 5)).astype(np.float32), rng.integers(0, 3, 64)

    def train(optimizer_class, **options):
        model = nn.tensor_mlp(5, [8, 3], seed=0)
        optimizer = optimizer_class(model.parameters(), lr=1e-2, **options)
        for _ in range(15):
            optimizer.zero_grad()
            nn.cross_entropy(model(X), y).backward()
            optimizer.step()
        return [p.data.copy() for p in model.parameters()] + [s[k] for s in optimizer.state.values()
                                                               for k in ("exp_avg", "exp_avg_sq")]

    for optimizer_class, options in ((Adam, {}), (Adam, {"weight_decay": 1e-2}), (AdamW, {})):
        compiled = train(optimizer_class, **options)
        monkeypatch.setitem(module._compiled, "loop", None)  # NumPy's passes only
        by_numpy = train(optimizer_class, **options)
        monkeypatch.setitem(module._compiled, "loop", compiled_adam)
        assert all(np.array_equal(a, b) for a, b in zip(compiled, by_numpy, strict=True)), optimizer_class.__name__


def test_adam_uses_numpy_where_the_loop_does_not_apply_and_gets_the_same_numbers(monkeypatch):
    import nn.adam_update as module
    from nn.adam_update import adam_update, numpy_update

    def refuse(*args):
        raise AssertionError("the compiled loop was used")

    monkeypatch.setitem(module._compiled, "loop", refuse)
    numbers = (0.9, 0.999, 1e-8, 1e-3)
    # A parameter held transposed (not contiguous), a grad of another dtype, and amsgrad.
    data, grad, exp_avg, exp_avg_sq = _adam_arrays(np.float64, size=12)
    cases = {
        "transposed": (data.reshape(3, 4).T, grad.reshape(3, 4).T, exp_avg.reshape(3, 4).T, exp_avg_sq.reshape(3, 4).T),
        "float32 grad": (data, grad.astype(np.float32), exp_avg, exp_avg_sq),
    }
    for name, arrays in cases.items():
        expected = [a.copy(order="K") for a in arrays]  # "K": a transposed array stays transposed
        numpy_update(*expected, np.empty_like(expected[0]), *numbers)
        got = [a.copy(order="K") for a in arrays]
        scratch = np.empty_like(got[0])
        adam_update(*got, lambda scratch=scratch: scratch, *numbers)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[3], expected[3]), name
    largest = np.zeros(12)
    adam_update(data, grad, exp_avg, exp_avg_sq, lambda: np.empty(12), *numbers, max_exp_avg_sq=largest)
    assert np.array_equal(largest, exp_avg_sq)  # amsgrad keeps the largest v seen, by NumPy's passes


def test_numba_can_be_switched_off(monkeypatch):
    import nn.adam_update as module

    monkeypatch.setenv("RETROGRAD_NUMBA", "0")
    monkeypatch.delitem(module._compiled, "loop", raising=False)
    assert module.compiled_loop() is None
    monkeypatch.delitem(module._compiled, "loop")
