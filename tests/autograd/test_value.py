"""The scalar engine: every op against finite differences and PyTorch, graph edge cases, bad input."""

import math

import numpy as np
import pytest
from engines import VALUE_OPS, TorchOps
from errors import expect

import autograd
from autograd import AnomalyError, GradcheckError, Tensor, Value, detect_anomaly, gradcheck, no_grad

# ---------------------------------------------------------------------------- the op table
# Each case: name, function of Values, points at which to check it (away from kinks and poles).
UNARY_CASES = [
    ("neg", lambda a: -a, [-1.5, 0.3, 2.0]),
    ("exp", lambda a: a.exp(), [-2.0, 0.0, 1.7]),
    ("log", lambda a: a.log(), [0.2, 1.0, 7.5]),
    ("sqrt", lambda a: a.sqrt(), [0.3, 1.0, 9.0]),
    ("tanh", lambda a: a.tanh(), [-2.0, 0.1, 1.2]),
    ("sigmoid", lambda a: a.sigmoid(), [-3.0, 0.0, 2.5]),
    ("relu", lambda a: a.relu(), [-1.0, 0.5, 3.0]),
    ("leaky_relu", lambda a: a.leaky_relu(0.1), [-1.0, 0.5, 3.0]),
    ("elu", lambda a: a.elu(1.5), [-1.0, 0.5, 3.0]),
    ("abs", lambda a: a.abs(), [-1.3, 0.4, 2.0]),
    ("pow_int", lambda a: a**3, [-1.2, 0.5, 2.0]),
    ("pow_neg", lambda a: a**-2, [-1.2, 0.5, 2.0]),
    ("pow_frac", lambda a: a**0.5, [0.3, 1.0, 4.0]),
    ("rpow", lambda a: 2**a, [-1.0, 0.0, 3.0]),
    ("radd", lambda a: 3 + a, [-1.0, 2.0]),
    ("rsub", lambda a: 3 - a, [-1.0, 2.0]),
    ("rmul", lambda a: 3 * a, [-1.0, 2.0]),
    ("rtruediv", lambda a: 3 / a, [-1.0, 2.0]),
    ("square_by_mul", lambda a: a * a, [-1.0, 2.0]),
    ("double_by_add", lambda a: a + a, [-1.0, 2.0]),
    ("diamond", lambda a: (lambda b: b * b)(a + a), [-1.0, 0.7]),
    ("identity", lambda a: a.identity() * 2.0, [1.0]),
]

BINARY_CASES = [
    ("add", lambda a, b: a + b, [(1.0, -2.0), (0.3, 0.4)]),
    ("sub", lambda a, b: a - b, [(1.0, -2.0), (0.3, 0.4)]),
    ("mul", lambda a, b: a * b, [(1.0, -2.0), (0.3, 0.4)]),
    ("div", lambda a, b: a / b, [(1.0, -2.0), (0.3, 0.4)]),
    ("pow_values", lambda a, b: a**b, [(1.5, -2.0), (0.3, 0.4), (2.0, 3.0)]),
    ("neuron", lambda w, x: (w * x + 0.5).tanh(), [(0.8, -1.1), (-2.0, 0.3)]),
    ("max", lambda a, b: autograd.max([a, b, 0.1]), [(1.0, -2.0), (-1.0, 0.5)]),
    ("logsumexp", lambda a, b: autograd.logsumexp([a, b, 1.0]), [(1.0, -2.0), (3.0, 0.5)]),
    ("softmax", lambda a, b: autograd.softmax([a, b, 1.0])[0] * 2 + autograd.softmax([a, b, 1.0])[1], [(1.0, -2.0)]),
    ("log_softmax", lambda a, b: autograd.log_softmax([a, b, 1.0])[1] - autograd.log_softmax([a, b])[0], [(0.2, -1.0)]),
]


@pytest.mark.parametrize("name,f,points", UNARY_CASES, ids=[c[0] for c in UNARY_CASES])
def test_unary_op_matches_finite_differences(name, f, points):
    for x in points:
        assert gradcheck(f, [Value(x)], atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("name,f,points", BINARY_CASES, ids=[c[0] for c in BINARY_CASES])
def test_binary_op_matches_finite_differences(name, f, points):
    for x, y in points:
        assert gradcheck(f, [Value(x), Value(y)], atol=1e-7, rtol=1e-6)


def test_gradcheck_catches_a_wrong_rule():
    def wrong_tanh(a: Value) -> Value:
        t = math.tanh(a.data)
        return (a - a.data) * (1.0 - t) + t  # the value tanh(a), the local derivative 1 - t (not 1 - t²)

    assert wrong_tanh(Value(0.8)).data == math.tanh(0.8)
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(wrong_tanh, [Value(0.8)])


# ---------------------------------------------------------------------------- against PyTorch
# Each case is written once against the common API of tests/engines.py and run on Values and on PyTorch.
TORCH_CASES = [
    ("neuron", lambda ops, w1, w2, b: ops.tanh(w1 * 2.0 + w2 * -3.0 + b), [0.4, -0.7, 0.1]),
    (
        "mix",
        lambda ops, a, b, c: ops.exp(a * b) / (c**2 + 1) - ops.sigmoid(a / c) + abs(b) ** 1.5,
        [0.4, -0.7, 1.3],
    ),
    (
        "activations",
        lambda ops, a, b, c: ops.relu(a) + ops.leaky_relu(b, 0.2) + ops.elu(c, 0.7) + ops.log(a * c),
        [0.4, -0.7, 1.3],
    ),
    ("pow", lambda ops, a, b, c: a**b + 2**c - ops.sqrt(b**2), [0.4, -0.7, 1.3]),
    ("reuse", lambda ops, a, b, c: (lambda d: d * d + d / a)(a * b + c), [0.4, -0.7, 1.3]),
]


@pytest.mark.torch
@pytest.mark.parametrize("name,f,xs", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_matches_pytorch(torch, name, f, xs):
    values = [Value(x) for x in xs]
    out = f(VALUE_OPS, *values)
    out.backward()
    reference = TorchOps(torch)
    tensors = [reference.wrap(np.array(x)) for x in xs]
    expected = f(reference, *tensors)
    expected.backward()
    assert out.data == pytest.approx(expected.item(), abs=1e-12)
    for v, t in zip(values, tensors):
        assert v.grad == pytest.approx(t.grad.item(), abs=1e-12)


@pytest.mark.torch
def test_softmax_family_matches_pytorch(torch):
    xs = [1.5, -0.3, 0.8, 2.2]
    values = [Value(x) for x in xs]
    weights = [0.3, -1.2, 2.0, 0.7]
    out = sum(w * p for w, p in zip(weights, autograd.softmax(values)))
    out = out + sum(w * p for w, p in zip(weights, autograd.log_softmax(values)))
    out = out + autograd.logsumexp(values) * 0.5
    out.backward()
    t = torch.tensor(xs, requires_grad=True)
    w = torch.tensor(weights)
    expected = (w * torch.softmax(t, 0)).sum() + (w * torch.log_softmax(t, 0)).sum() + 0.5 * torch.logsumexp(t, 0)
    expected.backward()
    assert out.data == pytest.approx(expected.item(), abs=1e-12)
    for v, g in zip(values, t.grad.tolist()):
        assert v.grad == pytest.approx(g, abs=1e-12)


def test_cross_entropy_of_a_row_is_one_node_whose_local_derivatives_are_softmax_less_the_target():
    logits = [Value(0.5), Value(-1.0), Value(2.0)]
    loss = autograd.cross_entropy(logits, 1)
    probs = [p.data for p in autograd.softmax([0.5, -1.0, 2.0])]
    assert loss.op == "cross_entropy" and loss.children == tuple(logits)
    assert loss.data == pytest.approx(autograd.logsumexp([0.5, -1.0, 2.0]).data + 1.0, rel=1e-15)
    assert [rule.local_grad for rule in loss.local_rules] == pytest.approx([probs[0], probs[1] - 1.0, probs[2]])
    assert all("softmax" in rule.words for rule in loss.local_rules)
    assert gradcheck(lambda a, b, c: autograd.cross_entropy([a, b, c], [0.2, 0.0, 0.5]), logits)


def test_cross_entropy_of_values_gives_one_loss_per_row_with_reduction_none():
    rows = [[Value(0.1), Value(0.4)], [Value(-2.0), Value(1.0)]]
    per_row = autograd.cross_entropy(rows, [0, 1], reduction="none")
    assert [v.data for v in per_row] == [autograd.cross_entropy(r, y).data for r, y in zip(rows, [0, 1])]
    assert autograd.cross_entropy(rows[0], 1, reduction="none").data == pytest.approx(per_row[0].data - 0.3)


# ---------------------------------------------------------------------------- graph structure
def test_children_are_an_ordered_tuple_with_repeats():
    a = Value(2.0, label="a")
    b = a + a
    assert b._children == (a, a)
    b.backward()
    assert a.grad == 2.0
    c = Value(3.0) - a
    assert c._children[1] is a and c._op == "-"


def test_repr_is_short():
    assert repr(Value(1.5, label="w")) == "Value(data=1.5, grad=0, label='w')"


def test_leaf_grads_accumulate_and_intermediate_grads_are_recomputed():
    a = Value(3.0)
    b = a * a  # intermediate
    c = b + 1.0
    c.backward()
    assert a.grad == 6.0 and b.grad == 1.0
    c.backward()
    assert a.grad == 12.0  # leaf accumulates, as in PyTorch
    assert b.grad == 1.0  # intermediate recomputed, not piled up
    a.grad = 0.0
    c.backward()
    assert a.grad == 6.0


def test_zero_grad_clears_the_whole_graph():
    a = Value(3.0)
    c = (a * a).exp()
    c.backward()
    c.zero_grad()
    assert a.grad == 0.0 and c.grad == 0.0


def test_million_node_chain_has_no_recursion():
    x = start = Value(1.0)
    for _ in range(1_000_000):
        x = x + 1e-6
    x.backward()
    assert start.grad == 1.0
    assert x.data == pytest.approx(2.0)
    assert len(list(autograd.topological_order(x))) == 2_000_001


def test_backward_steps_reproduce_backward():
    def build():
        w1, w2, b = Value(0.5, "w1"), Value(-1.5, "w2"), Value(0.2, "b")
        out = (w1 * 2.0 + w2 * (w1 + 1.0) + b).tanh() * w2
        return out, (w1, w2, b)

    out, leaves = build()
    out.backward()
    expected = [leaf.grad for leaf in leaves]

    out, leaves = build()
    steps = list(out.backward_steps())
    assert [leaf.grad for leaf in leaves] == expected  # exactly, not approximately
    assert steps[0].node is out and steps[0].upstream == 1.0
    for step in steps:
        assert step.contributions == tuple(local * step.upstream for local in step.local_grads)
        assert step.children == step.node._children
    assert [s.index for s in steps] == list(range(len(steps)))
    # A node's upstream grad is complete when it is visited: later steps never add to it.
    visited = set()
    for step in steps:
        visited.add(id(step.node))
        assert not any(id(child) in visited for child in step.children)
    assert autograd.backward_steps is not None


# ---------------------------------------------------------------------------- numerical stability
def test_softmax_family_is_stable_for_huge_inputs():
    values = [Value(1e4), Value(-1e4), Value(1e4 - 2.0)]
    lse = autograd.logsumexp(values)
    assert lse.data == pytest.approx(1e4 + math.log(1 + math.exp(-2.0)))
    lse.backward()
    assert all(math.isfinite(v.grad) for v in values)
    assert values[0].grad == pytest.approx(1 / (1 + math.exp(-2.0)))
    probs = autograd.softmax(values)
    assert sum(p.data for p in probs) == pytest.approx(1.0)
    logp = autograd.log_softmax(values)
    logp[1].backward()
    assert logp[1].data == pytest.approx(-2e4 - math.log(1 + math.exp(-2.0)))
    assert all(math.isfinite(v.grad) for v in values)


def test_sigmoid_is_stable_for_huge_inputs():
    for x in (1e4, -1e4, 800.0, -800.0):
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        assert 0.0 <= s.data <= 1.0 and v.grad == 0.0


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", ["a", None, [1.0], 1 + 2j, {}])
def test_non_numbers_are_refused_with_the_type_named(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_data_is_refused(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad)


def test_ops_with_non_numbers_raise_type_error():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"


def test_log_of_non_positive_names_op_and_value():
    with pytest.raises(ValueError, match=r"log: .*-2\.0"):
        Value(-2.0).log()
    with pytest.raises(ValueError, match="log"):
        Value(0.0).log()


def test_division_by_zero_names_the_op():
    with pytest.raises(ZeroDivisionError, match="/"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="/"):
        1.0 / Value(0.0)


def test_zero_to_a_negative_power():
    with pytest.raises(ZeroDivisionError, match=r"\*\*"):
        Value(0.0) ** -1


def test_negative_base_to_fractional_power():
    with pytest.raises(ValueError, match="negative base"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(ValueError, match="positive"):
        Value(-2.0) ** Value(2.0)


def test_sqrt_of_negative_is_refused_and_overflow_gives_inf_as_ieee():
    with pytest.raises(ValueError, match="sqrt"):
        Value(-1.0).sqrt()
    assert Value(1000.0).exp().data == math.inf
    assert (Value(1e308) * 10).data == math.inf
    assert (Value(1e200) ** 2).data == math.inf
    assert (Value(-1e200) ** 3).data == -math.inf
    assert (Value(10.0) ** Value(400.0)).data == math.inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^exp: result is inf"):
        Value(1000.0).exp()
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^\*\*3: result is -inf"):
        Value(-1e200) ** 3


def test_empty_max_is_refused():
    with pytest.raises(ValueError, match="empty"):
        autograd.max([])


def test_anomaly_mode_names_the_first_bad_op():
    big = Value(1e300)
    (big * big)  # inf, silently, outside anomaly mode
    with detect_anomaly():
        with pytest.raises(AnomalyError, match=r"^\*: result is inf"):
            big * big


def test_anomaly_mode_catches_non_finite_gradients():
    a = Value(1e-200)
    out = a.sqrt() * 1e300  # local derivative 0.5/√a = 5e99, times 1e300 overflows
    with detect_anomaly():
        with pytest.raises(AnomalyError, match="sqrt: gradient"):
            out.backward()


def test_no_grad_records_nothing():
    a = Value(2.0)
    with no_grad():
        b = a * 3.0
    assert b._children == () and b.data == 6.0
    assert autograd.is_grad_enabled()


# ---------------------------------------------------------------------------- bad input, as the Tensor refuses it
# The same bad inputs are refused by the Tensor (tests/autograd/test_tensor.py) and by nn's models and losses.
@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda: Value("1.5"), id="Value"), pytest.param(lambda: Value(1.0) + "1.5", id="Value-op")],
)
def test_a_string_is_refused(call):
    expect(TypeError, call, r"\bstr\b")


@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda: Value(None), id="Value"), pytest.param(lambda: Value(1.0) * None, id="Value-op")],
)
def test_none_is_refused(call):
    expect(TypeError, call, "NoneType|None")


def test_a_list_of_mixed_types_is_refused():
    expect(TypeError, lambda: Value([1.0, "a"]), "real number.*list")


@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda: Value(1 + 2j), id="Value"), pytest.param(lambda: Value(1.0) + 2j, id="Value-op")],
)
def test_a_complex_number_is_refused(call):
    expect(TypeError, call, "complex")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "call",
    [pytest.param(lambda bad: Value(bad), id="Value"), pytest.param(lambda bad: Value(1.0) + bad, id="Value-op")],
)
def test_a_non_finite_input_is_refused(call, bad):
    expect(ValueError, lambda: call(bad), "finite")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: autograd.max([]), id="Value-max"),
        pytest.param(lambda: autograd.logsumexp([]), id="Value-logsumexp"),
        pytest.param(lambda: autograd.softmax([]), id="Value-softmax"),
    ],
)
def test_an_empty_input_is_refused_where_it_has_no_answer(call):
    expect(ValueError, call, "empty")


@pytest.mark.parametrize("label", [3, -1], ids=["too-large", "negative"])
def test_a_label_out_of_range_for_cross_entropy_is_refused(label):
    expect(
        ValueError,
        lambda: autograd.cross_entropy([Value(1.0), Value(0.0), Value(2.0)], label),
        rf"(?<![\d-]){label}(?!\d)",
        r"0\s*(\.\.|…)\s*2|3 classes",
    )


@pytest.mark.parametrize(
    "call,error_type,pattern",
    [
        pytest.param(lambda: Value(-1.0).log(), ValueError, "log.*positive", id="Value-log"),
        pytest.param(lambda: Value(-1.0).sqrt(), ValueError, "sqrt.*non-negative", id="Value-sqrt"),
        pytest.param(lambda: Value(1.0) / 0.0, ZeroDivisionError, "division by zero", id="Value-div"),
        pytest.param(lambda: Value(-8.0) ** 0.5, ValueError, "negative base", id="Value-pow"),
    ],
)
def test_an_op_outside_its_domain_is_refused(call, error_type, pattern):
    expect(error_type, call, pattern)


# ---------------------------------------------------------------------------- powers of zero, as Tensor and PyTorch
@pytest.mark.parametrize("n", [0.5, 0.25, 0.75])
def test_value_fractional_power_of_zero_matches_tensor_and_torch(torch, n):
    """0 ** n is 0 for 0 < n < 1, with an infinite slope, as √x gives at 0 (not a division by zero)."""
    x = Value(0.0)
    y = x**n
    y.backward()
    t = Tensor(np.array(0.0), requires_grad=True, dtype=np.float64)
    with np.errstate(divide="ignore"):
        (t**n).backward()
    p = torch.tensor(0.0, requires_grad=True)
    (p**n).backward()
    assert y.data == float(t.data) == p.item() == 0.0
    assert x.grad == float(t.grad) == p.grad.item() == math.inf


def test_value_fractional_power_matches_sqrt_away_from_zero():
    """x ** 0.5 and x.sqrt() are the same function with the same derivative."""
    assert gradcheck(lambda x: x**0.5 + x**1.5, [Value(0.7)])
    a, b = Value(2.5), Value(2.5)
    (a**0.5).backward()
    b.sqrt().backward()
    assert a.grad == pytest.approx(b.grad, rel=1e-15)


def test_value_ops_have_docstrings():
    """The ops of the scalar engine are read by students: each says what it computes."""
    for name in ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "elu", "abs", "identity", "item"]:
        assert getattr(Value, name).__doc__, name


# ---------------------------------------------------------------------------- equality, truth, copies
def test_equality_is_identity_and_truth_is_the_number_s():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and not (a == 1.0)  # graph nodes: equal only to themselves (micrograd's rule)
    assert len({a, b, a}) == 2 and {a: 1}[a] == 1
    assert bool(Value(2.0)) and bool(Value(-0.5)) and not bool(Value(0.0)) and not Value(-0.0)
    assert not (a - a) and bool(a + a)


def _deep_graph(depth: int):
    x, w = Value(0.5, label="x"), Value(0.999, label="w")
    y = x
    for i in range(depth):
        y = (y * w + x) if i % 2 else (y + y).tanh()  # ``y + y``: two edges to one node
    return x, w, y


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_a_20k_node_graph_copies_and_pickles_without_recursion(how):
    import copy
    import pickle

    x, w, y = _deep_graph(20_000)
    if how == "deepcopy":
        x2, w2, y2 = copy.deepcopy([x, w, y])
    else:
        x2, w2, y2 = pickle.loads(pickle.dumps([x, w, y]))
    order, copied = autograd.topological_order(y), autograd.topological_order(y2)
    assert len(copied) == len(order) == 40_002
    assert x2 in copied and w2 in copied and x not in copied  # the leaves are the copy's own, shared with it
    assert [(n.data, n.op, n.label, len(n.children)) for n in copied] == [
        (n.data, n.op, n.label, len(n.children)) for n in order
    ]
    doubled = next(n for n in copied if n.op == "+" and n.children[0] is n.children[1])
    assert doubled.children[0] is doubled.children[1]  # ``y + y`` still has two edges to one node
    y.backward()
    y2.backward()
    assert (x2.grad, w2.grad) == (x.grad, w.grad) != (0.0, 0.0)


def test_a_shallow_copy_shares_the_inputs():
    import copy

    a, b = Value(2.0), Value(3.0)
    c = a * b
    d = copy.copy(c)
    assert d is not c and d.children == (a, b) and d.data == 6.0
    d.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_a_copied_graph_keeps_its_gradients_and_rules(how):
    import copy
    import pickle

    a = Value(0.3, label="a")
    out = (a * a + a.exp()).tanh()
    out.backward()
    twin = copy.deepcopy(out) if how == "deepcopy" else pickle.loads(pickle.dumps(out))
    assert [n.grad for n in autograd.topological_order(twin)] == [n.grad for n in autograd.topological_order(out)]
    assert [r.words for r in twin.local_rules] == [r.words for r in out.local_rules]


# ---------------------------------------------------------------------------- coming from micrograd
def test_op_names_map_onto_micrograd_s_as_documented():
    engine = pytest.importorskip("micrograd.engine")
    theirs = engine.Value(2.0)
    ours = Value(2.0)
    # (retrograd's op, micrograd's op) for the same expression, as the Value docstring states.
    for f, our_op, their_op in [
        (lambda v: v + 1.0, "+", "+"), (lambda v: v * 3.0, "*", "*"), (lambda v: v**2, "**2", "**2"),
        (lambda v: -v, "neg", "*"), (lambda v: v - 1.0, "-", "+"), (lambda v: v / 4.0, "/", "*"),
        (lambda v: v.relu(), "relu", "ReLU"),
    ]:
        assert (f(ours)._op, f(theirs)._op) == (our_op, their_op)
        assert f(ours).data == f(theirs).data


# ---------------------------------------------------------------------------- the fused neuron
def test_weighted_sum_is_one_node_with_the_grads_of_the_products_and_sums():
    w = [Value(0.5), Value(-1.5), Value(2.0)]
    x = [Value(1.2), 0.7, Value(-0.3)]  # a plain number gets no edge
    b = Value(0.1)
    fused = autograd.weighted_sum(w, x, b)
    assert fused.op == "w·x+b" and len(fused.children) == 6
    assert all(rule.words.startswith("d(w·x+b)") for rule in fused.local_rules)
    fused.tanh().backward()
    grads = [v.grad for v in (*w, x[0], x[2], b)]
    for v in (*w, x[0], x[2], b):
        v.grad = 0.0
    (w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b).tanh().backward()
    assert grads == pytest.approx([v.grad for v in (*w, x[0], x[2], b)], abs=1e-15)
    assert gradcheck(lambda w0, x0, b: autograd.weighted_sum([w0, w[1]], [x0, 0.7], b).tanh(), [w[0], x[0], b])
    with pytest.raises(ValueError, match="2 weights for 3 inputs"):
        autograd.weighted_sum(w[:2], x, b)
