"""Tensor: construction, dtypes, errors, backward's contract, grad modes and the node interface.

Gradient values of every op are checked in test_parity.py; here, everything around them.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from cases import CASES, TENSOR_OPS

import autograd
from autograd import AnomalyError, BackwardStep, Tensor, Value, gradcheck, no_grad
from autograd import functional as F


def leaf(data, dtype=np.float64) -> Tensor:
    return Tensor(np.array(data, dtype=dtype), requires_grad=True)


# ---------------------------------------------------------------------- construction and dtypes
def test_python_numbers_become_float32() -> None:
    t = Tensor([[1.0, 2.0], [3.0, 4.0]])
    assert t.dtype == np.float32 and t.shape == (2, 2) and t.ndim == 2 and t.size == 4
    assert t.grad is None and not t.requires_grad and t.is_leaf


def test_float64_arrays_stay_float64_and_dtype_can_be_asked_for() -> None:
    assert Tensor(np.zeros(3)).dtype == np.float64
    assert Tensor([1.0, 2.0], dtype=np.float64).dtype == np.float64
    assert Tensor(np.zeros(3), dtype=np.float32).dtype == np.float32


def test_integer_and_bool_data_are_converted_to_float32() -> None:
    t = Tensor(np.arange(4), requires_grad=True)
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.data, [0, 1, 2, 3])
    (t * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [0, 2, 4, 6])
    assert Tensor(np.array([True, False])).dtype == np.float32


def test_an_array_of_the_right_dtype_is_shared_not_copied() -> None:
    array = np.ones(3, dtype=np.float32)
    assert Tensor(array).data is array
    assert Tensor(np.ones(3)).data is not array


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.array([1 + 2j]), "complex"),
        (1j, "complex"),
        ("abc", "real numbers"),
        (None, "real numbers"),
        ([1.0, "a"], "real numbers"),
        (Value(2.0), "Value"),
        ([Tensor(1.0), Tensor(2.0)], "stack"),
        ([Value(1.0), Value(2.0)], "Value"),
    ],
)
def test_bad_data_is_refused_with_a_clear_type_error(bad, words) -> None:
    with pytest.raises(TypeError, match=words):
        Tensor(bad)


def test_numpy_sees_the_data_but_numpy_functions_cannot_bypass_the_graph() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(np.asarray(t), [1.0, 2.0])
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    with pytest.raises(TypeError):
        np.exp(t)  # a ufunc would drop the graph: Tensor refuses it (use t.exp())


def test_only_float_dtypes_can_be_asked_for() -> None:
    with pytest.raises(TypeError, match="float32 or float64"):
        Tensor([1, 2], dtype=np.int64)


def test_description_helpers() -> None:
    t = Tensor([[1.0, 2.0, 3.0]], requires_grad=True, label="w")
    assert Tensor([2.5]).item() == 2.5
    with pytest.raises(ValueError, match=r"\(1, 3\)"):
        t.item()
    assert t.numpy() is t.data
    assert t.T.shape == (3, 1) and len(t) == 1
    assert "requires_grad=True" in repr(t) and "'w'" in repr(t) and "1." in repr(t)
    assert "op='*'" in repr(t * 2)
    detached = (t * 2).detach()
    assert not detached.requires_grad and detached._children == () and detached.grad is None


# ---------------------------------------------------------------------- mixed operands
def test_numbers_and_arrays_on_either_side_keep_the_tensor_dtype() -> None:
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)  # float32
    results = [t + 1.5, 2.0 - t, t * np.float64(2.0), np.ones(3) * t, t / np.full(3, 2.0), np.ones(3) @ t, 2.0**t]
    for r in results:
        assert isinstance(r, Tensor) and r.dtype == np.float32, r


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_float32_stays_float32_through_every_op_and_rule(case, monkeypatch) -> None:
    """No op or backward rule silently computes in float64 (which would halve the speed)."""
    import autograd.tensor as tensor_module

    upcasts = []
    accumulate = tensor_module._accumulate

    def recording_accumulate(child, contribution, *rest):
        if np.asarray(contribution).dtype != child.data.dtype:
            upcasts.append(rest[2]._op)
        return accumulate(child, contribution, *rest)

    monkeypatch.setattr(tensor_module, "_accumulate", recording_accumulate)
    inputs = [Tensor(a.astype(np.float32), requires_grad=True) for a in case.inputs()]
    out = case.fn(TENSOR_OPS, *inputs)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    assert not upcasts, f"rules computing in another dtype: {upcasts}"
    assert all(x.grad.dtype == np.float32 for x in inputs)


def test_float32_leaf_gets_a_float32_grad_from_a_float64_graph() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = Tensor(np.array([3.0, 4.0]))  # float64
    out = (w * x).sum()
    assert out.dtype == np.float64
    out.backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_array_equal(w.grad, [3.0, 4.0])


def test_value_mixed_with_tensor_is_a_type_error_both_ways() -> None:
    t, v = Tensor([1.0, 2.0]), Value(3.0)
    for mix in (lambda: t + v, lambda: v + t, lambda: t * v, lambda: v * t, lambda: t @ v, lambda: t.maximum(v)):
        with pytest.raises(TypeError, match="Tensor"):
            mix()


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / b,
        lambda a, b: a.maximum(b),
        lambda a, b: a.minimum(b),
        lambda a, b: a**b,
    ],
)
def test_shape_mismatch_names_both_shapes(op) -> None:
    a, b = Tensor(np.ones((2, 3)) + 1), Tensor(np.ones((4,)) + 1)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        op(a, b)


def test_matmul_mismatch_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match="at least one axis"):
        Tensor(np.ones(3)) @ Tensor(2.0)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Tensor([1.0, 0.0]).log(), ValueError, "log: input must be positive"),
        (lambda: Tensor([-1.0]).sqrt(), ValueError, "sqrt: input must be non-negative"),
        (lambda: Tensor([1.0]) / Tensor([0.0]), ZeroDivisionError, "division by zero"),
        (lambda: Tensor([0.0]) ** -1, ZeroDivisionError, "division by zero"),
        (lambda: Tensor([-2.0]) ** 0.5, ValueError, "negative base"),
        (lambda: Tensor([-2.0]) ** Tensor([2.0], requires_grad=True), ValueError, "base must be positive"),
        (lambda: Tensor(np.ones((2, 3))).reshape(4, 2), ValueError, r"\(2, 3\).*\(4, 2\)"),
        (lambda: Tensor(np.ones((2, 3))).max(axis=(0, 1)), TypeError, "axis"),
        (lambda: Tensor(np.ones(0)).max(), ValueError, "empty"),
        (lambda: Tensor(np.ones(3))[Value(1.0)], TypeError, "Value"),
    ],
)
def test_bad_input_to_ops_is_a_clear_error(make, error, words) -> None:
    with pytest.raises(error, match=words):
        make()


# ---------------------------------------------------------------------- functions of several tensors
def test_concatenate_stack_and_where_errors_name_the_shapes() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"\(2, 3\), \(2, 4\)"):
        autograd.concatenate([a, b], axis=0)
    with pytest.raises(ValueError, match="same shape"):
        autograd.stack([a, b])
    with pytest.raises(ValueError, match=r"\(5,\)"):
        autograd.where(np.ones(5, dtype=bool), a, b)
    with pytest.raises(ValueError, match="empty"):
        autograd.stack([])
    with pytest.raises(TypeError, match="list or tuple"):
        autograd.concatenate(a)


def test_index_with_a_tensor_of_whole_numbers() -> None:
    x = leaf([1.0, 2.0, 3.0])
    x[Tensor([2.0, 2.0, 0.0])].sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 2.0])
    with pytest.raises(IndexError, match="whole numbers"):
        x[Tensor([0.5])]


# ---------------------------------------------------------------------- backward's contract
def test_backward_on_a_non_scalar_needs_a_grad() -> None:
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*sum\(\)"):
        (x * 2).backward()
    y = x * 3
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 30.0])
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        y.backward(np.ones(3))


def test_backward_on_a_tensor_without_grad_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0]) * 2).backward()


def test_leaf_grads_accumulate_and_intermediate_grads_are_recomputed() -> None:
    x = leaf([1.0, 2.0])
    y = x * x
    loss = y.sum()
    loss.backward()
    first = x.grad
    loss.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    assert x.grad is first  # accumulated in place
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])
    loss.zero_grad()
    assert x.grad is None and y.grad is None


def test_backward_from_a_leaf() -> None:
    x = leaf(3.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_grads_never_alias_the_callers_array_or_each_other() -> None:
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    upstream = np.array([1.0, 1.0])
    (a + b).backward(upstream)
    assert a.grad is not upstream and not np.shares_memory(a.grad, upstream)
    assert not np.shares_memory(a.grad, b.grad)
    a.grad *= 10  # an optimiser may scale a grad in place
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(upstream, [1.0, 1.0])
    c = leaf(np.ones((2, 2)))
    c.sum().backward()  # the rule of sum is a broadcast view, which must not be kept as the grad
    c.grad[0, 0] = 5.0
    np.testing.assert_array_equal(c.grad, [[5.0, 1.0], [1.0, 1.0]])


def test_a_node_used_twice_gets_both_contributions() -> None:
    x = leaf([2.0])
    y = x + x
    z = y * y
    z.backward(np.ones(1))
    np.testing.assert_array_equal(x.grad, [16.0])  # z = 4x², dz/dx = 8x
    assert y._children == (x, x)


@pytest.mark.slow
def test_a_chain_of_100000_ops_backpropagates_without_recursion() -> None:
    x = leaf(1.0)
    y = x
    start = time.perf_counter()
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    elapsed = time.perf_counter() - start
    assert x.grad == pytest.approx(1.00001**100_000, rel=1e-9)
    assert elapsed < 20


# ---------------------------------------------------------------------- grad modes
def test_no_grad_records_nothing() -> None:
    w = leaf([1.0, 2.0])
    with no_grad():
        out = (w * 3).sum()
    assert not out.requires_grad and out._children == () and out.is_leaf
    with pytest.raises(RuntimeError):
        out.backward()
    with no_grad(), autograd.enable_grad():
        assert (w * 3).requires_grad


def test_tensors_without_requires_grad_cost_no_backward_work() -> None:
    x = Tensor(np.ones((3, 2)))  # data, no grad wanted
    w = leaf(np.ones((2, 4)))
    constant = x * 2 + 1
    assert constant._children == () and not constant.requires_grad
    out = x @ w

    def must_not_run(g):
        raise AssertionError("the rule for an input without requires_grad was called")

    out._vjps = (must_not_run, out._vjps[1])
    out.sum().backward()
    assert x.grad is None and w.grad is not None


def test_detect_anomaly_names_the_op_making_a_non_finite_result() -> None:
    x = leaf([1.0, 800.0])
    with autograd.detect_anomaly():
        with pytest.raises(AnomalyError, match="exp"):
            with np.errstate(over="ignore"):
                x.exp()
    with np.errstate(over="ignore"):
        assert np.isinf(x.exp().data[1])  # outside anomaly mode: inf, no error


def test_detect_anomaly_names_the_op_making_a_non_finite_grad() -> None:
    x = leaf([0.0, 4.0])
    with autograd.detect_anomaly():
        loss = x.sqrt().sum()  # finite result, infinite slope at 0
        with pytest.raises(AnomalyError, match="sqrt: gradient"), np.errstate(divide="ignore"):
            loss.backward()


# ---------------------------------------------------------------------- stepping through backprop
def test_backward_steps_give_the_same_grads_as_backward_and_describe_each_rule() -> None:
    def build():
        a, b = leaf([[1.0, -2.0, 3.0]]), leaf([[0.5], [2.0]])
        return a, b, (a * b).tanh().sum()

    a1, b1, loss1 = build()
    loss1.backward()
    a2, b2, loss2 = build()
    steps = list(autograd.backward_steps(loss2))
    assert all(isinstance(s, BackwardStep) for s in steps)
    assert [s.index for s in steps] == list(range(len(steps)))
    assert steps[0].node is loss2 and float(steps[0].upstream) == 1.0
    np.testing.assert_allclose(a2.grad, a1.grad, rtol=1e-15)
    np.testing.assert_allclose(b2.grad, b1.grad, rtol=1e-15)
    product = next(s for s in steps if s.node._op == "*")
    assert product.local_grads == ("d(a*b)/da = b", "d(a*b)/db = a")
    # contributions are unbroadcast to each input's shape and are what reached the leaves
    assert product.contributions[0].shape == (1, 3) and product.contributions[1].shape == (2, 1)
    np.testing.assert_allclose(product.contributions[0], a2.grad)
    np.testing.assert_allclose(product.contributions[1], b2.grad)


def test_backward_steps_mark_inputs_that_need_no_grad() -> None:
    w = leaf([1.0, 2.0])
    step = next(iter((Tensor([3.0, 4.0]) * w).backward_steps(np.ones(2))))
    assert step.contributions[0] is None
    np.testing.assert_array_equal(step.contributions[1], [3.0, 4.0])


# ---------------------------------------------------------------------- empty arrays
def test_empty_arrays_work_where_numpy_works() -> None:
    x = leaf(np.zeros((0, 3)))
    w = leaf(np.ones((3, 2)))
    out = (x @ w).tanh().sum() + x.sum(axis=0).sum()
    assert out.item() == 0.0
    out.backward()
    assert x.grad.shape == (0, 3)
    np.testing.assert_array_equal(w.grad, np.zeros((3, 2)))
    joined = autograd.concatenate([x, leaf(np.ones((1, 3)))])
    assert joined.shape == (1, 3)


# ---------------------------------------------------------------------- functional: both engines
def test_functional_dispatches_on_tensors_and_on_values() -> None:
    numbers = [0.5, -1.0, 2.0]
    t = leaf(numbers)
    values = [Value(v) for v in numbers]
    for name in ("softmax", "log_softmax"):
        on_tensor = getattr(autograd, name)(t)
        on_values = getattr(autograd, name)(values)
        assert isinstance(on_tensor, Tensor) and isinstance(on_values, list)
        np.testing.assert_allclose(on_tensor.data, [v.data for v in on_values], rtol=1e-14)
    assert isinstance(autograd.logsumexp(t), Tensor) and isinstance(autograd.logsumexp(values), Value)
    assert autograd.max(values).data == 2.0 and autograd.max(t).item() == 2.0
    with pytest.raises(ValueError, match="axis"):
        F.softmax(values, axis=1)


def test_cross_entropy_on_values_matches_the_fused_tensor_version() -> None:
    logits = np.array([[0.2, -1.0, 3.0], [1.5, 0.1, -0.4]])
    labels = [2, 0]
    for reduction in ("mean", "sum"):
        t = leaf(logits)
        F.cross_entropy(t, np.array(labels), reduction=reduction).backward()
        rows = [[Value(v) for v in row] for row in logits]
        loss = F.cross_entropy(rows, labels, reduction=reduction)
        loss.backward()
        assert loss.data == pytest.approx(F.cross_entropy(Tensor(logits), np.array(labels), reduction).item())
        np.testing.assert_allclose(t.grad, [[v.grad for v in row] for row in rows], rtol=1e-12)


def test_cross_entropy_single_row_and_float_labels() -> None:
    x = leaf([0.3, 2.0, -1.0])
    assert gradcheck(lambda x: x.cross_entropy(1), [x])
    x2 = leaf([[0.3, 2.0, -1.0]])
    assert x2.cross_entropy(Tensor([1.0])).item() == pytest.approx(x.cross_entropy(1).item())


@pytest.mark.parametrize(
    "targets, error, words",
    [
        (np.array([0, 3]), ValueError, r"0\.\.2.*\[3\]"),
        (np.array([-1, 0]), ValueError, r"\[-1\]"),
        (np.array([0, 1, 2]), ValueError, r"\(3,\).*\(2, 3\)"),
        (np.array([0.5, 1.0]), TypeError, "integers"),
    ],
)
def test_cross_entropy_refuses_bad_labels(targets, error, words) -> None:
    with pytest.raises(error, match=words):
        F.cross_entropy(Tensor(np.zeros((2, 3))), targets)


def test_cross_entropy_refuses_a_bad_reduction_and_bad_logits() -> None:
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1]), reduction="avg")
    with pytest.raises(ValueError, match=r"\(2, 3, 4\)"):
        F.cross_entropy(Tensor(np.zeros((2, 3, 4))), np.array([0, 1]))


def test_cross_entropy_with_extreme_logits_is_finite() -> None:
    x = leaf([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]])
    loss = F.cross_entropy(x, np.array([1, 2]))
    loss.backward()
    assert np.isfinite(loss.item()) and loss.item() == pytest.approx(1e4)
    assert np.all(np.isfinite(x.grad))


def test_linear_checks_shapes_and_matches_matmul() -> None:
    x, w, b = leaf(np.ones((4, 3))), leaf(np.arange(6.0).reshape(2, 3)), leaf([1.0, -1.0])
    np.testing.assert_allclose(F.linear(x, w, b).data, (x @ w.T + b).data)
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(3, 2\)"):
        F.linear(x, leaf(np.ones((3, 2))))
    with pytest.raises(ValueError, match=r"bias of shape \(3,\)"):
        F.linear(x, w, leaf(np.ones(3)))


def test_linear_on_a_single_example_and_without_an_input_grad() -> None:
    x, w, b = leaf([0.5, -1.0, 2.0]), leaf(np.arange(6.0).reshape(2, 3) / 5), leaf([0.1, -0.2])
    assert gradcheck(lambda x, w, b: F.linear(x, w, b).tanh(), [x, w, b])
    data = Tensor(np.ones((4, 3)))  # no grad wanted for the data: its rule must not run
    out = F.linear(data, w, b)
    out._vjps = (None,) + out._vjps[1:]
    out.sum().backward()
    assert data.grad is None and w.grad is not None
