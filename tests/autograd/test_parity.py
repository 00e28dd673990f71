"""Parity: every case of tests/cases.py gives the same grads on Value, Tensor, finite differences and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from cases import CASES, TENSOR_OPS, VALUE_OPS, Case, TorchOps, output_weights, run, to_values

from autograd import Tensor, gradcheck

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


def _tensor_op_names() -> set[str]:
    """Every op name the Tensor engine records: the op argument of each ``_result`` call in its source."""
    import ast
    from pathlib import Path

    import autograd.functional
    import autograd.tensor

    names = set()
    for module in (autograd.tensor, autograd.functional):
        for call in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "_result":
                op = call.args[2]
                names.add(op.value if isinstance(op, ast.Constant) else "**n")  # f"**{n:g}" is **n
    assert len(names) > 30, names
    return names


def test_every_tensor_op_is_in_the_case_list() -> None:
    """The case list must exercise every op the Tensor engine records."""
    recorded = set()
    for case in CASES:
        inputs = [Tensor(a, requires_grad=True) for a in case.inputs()]
        out = case.fn(TENSOR_OPS, *inputs)
        stack, seen = [out], set()
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                recorded.add("**n" if node._op.startswith("**") and node._op != "**" else node._op)
                stack.extend(node._children)
    missing = _tensor_op_names() - recorded
    assert not missing, f"ops without a parity case: {sorted(missing)}"


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
