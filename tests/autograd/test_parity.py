"""Parity: every case of tests/cases.py gives the same grads on Value, Tensor, finite differences and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from cases import CASES, TENSOR_OPS, VALUE_OPS, Case, TorchOps, output_weights, run, to_values

from autograd import Tensor, Value, gradcheck

# float64 everywhere; both engines must agree to round-off.
PARITY = {"rtol": 1e-10, "atol": 1e-10}


def by_name(c: Case) -> str:
    return c.name


def assert_same(expected: tuple, actual: tuple, what: str) -> None:
    (out_a, grads_a), (out_b, grads_b) = expected, actual
    np.testing.assert_allclose(out_b, out_a, **PARITY, err_msg=f"{what}: outputs differ")
    assert len(grads_a) == len(grads_b)
    for i, (a, b) in enumerate(zip(grads_a, grads_b)):
        assert a.shape == b.shape, f"{what}: grad {i} has shape {b.shape}, expected {a.shape}"
        np.testing.assert_allclose(b, a, **PARITY, err_msg=f"{what}: grad of input {i} differs")


@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_tensor_matches_value_element_by_element(case: Case) -> None:
    arrays = case.inputs()
    assert_same(run(case, VALUE_OPS, arrays), run(case, TENSOR_OPS, arrays), f"{case.name}: Tensor vs Value")


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_tensor_matches_torch(case: Case, torch) -> None:
    arrays = case.inputs()
    assert_same(run(case, TorchOps(torch), arrays), run(case, TENSOR_OPS, arrays), f"{case.name}: Tensor vs PyTorch")


@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_tensor_matches_finite_differences(case: Case) -> None:
    inputs = [Tensor(a, requires_grad=True) for a in case.inputs()]
    assert all(t.dtype == np.float64 for t in inputs)
    assert gradcheck(lambda *xs: case.fn(TENSOR_OPS, *xs), inputs)


@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_value_matches_finite_differences(case: Case) -> None:
    arrays = case.inputs()
    shapes = [a.shape for a in arrays]
    leaves = [v for a in arrays for v in to_values(a).flat]
    weights = output_weights(run(case, TENSOR_OPS, arrays)[0].shape)

    def weighted_output(*values):
        # Rebuild the input arrays from the flat list of Values that gradcheck perturbs.
        inputs, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            inputs.append(np.array(values[start : start + size], dtype=object).reshape(shape))
            start += size
        return VALUE_OPS.weighted_sum(case.fn(VALUE_OPS, *inputs), weights)

    assert gradcheck(weighted_output, leaves)


# ---------------------------------------------------------------------- coverage, both directions
def _declared_op_names(call_name: str, op_argument: int, *modules) -> set[str]:
    """The op names an engine's source records: the constant ``op`` argument of each ``call_name(...)``."""
    import ast
    from pathlib import Path

    names = set()
    for module in modules:
        for call in ast.walk(ast.parse(Path(module.__file__).read_text())):
            function = call.func if isinstance(call, ast.Call) else None
            if getattr(function, "id", None) == call_name or getattr(function, "attr", None) == call_name:
                op = call.args[op_argument]
                names.add(op.value if isinstance(op, ast.Constant) else "**n")  # f"**{n:g}" is **n
    return names


def tensor_op_names() -> set[str]:
    """Every op name the Tensor engine records (``_result(data, children, op, ...)``)."""
    import autograd.functional
    import autograd.tensor

    return _declared_op_names("_result", 2, autograd.tensor, autograd.functional)


def value_op_names() -> set[str]:
    """Every op name the scalar engine records (``Value._from_op(data, children, local_grads, op, ...)``)."""
    import autograd.value

    return _declared_op_names("_from_op", 3, autograd.value)


def _recorded_ops(out) -> set[str]:
    """The op of every node in the graph of ``out`` (a node, or an object array of Values)."""
    stack, seen, ops = list(np.asarray(out, dtype=object).flat) if not hasattr(out, "op") else [out], set(), set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            ops.add("**n" if node.op.startswith("**") and node.op != "**" else node.op)
            stack.extend(node.children)
    return ops - {""}


class _NamesUsed:
    """An engine adapter that notes every name of the common API a case calls."""

    def __init__(self, ops) -> None:
        self.ops, self.names = ops, set()

    def __getattr__(self, name: str):
        self.names.add(name)
        return getattr(self.ops, name)


def _run_every_case(ops) -> tuple[set[str], set[str]]:
    """The op names the engine recorded and the API names the cases called, over the whole table."""
    recorded, user = set(), _NamesUsed(ops)
    for case in CASES:
        recorded |= _recorded_ops(case.fn(user, *[ops.wrap(a) for a in case.inputs()]))
    return recorded, user.names


# Names of the common API that are not one op of the engine: how the adapter composes them.
COMPOSED_ON_VALUES = {
    "sum": "repeated +",
    "mean": "repeated +, then /",
    "clip": "autograd.max of the Value and each bound",
    "maximum": "autograd.max of two Values (half each at a tie)",
    "minimum": "-autograd.max of the negatives (half each at a tie)",
    "reshape": "NumPy rearranges the array of Values",
    "flatten": "NumPy rearranges the array of Values",
    "transpose": "NumPy rearranges the array of Values",
    "concatenate": "NumPy rearranges the array of Values",
    "stack": "NumPy rearranges the array of Values",
    "where": "NumPy picks Values",
    "index": "NumPy picks Values",
    "linear": "autograd.weighted_sum (w·x+b, one node) for each row and output",
    "mse_loss": "(x - t)**2 for each entry, then repeated + (and / for the mean)",
}
COMPOSED_ON_TENSORS = {"index": "PyTorch's own indexing; Tensors use []"}


def _engine_has(name: str, engine: type) -> bool:
    """A method of the engine's class, or a public function of its module (or, for Tensors, of functional)."""
    import inspect

    import autograd.functional
    import autograd.tensor
    import autograd.value

    modules = (autograd.value,) if engine is Value else (autograd.tensor, autograd.functional)
    functions = {n for m in modules for n, f in vars(m).items() if inspect.isfunction(f) and not n.startswith("_")}
    return callable(getattr(engine, name, None)) or name in functions


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_every_op_the_engine_records_is_in_the_case_table(engine: str) -> None:
    """Engine → table: a new op of either engine needs a parity case."""
    ops, declared = (VALUE_OPS, value_op_names()) if engine == "value" else (TENSOR_OPS, tensor_op_names())
    assert len(declared) > (15 if engine == "value" else 30), declared
    recorded, _ = _run_every_case(ops)
    missing = declared - recorded
    assert not missing, f"{engine} ops without a parity case: {sorted(missing)}"
    unknown = recorded - declared
    assert not unknown, f"the cases record {engine} ops its source does not declare: {sorted(unknown)}"


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_every_name_the_case_table_calls_is_an_op_of_the_engine(engine: str) -> None:
    """Table → engine: the cases test ops the engines have, not ops an adapter invented."""
    ops, engine_type, composed = (
        (VALUE_OPS, Value, COMPOSED_ON_VALUES) if engine == "value" else (TENSOR_OPS, Tensor, COMPOSED_ON_TENSORS)
    )
    _, called = _run_every_case(ops)
    called -= {"wrap", "data", "grad", "weighted_sum", "backward"}  # running a case, not ops
    invented = {name for name in called if not _engine_has(name, engine_type) and name not in composed}
    assert not invented, f"the cases call {sorted(invented)}, which {engine_type.__name__} does not have"
    stale = {name for name in composed if _engine_has(name, engine_type) or name not in called | {"index"}}
    assert not stale, f"listed as compositions but engine ops, or unused: {sorted(stale)}"


def test_parity_detects_a_wrong_rule(monkeypatch) -> None:
    """The comparison is sharp enough to catch a rule that is off by a small factor."""
    import autograd.tensor as tensor_module

    original = tensor_module.Tensor.tanh

    def slightly_wrong_tanh(self):
        out = original(self)
        rule = out._vjps[0]
        out._vjps = (lambda g: rule(g) * (1 + 1e-8),)
        return out

    monkeypatch.setattr(tensor_module.Tensor, "tanh", slightly_wrong_tanh)
    case = next(c for c in CASES if c.name == "tanh")
    arrays = case.inputs()
    with pytest.raises(AssertionError):
        assert_same(run(case, VALUE_OPS, arrays), run(case, TENSOR_OPS, arrays), "tanh")


KINKS = ["relu", "abs", "leaky_relu", "elu"]


@pytest.mark.torch
@pytest.mark.parametrize("name", KINKS)
def test_kinks_take_pytorchs_derivative_at_zero_in_both_engines(torch, name):
    """At a kink finite differences cannot decide; PyTorch's choice is the rule (relu' = |x|' = 0 at 0)."""
    reference = torch.tensor([-1.5, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch_f = {"relu": torch.relu, "abs": torch.abs, "leaky_relu": torch.nn.functional.leaky_relu,
               "elu": torch.nn.functional.elu}[name]
    torch_f(reference).sum().backward()
    expected = reference.grad.tolist()
    scalars = [Value(x) for x in (-1.5, 0.0, 2.0)]
    for v in scalars:
        getattr(v, name)().backward()
    assert [v.grad for v in scalars] == expected
    tensor = Tensor(np.array([-1.5, 0.0, 2.0]), requires_grad=True)
    getattr(tensor, name)().sum().backward()
    assert tensor.grad.tolist() == expected
