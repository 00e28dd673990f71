"""Tensor: construction, dtypes, errors, backward's contract, grad modes and the node interface.

Gradient values of every op are checked in test_parity.py; here, everything around them.
"""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np
import pytest
from cases import CASES, TENSOR_OPS
from errors import expect, ones, shape_pattern

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
        (lambda: Tensor([-2.0]) ** Tensor([2.0], requires_grad=True), ValueError, "negative base.*requires grad"),
        (lambda: Tensor(np.ones((2, 3))).reshape(4, 2), ValueError, r"\(2, 3\).*\(4, 2\)"),
        (lambda: Tensor(np.ones((2, 3))).max(axis=1.5), TypeError, "axis must be"),
        (lambda: Tensor(np.ones((2, 3))).sum(axis=2), ValueError, "sum: axis 2 is out of range"),
        (lambda: Tensor(np.ones((2, 3))).mean(axis=(0, -2)), ValueError, "twice"),
        (lambda: Tensor(np.ones(0)).max(), ValueError, "empty"),
        (lambda: Tensor(np.ones(3))[Value(1.0)], TypeError, "Value"),
    ],
)
def test_bad_input_to_ops_is_a_clear_error(make, error, words) -> None:
    with pytest.raises(error, match=words):
        make()


def test_a_negative_base_is_refused_only_when_the_exponent_gets_a_grad() -> None:
    """d(b^w)/dw = b^w·ln b has no real value for b < 0: refused when w gets a grad, as every Value does."""
    base = Tensor([-2.0, -3.0], requires_grad=True)
    assert np.array_equal((base ** np.array([2.0, 3.0])).data, [4.0, -27.0])
    out = base ** Tensor([2.0, 3.0])  # a constant exponent: an ordinary power, with a grad for the base
    out.sum().backward()
    assert np.array_equal(base.grad, [2.0 * -2.0, 3.0 * 9.0])
    with pytest.raises(ValueError, match="negative base.*requires grad"):
        base ** Tensor([2.0, 3.0], requires_grad=True)
    with pytest.raises(ValueError, match="base must be positive"):
        Value(-2.0) ** Value(2.0)


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


def test_a_tensor_is_refused_as_an_index_naming_the_way_out() -> None:
    """A Tensor holds floats: a mask made a Tensor would pick positions 0 and 1 instead of elements."""
    v = leaf([-1.0, 5.0, -1.0, 7.0])
    for index in (Tensor(v.data > 0), Tensor([2.0, 0.0])):
        with pytest.raises(TypeError, match=r"Tensor cannot be an index.*mask\.data > 0"):
            v[index]
    np.testing.assert_array_equal(v[v.data > 0].data, [5.0, 7.0])


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
    # The speed of backward is measured in bench/; here only that a deep graph does not recurse.
    x = leaf(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    assert x.grad == pytest.approx(1.00001**100_000, rel=1e-9)


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


# ---------------------------------------------------------------------- bad input, as the Value refuses it
# The same bad inputs are refused by the Value (tests/autograd/test_value.py) and by nn's models and losses.
@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda: Tensor("1.5"), id="Tensor"), pytest.param(lambda: ones(2) * "1.5", id="Tensor-op")],
)
def test_a_string_is_refused(call):
    expect(TypeError, call, r"\bstr\b|<U")


@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda: Tensor(None), id="Tensor"), pytest.param(lambda: ones(2) + None, id="Tensor-op")],
)
def test_none_is_refused(call):
    expect(TypeError, call, "NoneType|None")


@pytest.mark.parametrize(
    "call,pattern",
    [
        pytest.param(lambda: Tensor([1.0, "a"]), "real numbers", id="Tensor-str"),
        pytest.param(lambda: Tensor([1.0, None]), "real numbers", id="Tensor-None"),
        pytest.param(lambda: Tensor([1.0, Value(2.0)]), "cannot mix a Value", id="Tensor-Value"),
        pytest.param(lambda: ones(2) + [1.0, "a"], "real numbers", id="Tensor-op"),
    ],
)
def test_a_list_of_mixed_types_is_refused(call, pattern):
    expect(TypeError, call, pattern)


def test_a_ragged_nested_list_is_refused():
    expect(ValueError, lambda: Tensor([[1.0, 2.0], [3.0]]), "inhomogeneous")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Tensor([1 + 2j]), id="Tensor"),
        pytest.param(lambda: Tensor(np.ones(2, dtype=np.complex128)), id="Tensor-array"),
        pytest.param(lambda: ones(2) * 2j, id="Tensor-op"),
    ],
)
def test_a_complex_number_is_refused(call):
    expect(TypeError, call, "complex")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_a_non_finite_input_is_refused(bad):
    expect(ValueError, lambda: Tensor([1.0, bad]), "finite|nan|inf")


@pytest.mark.parametrize(
    "call,shapes",
    [
        pytest.param(lambda: ones(2, 3) + ones(4), [(2, 3), (4,)], id="add"),
        pytest.param(lambda: ones(2, 3) * ones(3, 2), [(2, 3), (3, 2)], id="mul"),
        pytest.param(lambda: ones(2, 3) @ ones(2, 3), [(2, 3), (2, 3)], id="matmul"),
        pytest.param(lambda: autograd.concatenate([ones(2, 3), ones(2, 4)]), [(2, 3), (2, 4)], id="concatenate"),
        pytest.param(lambda: autograd.stack([ones(2, 3), ones(3, 2)]), [(2, 3), (3, 2)], id="stack"),
        pytest.param(lambda: ones(2, 3).reshape(4, 2), [(2, 3), (4, 2)], id="reshape"),
        pytest.param(lambda: ones(3).backward(np.ones(2)), [(2,), (3,)], id="backward-grad"),
    ],
)
def test_a_shape_mismatch_names_both_shapes(call, shapes):
    expect(ValueError, call, *(shape_pattern(shape) for shape in shapes))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float16, np.complex64])
def test_a_non_float_tensor_dtype_is_refused(dtype):
    expect(TypeError, lambda: Tensor([1, 2], dtype=dtype), "float32 or float64", np.dtype(dtype).name)


def test_integer_data_becomes_float_so_grads_are_not_truncated():
    x = Tensor(np.arange(3), requires_grad=True)
    (x * 0.5).sum().backward()
    assert x.dtype.kind == "f" and x.grad.dtype == x.dtype
    np.testing.assert_array_equal(x.grad, [0.5, 0.5, 0.5])


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ones(0).max(), id="Tensor-max"),
        pytest.param(lambda: autograd.stack([]), id="stack"),
        pytest.param(lambda: ones(0).mean(), id="Tensor-mean"),
        pytest.param(lambda: ones(0).logsumexp(), id="Tensor-logsumexp"),
    ],
)
def test_an_empty_input_is_refused_where_it_has_no_answer(call):
    expect(ValueError, call, "empty")


def test_an_empty_sum_is_zero_with_an_empty_grad():
    """Where an empty input has an answer, it is the right one (Σ of nothing is 0)."""
    x = ones(0)
    out = x.sum()
    out.backward()
    assert out.item() == 0.0 and x.grad.shape == (0,)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Value(1.0) + ones(2), id="Value+Tensor"),
        pytest.param(lambda: ones(2) + Value(1.0), id="Tensor+Value"),
        pytest.param(lambda: ones(2) * Value(1.0), id="Tensor*Value"),
        pytest.param(lambda: Value(ones(1)), id="Value(Tensor)"),
        pytest.param(lambda: Tensor(Value(1.0)), id="Tensor(Value)"),
        pytest.param(lambda: Tensor([Value(1.0), Value(2.0)]), id="Tensor([Values])"),
        pytest.param(lambda: ones(3)[Value(1.0)], id="index-with-Value"),
    ],
)
def test_a_value_mixed_with_a_tensor_is_refused(call):
    expect(TypeError, call, "Value|Tensor")


@pytest.mark.parametrize("label", [3, -1], ids=["too-large", "negative"])
def test_a_label_out_of_range_for_cross_entropy_is_refused(label):
    expect(
        ValueError,
        lambda: ones(2, 3).cross_entropy([0, label]),
        rf"(?<![\d-]){label}(?!\d)",
        r"0\s*(\.\.|…)\s*2|3 classes",
    )


@pytest.mark.parametrize(
    "call,error_type,pattern",
    [
        pytest.param(lambda: ones(2).__mul__(-1.0).log(), ValueError, "log.*positive", id="Tensor-log"),
        pytest.param(lambda: (ones(2) * -1.0).sqrt(), ValueError, "sqrt.*non-negative", id="Tensor-sqrt"),
        pytest.param(lambda: ones(2) / np.zeros(2), ZeroDivisionError, "division by zero", id="Tensor-div"),
        pytest.param(lambda: (ones(2) * -8.0) ** 0.5, ValueError, "negative base", id="Tensor-pow"),
        pytest.param(
            lambda: (ones(2) * -8.0) ** Tensor(np.full(2, 0.5)),
            ValueError,
            "negative base|positive",
            id="Tensor-pow-Tensor",
        ),
    ],
)
def test_an_op_outside_its_domain_is_refused(call, error_type, pattern):
    expect(error_type, call, pattern)


# ---------------------------------------------------------------------- backward refuses, or gives None
def test_backward_on_a_non_scalar_without_a_grad_is_refused():
    out = ones(2, 3) * 2.0
    expect(RuntimeError, out.backward, "one-element", shape_pattern((2, 3)), r"\.sum\(\)")


def test_backward_through_tensors_that_need_no_grad_is_refused():
    out = (ones(3, requires_grad=False) * 2.0).sum()
    expect(RuntimeError, out.backward, "does not require grad", "requires_grad=True")
    detached = (ones(3) * 2.0).detach().sum()
    expect(RuntimeError, detached.backward, "does not require grad")
    with autograd.no_grad():
        recorded_nothing = (ones(3) * 2.0).sum()
    expect(RuntimeError, recorded_nothing.backward, "does not require grad")


def test_an_input_that_needs_no_grad_gets_none_and_the_others_are_right():
    constant, weight = ones(3, requires_grad=False), Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    (constant * weight * weight).sum().backward()
    assert constant.grad is None
    np.testing.assert_array_equal(weight.grad, 2 * weight.data)


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
        (np.array([0.5, 1.0]), ValueError, "whole numbers"),
    ],
)
@pytest.mark.parametrize("engine", ["tensor", "value"])
def test_cross_entropy_refuses_bad_labels_with_the_same_words_in_both_engines(engine, targets, error, words) -> None:
    """The labels are checked in one place (autograd.targets) for both engines."""
    logits = Tensor(np.zeros((2, 3))) if engine == "tensor" else [[Value(0.0)] * 3, [Value(0.0)] * 3]
    with pytest.raises(error, match=words):
        F.cross_entropy(logits, targets)


def test_cross_entropy_refuses_a_bad_reduction_and_bad_logits() -> None:
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1]), reduction="avg")
    with pytest.raises(ValueError, match=r"\(2, 3, 4\)"):
        F.cross_entropy(Tensor(np.zeros((2, 3, 4))), np.array([0, 1]))


def test_mse_loss_refuses_a_bad_reduction_targets_that_do_not_fit_and_an_empty_mean() -> None:
    x = Tensor(np.zeros((2, 4)), requires_grad=True)
    expect(ValueError, lambda: x.mse_loss(np.zeros((2, 4)), reduction="avg"), "mse_loss", "reduction", "'avg'")
    expect(ValueError, lambda: x.mse_loss(np.zeros(3)), "mse_loss", shape_pattern((3,)), shape_pattern((2, 4)))
    # Targets that broadcast to a larger shape would silently compare every output with every target.
    expect(ValueError, lambda: Tensor(np.zeros((2, 1))).mse_loss(np.zeros((2, 4))), "mse_loss", shape_pattern((2, 1)))
    expect(ValueError, lambda: Tensor(np.zeros((0, 2))).mse_loss(np.zeros((0, 2))), "mse_loss", "empty")
    expect(ValueError, lambda: x.mse_loss(np.full((2, 4), np.nan)), "finite")


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


@pytest.mark.parametrize("rows", [1, 2, 5])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weight_grads_of_one_example_equal_the_matrix_product(rows, dtype) -> None:
    # One example takes a broadcast multiply instead of the GEMM for the weight grad: the same numbers.
    rng = np.random.default_rng(rows)
    x_data = rng.standard_normal((rows, 7)).astype(dtype)
    w, b = Tensor(rng.standard_normal((4, 7)).astype(dtype), requires_grad=True), Tensor(np.zeros(4, dtype), True)
    upstream = rng.standard_normal((rows, 4)).astype(dtype)
    F.linear(Tensor(x_data), w, b).backward(upstream)
    np.testing.assert_array_equal(w.grad, upstream.T @ x_data)
    v = Tensor(rng.standard_normal((7, 4)).astype(dtype), requires_grad=True)
    (Tensor(x_data) @ v).backward(upstream)
    np.testing.assert_array_equal(v.grad, x_data.T @ upstream)
    assert w.grad.dtype == v.grad.dtype == dtype and w.grad.flags.c_contiguous
    x = leaf(rng.standard_normal((rows, 3)))
    assert gradcheck(lambda x, w: (x @ w).tanh(), [x, leaf(rng.standard_normal((3, 2)))])


# ---------------------------------------------------------------------- indexing: every kind NumPy reads
@pytest.mark.torch
@pytest.mark.parametrize(
    "shape, index, expected",
    [
        ((3,), ((0, 0),), [2, 0, 0]),
        ((3, 2), ((0, 0), slice(None)), [[2, 2], [0, 0], [0, 0]]),
        ((3, 3), ((1, 1), (2, 2)), [[0, 0, 0], [0, 0, 2], [0, 0, 0]]),
        ((3, 2), ([2, 2, 0],), [[1, 1], [0, 0], [2, 2]]),
        ((3, 2), (slice(None), [1, 1]), [[0, 2], [0, 2], [0, 2]]),
    ],
)
def test_repeated_positions_in_tuples_and_lists_add_their_grads(shape, index, expected, torch) -> None:
    x = leaf(np.arange(np.prod(shape), dtype=np.float64).reshape(shape))
    out = x[index]
    np.testing.assert_array_equal(out.data, x.data[index])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, expected)
    t = torch.tensor(x.data, requires_grad=True)
    t[tuple(torch.tensor(p) if isinstance(p, (tuple, list)) else p for p in index)].sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_an_index_list_of_floats_is_refused() -> None:
    with pytest.raises(IndexError, match="ints or booleans"):
        leaf([1.0, 2.0])[[0.5, 1.0]]
    assert leaf([1.0, 2.0])[[]].shape == (0,)


# ---------------------------------------------------------------------- truth value, as NumPy
@pytest.mark.parametrize("data, expected", [([0.0], False), ([2.0], True), (0.0, False), (-1.5, True), ([[1.0]], True)])
def test_truth_of_a_one_element_tensor_is_its_number(data, expected) -> None:
    assert bool(Tensor(data)) is expected is bool(np.array(data))


@pytest.mark.parametrize("data", [[1.0, 2.0], [0.0, 0.0], np.zeros((0,))])
def test_truth_of_several_or_no_elements_is_ambiguous(data) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor(data))
    with pytest.raises(ValueError):
        bool(np.array(data))


# ---------------------------------------------------------------------- axes: lists, tuples, 0-d, empty
AXIS_OPS = ["sum", "mean", "max", "logsumexp", "softmax", "log_softmax"]


def _torch_along(torch, name, t, dims, keepdim=False):
    """PyTorch's version of our op over ``dims`` (softmax over several axes written out)."""
    if name in ("softmax", "log_softmax"):
        log_s = t - torch.logsumexp(t, dim=dims, keepdim=True)
        return log_s.exp() if name == "softmax" else log_s
    if name == "max":
        return t.amax(dim=dims, keepdim=keepdim)
    return getattr(torch, name)(t, dim=dims, keepdim=keepdim)


@pytest.mark.torch
@pytest.mark.parametrize("name", AXIS_OPS)
@pytest.mark.parametrize("axis", [[0, 2], (0, -1), [1], (2, 1), (0, 1, 2)])
def test_every_reduction_takes_a_list_or_tuple_of_axes(name, axis, torch) -> None:
    data = np.random.default_rng(3).standard_normal((2, 3, 4))
    x = leaf(data)
    kwargs = {} if name in ("softmax", "log_softmax") else {"keepdims": True}
    out = getattr(x, name)(axis=axis, **kwargs)
    weights = np.random.default_rng(4).uniform(0.5, 1.5, out.shape)
    (out * weights).sum().backward()
    t = torch.tensor(data, requires_grad=True)
    expected = _torch_along(torch, name, t, tuple(axis), keepdim=True)
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("name", AXIS_OPS)
@pytest.mark.parametrize("axis", [0, -1, (0,), [-1]])
def test_a_0d_tensor_takes_axis_0_and_minus_1_as_torch(name, axis, torch) -> None:
    x = leaf(1.5)
    out = getattr(x, name)(axis=axis)
    out.backward()
    t = torch.tensor(1.5, requires_grad=True)
    dims = axis if isinstance(axis, int) else tuple(axis)
    expected = {"sum": lambda: t.sum(dims), "mean": lambda: t.mean(dims), "max": lambda: t.amax(dims),
                "logsumexp": lambda: torch.logsumexp(t, dims),
                "softmax": lambda: torch.softmax(t, dims if isinstance(dims, int) else dims[0]),
                "log_softmax": lambda: torch.log_softmax(t, dims if isinstance(dims, int) else dims[0])}[name]()
    expected.backward()
    assert out.shape == () and out.item() == pytest.approx(expected.item(), abs=1e-15)
    assert x.grad.shape == () and x.grad.item() == pytest.approx(t.grad.item(), abs=1e-15)


def test_a_0d_tensor_refuses_other_axes() -> None:
    with pytest.raises(ValueError, match="axis 1 is out of range for a Tensor with 0 axes"):
        leaf(1.5).sum(axis=1)


def test_sum_over_no_axis_keeps_every_element_as_numpy_and_says_so() -> None:
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    out = x.sum(axis=())
    np.testing.assert_array_equal(out.data, np.sum(x.data, axis=()))
    out.backward(np.array([[1.0, 2.0], [3.0, 4.0]]))
    np.testing.assert_array_equal(x.grad, [[1.0, 2.0], [3.0, 4.0]])
    assert "axis=()" in Tensor.sum.__doc__ and "PyTorch" in Tensor.sum.__doc__


def test_flatten_of_a_zero_size_tensor_keeps_the_batch_axis() -> None:
    x = leaf(np.zeros((0, 3, 4)))
    assert x.flatten(1).shape == (0, 12)
    assert x.flatten().shape == (0,)
    assert leaf(np.zeros((2, 0, 4))).flatten(1).shape == (2, 0)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_over_a_zero_size_axis_is_empty_as_torch(name) -> None:
    x = leaf(np.zeros((3, 0)))
    out = getattr(x, name)(axis=1)
    assert out.shape == (3, 0)
    out.sum().backward()
    assert x.grad.shape == (3, 0)


# ---------------------------------------------------------------------- clip with Tensor bounds; ties
@pytest.mark.torch
def test_clip_with_tensor_bounds_matches_torch_clamp_ties_included(torch) -> None:
    data = np.array([-2.0, 0.5, 1.0, 3.0, 1.5, 1.5, 1.0, 0.0])
    low = np.array([0.0, 0.5, 2.0, 0.0, 1.5, 2.0, 1.0, 0.0])
    high = np.array([1.0, 2.0, 1.0, 1.0, 1.5, 1.0, 1.0, -1.0])
    for use_low, use_high in [(True, True), (True, False), (False, True)]:
        x, lo, hi = leaf(data), leaf(low), leaf(high)
        out = x.clip(lo if use_low else None, hi if use_high else None)
        weights = np.arange(1.0, 9.0)
        (out * weights).sum().backward()
        t, tlo, thi = (torch.tensor(a, requires_grad=True) for a in (data, low, high))
        expected = torch.clamp(t, tlo if use_low else None, thi if use_high else None)
        (expected * torch.tensor(weights)).sum().backward()
        np.testing.assert_array_equal(out.data, expected.detach().numpy())
        for ours, theirs, used in ((x, t, True), (lo, tlo, use_low), (hi, thi, use_high)):
            if used:
                np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())


def test_clip_bounds_may_be_arrays_or_broadcast_tensors() -> None:
    x = leaf([[-2.0, 0.5], [3.0, 1.0]])
    low = leaf([0.0, 1.0])
    out = x.clip(low, np.array([[1.0], [2.0]]))
    np.testing.assert_array_equal(out.data, [[0.0, 1.0], [2.0, 1.0]])
    out.sum().backward()
    np.testing.assert_array_equal(low.grad, [1.0, 0.0])  # 0.5 < low = high = 1: the result is high, as torch
    assert gradcheck(lambda x, low: x.clip(low, 2.5), [leaf([[-2.0, 0.3], [3.0, 1.7]]), leaf([0.1, 1.2])])
    with pytest.raises(ValueError, match=r"clip: shapes \(2, 2\) and \(3,\)"):
        x.clip(np.zeros(3))


@pytest.mark.torch
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_and_minimum_split_a_tie_in_half_as_torch(name, torch) -> None:
    a_data, b_data = np.array([1.0, 2.0, 3.0, -1.0]), np.array([1.0, 1.0, 4.0, -1.0])
    a, b = leaf(a_data), leaf(b_data)
    getattr(a, name)(b).sum().backward()
    ta, tb = torch.tensor(a_data, requires_grad=True), torch.tensor(b_data, requires_grad=True)
    getattr(torch, name)(ta, tb).sum().backward()
    np.testing.assert_array_equal(a.grad, ta.grad.numpy())
    np.testing.assert_array_equal(b.grad, tb.grad.numpy())
    assert a.grad[0] == 0.5 and "half" in getattr(Tensor, name).__doc__


def test_max_along_an_axis_gives_a_tie_to_the_first_maximum_as_value_max() -> None:
    x = leaf([[1.0, 3.0, 3.0]])
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 0.0]])
    values = [Value(1.0), Value(3.0), Value(3.0)]
    autograd.max(values).backward()
    assert [v.grad for v in values] == [0.0, 1.0, 0.0]


# ---------------------------------------------------------------------- b ** x at b = 0
@pytest.mark.torch
def test_power_with_a_tensor_exponent_at_base_0_has_torchs_grads(torch) -> None:
    base_data, exponent_data = np.array([0.0, 0.0, 0.0, 0.0, 2.0]), np.array([0.0, 1.0, 2.0, 0.5, 0.5])
    b, w = leaf(base_data), leaf(exponent_data)
    with _no_runtime_warning():
        (b**w).sum().backward()
    tb, tw = torch.tensor(base_data, requires_grad=True), torch.tensor(exponent_data, requires_grad=True)
    (tb**tw).sum().backward()
    np.testing.assert_array_equal(b.grad, tb.grad.numpy())  # inf at 0 ** 0.5, as the slope
    np.testing.assert_array_equal(w.grad, tw.grad.numpy())
    assert w.grad[0] == 0.0 and b.grad[0] == 0.0
    z = leaf(0.0)
    (0.0**z).backward()
    assert z.grad.item() == 0.0


def test_a_negative_base_with_a_constant_exponent_tensor_is_fine() -> None:
    out = Tensor([-2.0]) ** Tensor([3.0])
    assert out.item() == -8.0


# ---------------------------------------------------------------------- IEEE at the edges, without warnings
@contextlib.contextmanager
def _no_runtime_warning():
    """Fail if NumPy shows a RuntimeWarning (under the filters in force, the engine's own included)."""
    with warnings.catch_warnings(record=True) as caught:
        yield
    shown = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not shown, f"RuntimeWarnings leaked: {shown}"


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Tensor(1000.0).exp(), np.inf),
        (lambda: Tensor(np.array(1000.0)).exp(), np.inf),
        (lambda: Tensor(3e38) * 10, np.inf),
        (lambda: Tensor(1e308, dtype=np.float64) * 10, np.inf),
        (lambda: Tensor(-3e38) - 3e38, -np.inf),
        (lambda: Tensor(1e20) ** 3, np.inf),
        (lambda: 10.0 ** Tensor(100.0), np.inf),
        (lambda: Tensor([3e38, 3e38]).sum(), np.inf),
        (lambda: Tensor([3e38, 3e38]).mean(), np.inf),
        (lambda: Tensor([[3e38]]) @ Tensor([[10.0]]), np.inf),
        (lambda: (Tensor(1000.0).exp() - Tensor(1000.0).exp()), np.nan),
        (lambda: Tensor([1000.0]).exp().softmax(), np.nan),
        (lambda: F.linear(Tensor([[3e38]]), Tensor([[10.0]])), np.inf),
    ],
)
def test_overflow_follows_ieee_without_a_warning(make, expected) -> None:
    with _no_runtime_warning():
        out = make()
    np.testing.assert_array_equal(np.asarray(out.data).reshape(-1)[0], expected)


def test_infinite_slopes_backpropagate_as_inf_without_a_warning() -> None:
    x = leaf([0.0, 4.0])
    with _no_runtime_warning():
        y = x.sqrt()
        y.sum().backward()
    np.testing.assert_array_equal(y.data, [0.0, 2.0])  # √0 = 0, its slope inf
    np.testing.assert_array_equal(x.grad, [np.inf, 0.25])
    x = leaf([0.0])
    with _no_runtime_warning():
        (x**0.5).sum().backward()
        big = leaf(800.0)
        big.exp().backward()
    assert x.grad[0] == np.inf and big.grad.item() == np.inf


def test_anomaly_mode_names_the_first_op_that_overflows() -> None:
    x = leaf([1.0, 800.0])
    with autograd.detect_anomaly(), pytest.raises(AnomalyError, match="exp"):
        (x * 2).exp().sum()


# ---------------------------------------------------------------------- backward's seed
@pytest.mark.parametrize(
    "seed, error, words",
    [
        (np.array([1.0, np.nan]), ValueError, "finite"),
        (np.array([np.inf, 1.0]), ValueError, "finite"),
        (np.array([1 + 2j, 1.0]), TypeError, "real"),
        (np.array(["a", "b"]), TypeError, "real"),
    ],
)
def test_backward_refuses_a_nan_infinite_or_complex_seed(seed, error, words) -> None:
    x = leaf([1.0, 2.0])
    with pytest.raises(error, match=words):
        (x * 3).backward(seed)
    assert x.grad is None


@pytest.mark.parametrize("seed", [float("nan"), float("inf"), 1j])
def test_a_bad_seed_of_a_0d_root_is_refused(seed) -> None:
    with pytest.raises((ValueError, TypeError)):
        (leaf(2.0) * 3).backward(np.array(seed))


# ---------------------------------------------------------------------- grad set to a number
def test_grad_set_to_zero_as_in_micrograd_is_a_zero_grad_in_both_engines() -> None:
    x = leaf([1.0, 2.0])
    x.grad = 0.0
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    v = Value(2.0)
    v.grad = 0.0
    (v * v).backward()
    assert v.grad == 4.0


def test_a_hand_written_sgd_loop_that_zeroes_with_a_number_still_trains() -> None:
    w = Tensor(np.array([3.0]), requires_grad=True)
    for _ in range(50):
        w.grad = 0
        loss = ((w - 1.0) ** 2).sum()
        loss.backward()
        w.data -= 0.1 * w.grad
    assert abs(w.item() - 1.0) < 1e-3


@pytest.mark.parametrize("bad", [5.0, np.zeros(3), np.zeros((2, 1)), True])
def test_grad_set_to_another_number_or_shape_is_refused_with_a_sentence(bad) -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True, label="w")
    x.grad = bad
    with pytest.raises(ValueError, match=r"grad of Tensor 'w' of shape \(2,\).*None"):
        (x * x).sum().backward()


# ---------------------------------------------------------------------- float32 sums over a long batch axis
def _relative_error(ours: np.ndarray, exact: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(ours, dtype=np.float64) - exact) / np.abs(exact)))


@pytest.mark.parametrize("rows", [10**4, 6 * 10**4, 10**6])
def test_float32_sums_over_the_batch_axis_keep_pytorchs_accuracy(rows) -> None:
    """Summed one row after another, 10^6 rows of 0.1 gave 100,958 for 100,000 (a relative error of 1e-2)."""
    data = np.full((rows, 3), 0.1, dtype=np.float32)
    data[:, 1] = np.random.default_rng(rows).random(rows, dtype=np.float32)
    exact = data.astype(np.float64).sum(axis=0)
    x = Tensor(data, requires_grad=True)
    assert _relative_error(x.sum(axis=0).data, exact) < 1e-6
    assert _relative_error(x.mean(axis=0).data, exact / rows) < 1e-6
    assert _relative_error(x.sum(axis=(0,), keepdims=True).data[0], exact) < 1e-6
    # Every grad that reaches a broadcast input is such a sum: a bias, and a row added to a batch.
    weight = Tensor(np.eye(3, dtype=np.float32), requires_grad=True)
    bias = Tensor(np.zeros(3, dtype=np.float32), requires_grad=True)
    F.linear(Tensor(np.zeros((rows, 3), np.float32)), weight, bias).backward(data)
    assert bias.grad.dtype == np.float32 and _relative_error(bias.grad, exact) < 1e-6
    row = Tensor(np.zeros(3, np.float32), requires_grad=True)
    (x + row).backward(data)
    assert _relative_error(row.grad, exact) < 1e-6


def test_pairwise_sums_agree_with_numpy_on_every_layout_and_axis_set() -> None:
    rng = np.random.default_rng(0)
    base = rng.standard_normal((300, 2, 140))
    for x in (base, base.transpose(2, 0, 1), base[:, :, ::2], np.asfortranarray(base)):
        t = Tensor(x)
        assert np.shares_memory(t.data, x)  # the layout under test is the one summed
        for axes in [(0,), (2,), (1,), (0, 2), (0, 1), (1, 2), (0, 1, 2), None, ()]:
            for keepdims in (False, True):
                np.testing.assert_allclose(t.sum(axis=axes, keepdims=keepdims).data,
                                           np.sum(x, axis=axes, keepdims=keepdims), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- data changed after the forward pass
@pytest.mark.torch
def test_backward_after_an_optimizer_step_refuses_the_stale_graph_naming_the_tensor(torch) -> None:
    from nn.optim import SGD

    w = Tensor(np.array([1.0, 2.0]), requires_grad=True, label="w")
    loss = (w * w).sum()
    loss.backward()
    SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match=r"data of Tensor 'w' of shape \(2,\) was changed.*'\*'.*forward pass again"):
        loss.backward()
    # PyTorch refuses the same sequence.
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    tloss = (tw * tw).sum()
    tloss.backward(retain_graph=True)
    torch.optim.SGD([tw], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        tloss.backward()


@pytest.mark.parametrize("change", ["assign", "add in place", "assign a list"])
def test_assigning_data_after_the_forward_pass_refuses_backward(change) -> None:
    x = leaf([1.0, 2.0])
    out = x.exp().sum()
    if change == "assign":
        x.data = np.array([3.0, 4.0])
    elif change == "add in place":
        x.data += 1.0
    else:
        x.data = [3.0, 4.0]
    with pytest.raises(RuntimeError, match=r"was changed .* after the op 'exp' used it"):
        out.backward()
    fresh = x.exp().sum()  # the forward pass again: fine
    fresh.backward()
    np.testing.assert_allclose(x.grad, np.exp(x.data))


def test_a_change_to_a_tensor_outside_the_graph_and_the_usual_training_loop_are_fine() -> None:
    from nn.optim import Adam

    w, other = leaf([0.5, -0.5]), leaf([1.0])
    optimizer = Adam([w, other], lr=0.01)
    for _ in range(3):
        optimizer.zero_grad()
        loss = ((w - 1.0) ** 2).sum()
        other.data = other.data * 2  # not an input of this loss
        loss.backward()
        optimizer.step()
    assert np.all(w.data > np.array([0.5, -0.5])) and w._version > 0  # moved towards 1


def test_gradcheck_perturbing_inputs_leaves_later_graphs_usable() -> None:
    x = leaf([0.3, -0.7])
    assert gradcheck(lambda x: (x * x).tanh(), [x])
    x.grad = None
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
