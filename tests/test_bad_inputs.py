"""The catalogue of bad inputs: each gets an error of the right type whose message names the problem.

One test per kind of bad input, run across the scalar engine, the tensor engine and ``nn``
(the parametrised cases are the places the input can arrive). Every test checks the error's
type and that its message says what was wrong (the offending type, both shapes, the label and
the class count, ...). Where a gradient rather than an error is the right answer (backward
twice, an input that needs no grad), the test checks the numbers.

Cases marked ``xfail(strict=True)`` are bad inputs that are not yet refused: each reason says
what happens instead. Once fixed, the mark turns the test red until it is removed.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import autograd
import nn
from autograd import AnomalyError, Tensor, Value, detect_anomaly
from nn import MLP, Linear, StateDictError, mlp
from nn.optim import SGD, Adam, RMSprop


def expect(error_type: type[BaseException], call, *patterns: str) -> str:
    """Call ``call()``; assert it raises ``error_type`` and the message matches every regex in ``patterns``."""
    with pytest.raises(error_type) as caught:
        call()
    message = str(caught.value)
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not found in the message {message!r}"
    return message


def shape_pattern(shape: tuple) -> str:
    """A regex for ``shape`` written as Python (``(2, 3)``) or as NumPy (``(2,3)``) writes it."""
    return r"\(" + r",\s*".join(str(n) for n in shape) + (r",?" if len(shape) == 1 else "") + r"\)"


def tensor(*shape: int, requires_grad: bool = True) -> Tensor:
    return Tensor(np.ones(shape), requires_grad=requires_grad)


def small_mlp() -> MLP:
    return MLP(2, [3, 1], seed=0)


NOT_REFUSED = "not refused yet: "


# ---------------------------------------------------------------------------- wrong types
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Value("1.5"), id="Value"),
        pytest.param(lambda: Value(1.0) + "1.5", id="Value-op"),
        pytest.param(lambda: Tensor("1.5"), id="Tensor"),
        pytest.param(lambda: tensor(2) * "1.5", id="Tensor-op"),
        pytest.param(lambda: small_mlp()("12"), id="MLP"),
        pytest.param(lambda: Linear(2, 1)("12"), id="Linear"),
        pytest.param(lambda: nn.mse_loss(tensor(2), "12"), id="loss-target"),
    ],
)
def test_a_string_is_refused(call):
    expect(TypeError, call, r"\bstr\b|<U")


def test_a_string_learning_rate_is_refused():
    expect(ValueError, lambda: SGD(small_mlp().parameters(), lr="0.1"), "lr", "'0.1'")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Value(None), id="Value"),
        pytest.param(lambda: Value(1.0) * None, id="Value-op"),
        pytest.param(lambda: Tensor(None), id="Tensor"),
        pytest.param(lambda: tensor(2) + None, id="Tensor-op"),
        pytest.param(lambda: small_mlp()(None), id="MLP"),
        pytest.param(lambda: Linear(2, 1)(None), id="Linear"),
        pytest.param(lambda: nn.mse_loss([Value(1.0)], None), id="loss-target"),
    ],
)
def test_none_is_refused(call):
    expect(TypeError, call, "NoneType|None")


def test_a_none_learning_rate_is_refused():
    expect(ValueError, lambda: Adam(small_mlp().parameters(), lr=None), "lr", "None")


@pytest.mark.parametrize(
    "error_type,call,pattern",
    [
        pytest.param(TypeError, lambda: Tensor([1.0, "a"]), "real numbers", id="Tensor-str"),
        pytest.param(TypeError, lambda: Tensor([1.0, None]), "real numbers", id="Tensor-None"),
        pytest.param(TypeError, lambda: Tensor([1.0, Value(2.0)]), "cannot mix a Value", id="Tensor-Value"),
        pytest.param(TypeError, lambda: Value([1.0, "a"]), "real number.*list", id="Value"),
        pytest.param(TypeError, lambda: tensor(2) + [1.0, "a"], "real numbers", id="Tensor-op"),
        pytest.param(TypeError, lambda: small_mlp()([1.0, "a"]), "input 1.*str.*'a'", id="MLP"),
        pytest.param(TypeError, lambda: nn.mse_loss([Value(1.0), Value(2.0)], [1.0, "a"]), "numbers", id="loss"),
        pytest.param(TypeError, lambda: nn.mse_loss(tensor(2), [1.0, "a"]), "numbers", id="loss-Tensor"),
    ],
)
def test_a_list_of_mixed_types_is_refused(error_type, call, pattern):
    expect(error_type, call, pattern)


def test_a_ragged_nested_list_is_refused():
    expect(ValueError, lambda: Tensor([[1.0, 2.0], [3.0]]), "inhomogeneous")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Value(1 + 2j), id="Value"),
        pytest.param(lambda: Value(1.0) + 2j, id="Value-op"),
        pytest.param(lambda: Tensor([1 + 2j]), id="Tensor"),
        pytest.param(lambda: Tensor(np.ones(2, dtype=np.complex128)), id="Tensor-array"),
        pytest.param(lambda: tensor(2) * 2j, id="Tensor-op"),
        pytest.param(lambda: small_mlp()([1j, 2.0]), id="MLP"),
        pytest.param(lambda: nn.mse_loss(tensor(2), np.array([1j, 2.0])), id="loss-target"),
    ],
)
def test_a_complex_number_is_refused(call):
    expect(TypeError, call, "complex")


def test_a_complex_learning_rate_is_refused():
    expect(ValueError, lambda: SGD(small_mlp().parameters(), lr=0.1j), "lr", "0.1j")


# ---------------------------------------------------------------------------- NaN and inf
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "call,pattern",
    [
        pytest.param(lambda bad: Value(bad), "finite", id="Value"),
        pytest.param(lambda bad: Value(1.0) + bad, "finite", id="Value-op"),
        pytest.param(lambda bad: nn.mse_loss([Value(1.0)], [bad]), "finite|nan|inf", id="loss-target"),
        pytest.param(
            lambda bad: Tensor([1.0, bad]),
            "finite|nan|inf",
            id="Tensor",
        ),
        pytest.param(lambda bad: small_mlp()([bad, 1.0]), "finite|nan|inf", id="MLP"),
        pytest.param(lambda bad: nn.mse_loss(tensor(2), [bad, 1.0]), "finite|nan|inf", id="loss-target-Tensor"),
    ],
)
def test_a_non_finite_input_is_refused(call, pattern, bad):
    expect(ValueError, lambda: call(bad), pattern)


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_anomaly_mode_names_the_first_op_that_made_a_non_finite_number(engine):
    big = Value(1e300) if engine == "Value" else Tensor(np.full(3, 1e300), requires_grad=True)
    with detect_anomaly():
        expect(AnomalyError, lambda: (big * big) + 1.0, r"^\*: result", "anomaly")


def test_a_nan_in_a_saved_model_is_refused(tmp_path):
    model = small_mlp()
    state = model.state_dict()
    first = next(iter(state))
    state[first] = np.array(np.nan)
    np.savez(tmp_path / "nan.npz", **state)
    expect(StateDictError, lambda: small_mlp().load(tmp_path / "nan.npz"), re.escape(first), "NaN")


# ---------------------------------------------------------------------------- shape mismatches
@pytest.mark.parametrize(
    "call,shapes",
    [
        pytest.param(lambda: tensor(2, 3) + tensor(4), [(2, 3), (4,)], id="add"),
        pytest.param(lambda: tensor(2, 3) * tensor(3, 2), [(2, 3), (3, 2)], id="mul"),
        pytest.param(lambda: tensor(2, 3) @ tensor(2, 3), [(2, 3), (2, 3)], id="matmul"),
        pytest.param(lambda: autograd.concatenate([tensor(2, 3), tensor(2, 4)]), [(2, 3), (2, 4)], id="concatenate"),
        pytest.param(lambda: autograd.stack([tensor(2, 3), tensor(3, 2)]), [(2, 3), (3, 2)], id="stack"),
        pytest.param(lambda: tensor(2, 3).reshape(4, 2), [(2, 3), (4, 2)], id="reshape"),
        pytest.param(lambda: tensor(3).backward(np.ones(2)), [(2,), (3,)], id="backward-grad"),
        pytest.param(lambda: Linear(3, 2)(tensor(5, 2)), [(5, 2)], id="Linear"),
        pytest.param(lambda: nn.mse_loss(tensor(4, 1), np.ones(3)), [(4, 1), (3,)], id="loss"),
        pytest.param(lambda: nn.mse_loss([Value(1.0), Value(2.0)], [1.0]), [(2,), (1,)], id="loss-Values"),
        pytest.param(lambda: nn.cross_entropy(tensor(4, 3), [0, 1]), [(4, 3), (2,)], id="cross-entropy"),
    ],
)
def test_a_shape_mismatch_names_both_shapes(call, shapes):
    expect(ValueError, call, *(shape_pattern(shape) for shape in shapes))


# ---------------------------------------------------------------------------- backward
def test_backward_on_a_non_scalar_without_a_grad_is_refused():
    out = tensor(2, 3) * 2.0
    expect(RuntimeError, out.backward, "one-element", shape_pattern((2, 3)), r"\.sum\(\)")


def test_backward_twice_accumulates_into_leaves_exactly_once_per_call():
    """A documented choice (as PyTorch with retain_graph=True): leaves add up, intermediate grads do not."""
    x = Value(0.7)
    hidden = x * x
    out = hidden.tanh()
    out.backward()
    first = x.grad
    out.backward()
    assert x.grad == 2 * first and hidden.grad == 1 - math.tanh(0.49) ** 2

    t = Tensor(np.array([0.7, -0.2]), requires_grad=True)
    hidden_t = t * t
    out_t = hidden_t.tanh().sum()
    out_t.backward()
    first_t = t.grad.copy()
    out_t.backward()
    np.testing.assert_array_equal(t.grad, 2 * first_t)
    np.testing.assert_allclose(hidden_t.grad, 1 - np.tanh(hidden_t.data) ** 2)


def test_backward_through_tensors_that_need_no_grad_is_refused():
    out = (tensor(3, requires_grad=False) * 2.0).sum()
    expect(RuntimeError, out.backward, "does not require grad", "requires_grad=True")
    detached = (tensor(3) * 2.0).detach().sum()
    expect(RuntimeError, detached.backward, "does not require grad")
    with autograd.no_grad():
        recorded_nothing = (tensor(3) * 2.0).sum()
    expect(RuntimeError, recorded_nothing.backward, "does not require grad")


def test_an_input_that_needs_no_grad_gets_none_and_the_others_are_right():
    constant, weight = tensor(3, requires_grad=False), Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    (constant * weight * weight).sum().backward()
    assert constant.grad is None
    np.testing.assert_array_equal(weight.grad, 2 * weight.data)


# ---------------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float16, np.complex64])
def test_a_non_float_tensor_dtype_is_refused(dtype):
    expect(TypeError, lambda: Tensor([1, 2], dtype=dtype), "float32 or float64", np.dtype(dtype).name)


def test_integer_data_becomes_float_so_grads_are_not_truncated():
    x = Tensor(np.arange(3), requires_grad=True)
    (x * 0.5).sum().backward()
    assert x.dtype.kind == "f" and x.grad.dtype == x.dtype
    np.testing.assert_array_equal(x.grad, [0.5, 0.5, 0.5])


def test_an_integer_layer_dtype_is_refused():
    expect(TypeError, lambda: Linear(2, 2, dtype=np.int64), "float32 or float64", "int64")
    expect(TypeError, lambda: mlp(2, [2], dtype=np.int32), "float32 or float64", "int32")


def test_integer_parameters_in_a_file_are_refused(tmp_path):
    model = mlp(2, [3, 1], seed=0)
    np.savez(tmp_path / "int.npz", **{name: a.astype(np.int64) for name, a in model.state_dict().items()})
    expect(StateDictError, lambda: mlp(2, [3, 1]).load(tmp_path / "int.npz"), "dtype int64", "float32")


# ---------------------------------------------------------------------------- empty arrays
@pytest.mark.parametrize(
    "call,pattern",
    [
        pytest.param(lambda: autograd.max([]), "empty", id="Value-max"),
        pytest.param(lambda: autograd.logsumexp([]), "empty", id="Value-logsumexp"),
        pytest.param(lambda: autograd.softmax([]), "empty", id="Value-softmax"),
        pytest.param(lambda: tensor(0).max(), "empty", id="Tensor-max"),
        pytest.param(lambda: autograd.stack([]), "empty", id="stack"),
        pytest.param(lambda: SGD([], lr=0.1), "empty", id="optimizer"),
        pytest.param(lambda: MLP(2, []), "at least one layer", id="MLP"),
        pytest.param(
            lambda: tensor(0).mean(),
            "empty",
            id="Tensor-mean",
        ),
        pytest.param(
            lambda: tensor(0).logsumexp(),
            "empty",
            id="Tensor-logsumexp",
        ),
        pytest.param(lambda: nn.mse_loss(tensor(0), np.ones(0)), "empty", id="loss"),
        pytest.param(lambda: nn.cross_entropy(tensor(0, 3), np.zeros(0, dtype=int)), "empty", id="cross-entropy"),
    ],
)
def test_an_empty_input_is_refused_where_it_has_no_answer(call, pattern):
    expect(ValueError, call, pattern)


def test_an_empty_sum_is_zero_with_an_empty_grad():
    """Where an empty input has an answer, it is the right one (Σ of nothing is 0)."""
    x = tensor(0)
    out = x.sum()
    out.backward()
    assert out.item() == 0.0 and x.grad.shape == (0,)


# ---------------------------------------------------------------------------- Value mixed with Tensor
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: Value(1.0) + tensor(2), id="Value+Tensor"),
        pytest.param(lambda: tensor(2) + Value(1.0), id="Tensor+Value"),
        pytest.param(lambda: tensor(2) * Value(1.0), id="Tensor*Value"),
        pytest.param(lambda: Value(tensor(1)), id="Value(Tensor)"),
        pytest.param(lambda: Tensor(Value(1.0)), id="Tensor(Value)"),
        pytest.param(lambda: Tensor([Value(1.0), Value(2.0)]), id="Tensor([Values])"),
        pytest.param(lambda: tensor(3)[Value(1.0)], id="index-with-Value"),
        pytest.param(lambda: Linear(1, 1)([Value(1.0)]), id="Linear"),
    ],
)
def test_a_value_mixed_with_a_tensor_is_refused(call):
    expect(TypeError, call, "Value|Tensor")


# ---------------------------------------------------------------------------- layers
@pytest.mark.parametrize(
    "call,patterns",
    [
        pytest.param(lambda: small_mlp()([1.0, 2.0, 3.0]), ["expects 2 inputs", "got 3"], id="MLP"),
        pytest.param(lambda: small_mlp()(np.ones((2, 2))), ["1-D", shape_pattern((2, 2))], id="MLP-2d"),
        pytest.param(lambda: nn.Neuron(3)([1.0]), ["expects 3 inputs", "got 1"], id="Neuron"),
        pytest.param(lambda: nn.Layer(3, 2)([1.0, 2.0]), ["expects 3 inputs", "got 2"], id="Layer"),
        pytest.param(lambda: Linear(3, 2)(tensor(4, 2)), [r"\(\.\.\., 3\)", shape_pattern((4, 2))], id="Linear"),
        pytest.param(lambda: mlp(3, [4, 1])(tensor(5, 2)), [r"\(\.\.\., 3\)", shape_pattern((5, 2))], id="mlp"),
        pytest.param(lambda: Linear(0, 2), ["nin >= 1", "got 0"], id="Linear-size"),
        pytest.param(lambda: Linear(2, -1), ["nout >= 1", "got -1"], id="Linear-negative-size"),
    ],
)
def test_wrong_sizes_given_to_layers_are_refused(call, patterns):
    expect(ValueError, call, *patterns)


# ---------------------------------------------------------------------------- labels for cross-entropy
@pytest.mark.parametrize("label", [3, -1], ids=["too-large", "negative"])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda label: nn.cross_entropy(tensor(2, 3), [0, label]), id="nn-Tensor"),
        pytest.param(lambda label: nn.cross_entropy([[Value(1.0)] * 3, [Value(0.0)] * 3], [0, label]), id="nn-Values"),
        pytest.param(lambda label: tensor(2, 3).cross_entropy([0, label]), id="Tensor"),
        pytest.param(lambda label: autograd.cross_entropy([Value(1.0), Value(0.0), Value(2.0)], label), id="Values"),
        pytest.param(lambda label: nn.CrossEntropyLoss()(tensor(2, 3), [label, 0]), id="CrossEntropyLoss"),
    ],
)
def test_a_label_out_of_range_for_cross_entropy_is_refused(call, label):
    expect(ValueError, lambda: call(label), rf"(?<![\d-]){label}(?!\d)", r"0\s*(\.\.|…)\s*2|3 classes")


def test_a_fractional_label_is_refused():
    expect(ValueError, lambda: nn.cross_entropy(tensor(2, 3), [0, 1.5]), "whole numbers", "1.5")


# ---------------------------------------------------------------------------- learning rates
@pytest.mark.parametrize("lr", [0.0, -0.1, math.nan, math.inf], ids=["zero", "negative", "nan", "inf"])
@pytest.mark.parametrize("optimizer", [SGD, Adam, RMSprop], ids=lambda o: o.__name__)
def test_a_learning_rate_that_is_not_positive_and_finite_is_refused(optimizer, lr):
    expect(ValueError, lambda: optimizer(small_mlp().parameters(), lr=lr), "lr", "positive", re.escape(repr(lr)))


def test_a_negative_learning_rate_set_later_is_refused():
    optimizer = SGD(small_mlp().parameters(), lr=0.1)
    expect(ValueError, lambda: setattr(optimizer, "lr", -0.5), "lr", "-0.5")
    assert optimizer.lr == 0.1


# ---------------------------------------------------------------------------- a file of another architecture
@pytest.mark.parametrize(
    "saved,loader,patterns",
    [
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: MLP(2, [4, 1], seed=1), ["missing", r"layers\.0"], id="MLP-width"
        ),
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: MLP(2, [3, 3, 1], seed=1), ["missing", r"layers\.1"], id="MLP-depth"
        ),
        pytest.param(
            lambda: mlp(2, [3, 1], seed=0),
            lambda: mlp(2, [4, 1], seed=1),
            [r"layers\.0\.weight", shape_pattern((3, 2)), shape_pattern((4, 2))],
            id="mlp-width",
        ),
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: mlp(2, [3, 1], seed=1), ["missing", "unexpected"], id="engine"
        ),
        pytest.param(
            lambda: mlp(2, [3, 1], seed=0),
            lambda: mlp(2, [3, 1], seed=1, dtype=np.float64),
            ["dtype float32", "float64"],
            id="mlp-dtype",
        ),
    ],
)
def test_a_model_loaded_from_a_file_of_another_architecture_is_refused_and_unchanged(tmp_path, saved, loader, patterns):
    path = tmp_path / "model.npz"
    saved().save(path)
    model = loader()
    before = {name: array.copy() for name, array in model.state_dict().items()}
    expect(StateDictError, lambda: model.load(path), re.escape(str(path)), *patterns)
    after = model.state_dict()
    assert all(np.array_equal(before[name], after[name]) for name in before)


# ---------------------------------------------------------------------------- values that leave the real numbers
@pytest.mark.parametrize(
    "call,error_type,pattern",
    [
        pytest.param(lambda: Value(-1.0).log(), ValueError, "log.*positive", id="Value-log"),
        pytest.param(lambda: tensor(2).__mul__(-1.0).log(), ValueError, "log.*positive", id="Tensor-log"),
        pytest.param(lambda: Value(-1.0).sqrt(), ValueError, "sqrt.*non-negative", id="Value-sqrt"),
        pytest.param(lambda: (tensor(2) * -1.0).sqrt(), ValueError, "sqrt.*non-negative", id="Tensor-sqrt"),
        pytest.param(lambda: Value(1.0) / 0.0, ZeroDivisionError, "division by zero", id="Value-div"),
        pytest.param(lambda: tensor(2) / np.zeros(2), ZeroDivisionError, "division by zero", id="Tensor-div"),
        pytest.param(lambda: Value(-8.0) ** 0.5, ValueError, "negative base", id="Value-pow"),
        pytest.param(lambda: (tensor(2) * -8.0) ** 0.5, ValueError, "negative base", id="Tensor-pow"),
        pytest.param(
            lambda: (tensor(2) * -8.0) ** Tensor(np.full(2, 0.5)),
            ValueError,
            "negative base|positive",
            id="Tensor-pow-Tensor",
        ),
    ],
)
def test_an_op_outside_its_domain_is_refused(call, error_type, pattern):
    expect(error_type, call, pattern)
