"""Every loss on both engines: against PyTorch float64, finite differences, extreme logits and bad input."""

import math

import numpy as np
import pytest
from errors import expect, ones, shape_pattern

import nn
from autograd import Tensor, Value, gradcheck
from nn import losses

RNG = np.random.default_rng(2024)
SCORES = RNG.normal(size=(5, 3))
PROBABILITIES = 1.0 / (1.0 + np.exp(-SCORES))
SOFT_TARGETS = RNG.uniform(size=(5, 3))
SIGNS = np.where(RNG.uniform(size=(5, 3)) < 0.5, -1.0, 1.0)
LABELS = np.array([0, 2, 1, 2, 0])
ONE_HOT = np.eye(3)[LABELS]
CLASS_PROBABILITIES = SOFT_TARGETS / SOFT_TARGETS.sum(axis=1, keepdims=True)


def _torch_losses(torch):
    F = torch.nn.functional
    return {
        "l1": F.l1_loss,
        "mse": F.mse_loss,
        "bce": F.binary_cross_entropy,
        "bce_logits": F.binary_cross_entropy_with_logits,
        "cross_entropy_labels": lambda x, t, reduction: F.cross_entropy(x, t.long(), reduction=reduction),
        "cross_entropy_one_hot": F.cross_entropy,
        "cross_entropy_probabilities": F.cross_entropy,
        "hinge": lambda x, t, reduction: getattr(torch.clamp(1 - t * x, min=0), reduction)(),
    }


# name, our function, model output, targets
CASES = [
    ("l1", losses.l1_loss, SCORES, SOFT_TARGETS),
    ("mse", losses.mse_loss, SCORES, SOFT_TARGETS),
    ("bce", losses.binary_cross_entropy, PROBABILITIES, SOFT_TARGETS),
    ("bce_logits", losses.binary_cross_entropy_with_logits, SCORES * 3, SOFT_TARGETS),
    ("cross_entropy_labels", losses.cross_entropy, SCORES * 3, LABELS),
    ("cross_entropy_one_hot", losses.cross_entropy, SCORES, ONE_HOT),
    ("cross_entropy_probabilities", losses.cross_entropy, SCORES, CLASS_PROBABILITIES),
    ("hinge", losses.hinge_loss, SCORES, SIGNS),
]
CASE_IDS = [case[0] for case in CASES]


def _values(array):
    return [[Value(float(x)) for x in row] for row in array]


def _scalar_loss_and_grad(function, output, target, reduction):
    values = _values(output)
    loss = function(values, target, reduction)
    loss.backward()
    return loss.data, np.array([[v.grad for v in row] for row in values])


def _tensor_loss_and_grad(function, output, target, reduction):
    x = Tensor(output.copy(), requires_grad=True, dtype=np.float64)
    loss = function(x, target, reduction)
    loss.backward()
    return loss.item(), x.grad


def _torch_loss_and_grad(torch, name, output, target, reduction):
    x = torch.tensor(output, requires_grad=True)
    loss = _torch_losses(torch)[name](x, torch.tensor(target), reduction=reduction)
    loss.backward()
    return loss.item(), x.grad.numpy()


ENGINES = {"scalar": _scalar_loss_and_grad, "tensor": _tensor_loss_and_grad}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("name,function,output,target", CASES, ids=CASE_IDS)
def test_loss_and_grad_match_pytorch(torch, engine, reduction, name, function, output, target):
    ours, our_grad = ENGINES[engine](function, output, target, reduction)
    theirs, their_grad = _torch_loss_and_grad(torch, name, output, target, reduction)
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name,function,output,target", CASES, ids=CASE_IDS)
def test_scalar_loss_matches_finite_differences(name, function, output, target):
    shape = output.shape

    def f(*values):
        rows = [list(values[i * shape[1] : (i + 1) * shape[1]]) for i in range(shape[0])]
        return function(rows, target, "mean")

    assert gradcheck(f, [Value(float(x)) for x in output.reshape(-1)], atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("name,function,output,target", CASES, ids=CASE_IDS)
def test_tensor_loss_matches_finite_differences(name, function, output, target):
    x = Tensor(output.copy(), requires_grad=True, dtype=np.float64)
    assert gradcheck(lambda t: function(t, target, "sum"), [x], atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_one_output_per_example_as_a_flat_list_or_column(torch, engine, reduction):
    scores, targets = SCORES[:, 0], SIGNS[:, 0]
    theirs, their_grad = _torch_loss_and_grad(torch, "hinge", scores, targets, reduction)
    if engine == "scalar":
        values = [Value(float(s)) for s in scores]
        loss = losses.hinge_loss(values, list(targets), reduction)
        loss.backward()
        ours, our_grad = loss.data, np.array([v.grad for v in values])
    else:
        column = Tensor(scores.reshape(-1, 1).copy(), requires_grad=True, dtype=np.float64)
        loss = losses.hinge_loss(column, targets, reduction)  # (N, 1) outputs with (N,) targets
        loss.backward()
        ours, our_grad = loss.item(), column.grad.reshape(-1)
    assert ours == pytest.approx(theirs, rel=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12)


# ---------------------------------------------------------------------------- extreme inputs
EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0], [1e4, 1e4, -1e4]])
EXTREME_CASES = [
    ("bce_logits", losses.binary_cross_entropy_with_logits, EXTREME, np.array([[0, 0, 1], [1, 0, 0.5], [1, 0, 1.0]])),
    ("cross_entropy_labels", losses.cross_entropy, EXTREME, np.array([1, 0, 2])),
    ("cross_entropy_one_hot", losses.cross_entropy, EXTREME, np.eye(3)[[1, 0, 2]]),
    ("hinge", losses.hinge_loss, EXTREME, np.array([[1.0, 1.0, -1.0], [1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name,function,output,target", EXTREME_CASES, ids=[c[0] for c in EXTREME_CASES])
def test_extreme_logits_give_finite_loss_and_grads_equal_to_pytorch(torch, engine, name, function, output, target):
    ours, our_grad = ENGINES[engine](function, output, target, "mean")
    assert np.isfinite(ours) and np.all(np.isfinite(our_grad))
    theirs, their_grad = _torch_loss_and_grad(torch, name, output, target, "mean")
    assert ours == pytest.approx(theirs, rel=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_bce_on_probabilities_of_exactly_0_and_1_is_clamped_like_pytorch(torch, engine):
    probabilities = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.25]])
    targets = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    x = torch.tensor(probabilities)
    theirs = torch.nn.functional.binary_cross_entropy(x, torch.tensor(targets)).item()
    ours, grad = ENGINES[engine](losses.binary_cross_entropy, probabilities, targets, "mean")
    assert ours == pytest.approx(theirs, rel=1e-12)  # includes log(0) clamped to -100
    assert np.all(np.isfinite(grad))


def test_bce_with_logits_has_the_sigmoid_gradient_at_zero():
    # A formula with relu/abs would give -t here (their derivative at 0 is 0); the right answer is σ(0) - t.
    x = Value(0.0)
    losses.binary_cross_entropy_with_logits([x], [1.0]).backward()
    assert x.grad == pytest.approx(-0.5)
    t = Tensor(np.zeros(2), requires_grad=True, dtype=np.float64)
    losses.binary_cross_entropy_with_logits(t, [1.0, 0.0], "sum").backward()
    np.testing.assert_allclose(t.grad, [-0.5, 0.5])


# ---------------------------------------------------------------------------- loss objects and reductions
@pytest.mark.parametrize(
    "cls,function",
    [
        (nn.L1Loss, losses.l1_loss),
        (nn.MAELoss, losses.mae_loss),
        (nn.MSELoss, losses.mse_loss),
        (nn.HingeLoss, losses.hinge_loss),
        (nn.BCEWithLogitsLoss, losses.binary_cross_entropy_with_logits),
    ],
)
def test_loss_objects_call_their_function(cls, function):
    target = SIGNS if cls is nn.HingeLoss else (SOFT_TARGETS if cls is nn.BCEWithLogitsLoss else SOFT_TARGETS * 4)
    x = Tensor(SCORES, dtype=np.float64)
    assert cls(reduction="sum")(x, target).item() == function(x, target, "sum").item()
    assert "sum" in repr(cls(reduction="sum"))


def test_reduction_none_gives_one_loss_per_example():
    per_example = losses.cross_entropy(Tensor(SCORES, dtype=np.float64), LABELS, "none")
    assert per_example.shape == (5,)
    total = losses.cross_entropy(Tensor(SCORES, dtype=np.float64), LABELS, "sum")
    assert np.sum(per_example.data) == pytest.approx(total.item())
    scalar = losses.cross_entropy(_values(SCORES), LABELS, "none")
    np.testing.assert_allclose([v.data for v in scalar], per_example.data, rtol=1e-12)
    mse = losses.mse_loss(_values(SCORES), SOFT_TARGETS, "none")
    assert len(mse) == SCORES.size


def test_cross_entropy_of_one_example_given_as_a_flat_list():
    row = [Value(1.0), Value(-2.0), Value(0.5)]
    loss = losses.cross_entropy(row, 2)
    expected = np.log(np.exp([1.0, -2.0, 0.5]).sum()) - 0.5
    assert loss.data == pytest.approx(expected, rel=1e-14)


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("engine", ["scalar", "tensor"])
@pytest.mark.parametrize(
    "labels,message",
    [
        ([0, 3, 1, 2, 0], "label 3 of example 1 is out of range for 3 classes"),
        ([0, -1, 1, 2, 0], "label -1 of example 1 is out of range"),
        ([0, 1.5, 1, 2, 0], "whole numbers"),
    ],
)
def test_cross_entropy_label_out_of_range_is_a_clear_error(engine, labels, message):
    logits = _values(SCORES) if engine == "scalar" else Tensor(SCORES)
    with pytest.raises(ValueError, match=message):
        losses.cross_entropy(logits, labels)


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_shape_mismatch_names_both_shapes(engine):
    output = _values(SCORES) if engine == "scalar" else Tensor(SCORES)
    with pytest.raises(ValueError, match=r"output has shape \(5, 3\) but target has shape \(3, 5\)"):
        losses.mse_loss(output, SOFT_TARGETS.T)
    with pytest.raises(ValueError, match=r"targets must be labels of shape \(5,\) or one-hot of shape \(5, 3\)"):
        losses.cross_entropy(output, np.zeros((5, 2)))


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_bad_targets_are_named(engine):
    output = _values(SCORES) if engine == "scalar" else Tensor(SCORES)
    with pytest.raises(ValueError, match="must be -1 or \\+1, got 0.0"):
        losses.hinge_loss(output, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        losses.binary_cross_entropy_with_logits(output, SOFT_TARGETS * 2)
    with pytest.raises(ValueError, match="reduction must be one of"):
        losses.mse_loss(output, SOFT_TARGETS, reduction="average")
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        losses.binary_cross_entropy(output, SOFT_TARGETS)  # scores, not probabilities


@pytest.mark.parametrize(
    "call,error_type,patterns",
    [
        pytest.param(lambda: nn.mse_loss(ones(2), "12"), TypeError, [r"\bstr\b|<U"], id="string-target"),
        pytest.param(lambda: nn.mse_loss([Value(1.0)], None), TypeError, ["NoneType|None"], id="None-target"),
        pytest.param(
            lambda: nn.mse_loss([Value(1.0), Value(2.0)], [1.0, "a"]), TypeError, ["numbers"], id="mixed-target"
        ),
        pytest.param(lambda: nn.mse_loss(ones(2), [1.0, "a"]), TypeError, ["numbers"], id="mixed-target-Tensor"),
        pytest.param(lambda: nn.mse_loss(ones(2), np.array([1j, 2.0])), TypeError, ["complex"], id="complex-target"),
        pytest.param(lambda: nn.mse_loss(ones(0), np.ones(0)), ValueError, ["empty"], id="empty"),
        pytest.param(
            lambda: nn.cross_entropy(ones(0, 3), np.zeros(0, dtype=int)),
            ValueError,
            ["empty"],
            id="empty-cross-entropy",
        ),
        pytest.param(
            lambda: nn.mse_loss(ones(4, 1), np.ones(3)), ValueError, [shape_pattern((4, 1)), shape_pattern((3,))],
            id="shapes",
        ),
        pytest.param(
            lambda: nn.mse_loss([Value(1.0), Value(2.0)], [1.0]),
            ValueError,
            [shape_pattern((2,)), shape_pattern((1,))],
            id="shapes-Values",
        ),
        pytest.param(
            lambda: nn.cross_entropy(ones(4, 3), [0, 1]), ValueError, [shape_pattern((4, 3)), shape_pattern((2,))],
            id="shapes-cross-entropy",
        ),
        pytest.param(
            lambda: nn.cross_entropy(ones(2, 3), [0, 1.5]), ValueError, ["whole numbers", "1.5"], id="fraction"
        ),
    ],
)
def test_a_bad_target_is_refused_naming_the_problem(call, error_type, patterns):
    expect(error_type, call, *patterns)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda bad: nn.mse_loss([Value(1.0)], [bad]), id="loss-target"),
        pytest.param(lambda bad: nn.mse_loss(ones(2), [bad, 1.0]), id="loss-target-Tensor"),
    ],
)
def test_a_non_finite_target_is_refused(call, bad):
    expect(ValueError, lambda: call(bad), "finite|nan|inf")


@pytest.mark.parametrize("label", [3, -1], ids=["too-large", "negative"])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda label: nn.cross_entropy(ones(2, 3), [0, label]), id="nn-Tensor"),
        pytest.param(lambda label: nn.cross_entropy([[Value(1.0)] * 3, [Value(0.0)] * 3], [0, label]), id="nn-Values"),
        pytest.param(lambda label: nn.CrossEntropyLoss()(ones(2, 3), [label, 0]), id="CrossEntropyLoss"),
    ],
)
def test_a_label_out_of_range_for_cross_entropy_is_refused(call, label):
    expect(ValueError, lambda: call(label), rf"(?<![\d-]){label}(?!\d)", r"0\s*(\.\.|…)\s*2|3 classes")


def test_scalar_losses_refuse_non_values():
    with pytest.raises(TypeError, match="must hold Values"):
        losses.mse_loss([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(TypeError, match="targets must be numbers"):
        losses.mse_loss([Value(1.0)], [Value(1.0)])
    with pytest.raises(TypeError, match="Value, a list of Values or a Tensor"):
        losses.mse_loss("scores", [1.0])


@pytest.mark.torch
def test_cross_entropy_with_soft_targets_whose_rows_do_not_sum_to_one_matches_pytorch(torch):
    """PyTorch's rule for probability targets, -Σ t·log_softmax(x), holds for any row total: grad softmax·Σt - t."""
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(4, 3))
    targets = rng.uniform(0.0, 1.0, size=(4, 3))  # rows sum to anything in (0, 3)
    x = Tensor(logits.copy(), requires_grad=True)
    loss = nn.losses.cross_entropy(x, targets)
    loss.backward()
    reference = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(reference, torch.tensor(targets))
    expected.backward()
    assert float(loss.data) == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-12, atol=1e-15)
