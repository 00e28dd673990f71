"""The one backprop of both engines: the node protocol, per-node ``_backward``, the walk and the scalar fast path."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from cases import CASES, TENSOR_OPS, VALUE_OPS, to_values
from errors import expect

import autograd
from autograd import AnomalyError, LocalRule, Node, Tensor, Value, backprop, detect_anomaly, topological_order


def random_scalar_graph(seed: int, size: int = 60) -> tuple[Value, list[Value]]:
    """A random graph of Values with shared subexpressions and repeated inputs (``a * a``)."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(0.5, 1.5), label=f"x{i}") for i in range(4)]
    nodes = list(leaves)
    ops = {
        "+": lambda a, b: a + b, "*": lambda a, b: a * b, "-": lambda a, b: a - b, "tanh": lambda a, b: a.tanh(),
        "sigmoid": lambda a, b: a.sigmoid(), "relu": lambda a, b: (a - b).relu(), "**2": lambda a, b: a**2,
        "exp-": lambda a, b: (-a.abs()).exp(), "abs": lambda a, b: (a - b).abs(),
    }
    for _ in range(size):
        a, b = rng.choice(nodes), rng.choice(nodes)
        nodes.append(ops[rng.choice(sorted(ops))](a, b))
    root = nodes[-1]
    for node in nodes[-10:-1]:
        root = root + node
    return root, leaves


def backward_node_by_node(root: Value | Tensor, seed) -> None:
    """The lecture's manual backprop: seed the root, then each node's ``_backward()`` from the root down."""
    order = topological_order(root)
    for node in order:
        node.grad = type(node)._EMPTY_GRAD
    root.grad = seed
    for node in reversed(order):
        node._backward()


@pytest.mark.parametrize("seed", range(8))
def test_scalar_fast_path_gives_the_grads_of_the_generic_loop(seed: int) -> None:
    root, leaves = random_scalar_graph(seed)
    root.backward()
    fast = [node.grad for node in topological_order(root)]
    backward_node_by_node(root, 1.0)
    generic = [node.grad for node in topological_order(root)]
    assert fast == generic  # the same arithmetic in the same order: equal to the last bit
    assert any(g != 0.0 for g in fast[:4])


@pytest.mark.parametrize("seed", range(8))
def test_scalar_fast_walk_is_the_topological_order_without_its_leaves(seed: int) -> None:
    root, _ = random_scalar_graph(seed)
    root = root * root + root  # a node used twice by one op and again by the next
    expected = [node for node in topological_order(root) if node._children]
    assert backprop._intermediate_order(root) == expected
    assert backprop._intermediate_order(root) == expected  # the marks of one walk do not confuse the next


def _tensor_graph(seed: int) -> tuple[Tensor, list[Tensor]]:
    """An MLP-like graph of Tensors with a shared hidden layer, a node used twice and a constant."""
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal((5, 3)))
    w1, b1 = Tensor(rng.standard_normal((4, 3)), requires_grad=True), Tensor(rng.standard_normal(4), requires_grad=True)
    w2 = Tensor(rng.standard_normal((2, 4)), requires_grad=True)
    hidden = autograd.linear(x, w1, b1).relu()
    scores = autograd.linear(hidden * hidden + hidden, w2)
    loss = scores.mse_loss(rng.standard_normal((5, 2))) + (hidden.tanh().sum() * 0.1)
    return loss, [w1, b1, w2]


@pytest.mark.parametrize("seed", range(4))
def test_tensor_backward_gives_the_grads_of_the_lectures_loop_to_the_last_bit(seed: int) -> None:
    root, leaves = _tensor_graph(seed)
    root.backward()
    walked = [node.grad.copy() for node in topological_order(root) if node.requires_grad]
    for leaf in leaves:
        leaf.grad = None
    backward_node_by_node(root, np.ones_like(root.data))
    by_node = [node.grad for node in topological_order(root) if node.requires_grad]
    assert len(walked) == len(by_node) > 8
    assert all(np.array_equal(a, b) for a, b in zip(walked, by_node))
    assert all(np.abs(leaf.grad).sum() > 0 for leaf in leaves)
    assert backprop._intermediate_order(root) == [node for node in topological_order(root) if node._children]


@pytest.mark.parametrize("run", ["backward_steps", "anomaly mode"])
def test_leaves_accumulate_across_calls_on_every_path_of_backward(run: str) -> None:
    """backward_steps and anomaly mode order the graph with start_backward: leaves keep adding up there too."""
    x, w = Value(1.5, label="x"), Tensor(np.array([0.5, -2.0]), requires_grad=True)
    value_root, tensor_root = (x * x + x).tanh(), (w * w + w).sum()

    def once() -> None:
        for root in (value_root, tensor_root):
            if run == "backward_steps":
                list(root.backward_steps())
            else:
                with detect_anomaly():
                    root.backward()

    once()
    first = (x.grad, w.grad.copy())
    once()
    assert x.grad == 2 * first[0] and np.array_equal(w.grad, 2 * first[1])
    assert first[0] != 0.0 and np.all(first[1] != 0.0)


def test_scalar_fast_path_ignores_whatever_intermediate_grads_held_before() -> None:
    root, leaves = random_scalar_graph(5)
    root.backward()
    expected = [x.grad for x in leaves]
    stale = [math.nan, math.inf, -2.5, 0.0]  # e.g. left by an interrupted walk, or set by hand
    for i, node in enumerate(topological_order(root)):
        if node._children:
            node.grad = stale[i % len(stale)]
    for x in leaves:
        x.grad = 0.0
    root.backward()
    assert [x.grad for x in leaves] == expected
    assert all(math.isfinite(node.grad) for node in topological_order(root))


def test_one_flag_tells_an_op_whether_it_only_records_in_every_mode() -> None:
    from autograd.mode import state

    a, b = Value(2.0), Value(3.0)
    assert state.just_recording
    with autograd.no_grad():
        assert not state.just_recording and (a * b).children == ()
        with autograd.enable_grad():
            assert state.just_recording and (a * b).children == (a, b)
        with detect_anomaly():
            assert not state.just_recording
            with pytest.raises(AnomalyError, match=r"^exp: result is inf"):
                Value(1000.0).exp()
        assert not state.just_recording
    with detect_anomaly():
        assert not state.just_recording and (a * b).children == (a, b)
    assert state.just_recording and Value(1000.0).exp().data == math.inf


def test_anomaly_mode_runs_the_generic_loop_and_gives_the_same_grads() -> None:
    root, leaves = random_scalar_graph(3)
    root.backward()
    expected = [x.grad for x in leaves]
    for x in leaves:
        x.grad = 0.0
    with detect_anomaly():
        root.backward()
    assert [x.grad for x in leaves] == expected


def test_the_lecture_neuron_backpropagated_node_by_node_as_in_micrograd() -> None:
    # The neuron of the lecture, built by hand, with micrograd's constructor and names.
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    n = x1w1 + x2w2 + b
    o = n.tanh()
    o.grad = 1.0
    o._backward()
    n._backward()
    n._children[0]._backward()  # x1w1 + x2w2
    x1w1._backward()
    x2w2._backward()
    by_hand = [x.grad for x in (x1, x2, w1, w2, b)]
    for x in (x1, x2, w1, w2, b, x1w1, x2w2, n):
        x.grad = 0.0
    o.backward()
    assert by_hand == [x.grad for x in (x1, x2, w1, w2, b)]
    assert by_hand == pytest.approx([-1.5, 0.5, 1.0, 0.0, 0.5], abs=1e-6)  # the lecture's numbers
    assert x1w1._prev == {x1, w1} and n._op == "+" and o._op == "tanh"


@pytest.mark.parametrize("case", CASES[::3], ids=lambda c: c.name)
def test_tensor_nodes_backpropagated_one_by_one_give_the_grads_of_backward(case) -> None:
    arrays = case.inputs()
    inputs = [Tensor(a, requires_grad=True) for a in arrays]
    out = case.fn(TENSOR_OPS, *inputs).sum()
    out.backward()
    expected = [x.grad.copy() for x in inputs]
    for x in inputs:
        x.grad = None
    backward_node_by_node(out, np.ones((), dtype=out.data.dtype))
    for x, grad in zip(inputs, expected):
        np.testing.assert_array_equal(x.grad, grad)


def test_both_engines_speak_the_node_protocol_with_a_rule_in_words_for_every_input() -> None:
    for case in CASES:
        arrays = case.inputs()
        tensor_out = case.fn(TENSOR_OPS, *[Tensor(a, requires_grad=True) for a in arrays])
        value_out = case.fn(VALUE_OPS, *[to_values(a) for a in arrays])
        roots = [tensor_out] + [v for v in np.asarray(value_out, dtype=object).reshape(-1)]
        for root in roots:
            for node in topological_order(root):
                assert isinstance(node, Node)
                assert node.children is node._children and node.op == node._op
                rules = node.local_rules
                assert len(rules) == len(node.children), (case.name, node.op)
                for rule in rules:
                    assert isinstance(rule, LocalRule) and rule.words.startswith("d") or "grad" in rule.words, (
                        case.name, node.op, rule)
                    if isinstance(node, Value):
                        assert isinstance(rule.local_grad, float)
                    else:
                        assert rule.local_grad is None


def test_value_rules_in_words_match_the_tensor_rules_of_the_same_op() -> None:
    a, b = Value(1.5), Value(-2.0)
    s, t = Tensor(1.5, requires_grad=True), Tensor(-2.0, requires_grad=True)
    for f in (lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x - y, lambda x, y: x / y, lambda x, y: -x,
              lambda x, y: x**3, lambda x, y: x.exp(), lambda x, y: x.tanh(), lambda x, y: x.relu(),
              lambda x, y: x.sigmoid(), lambda x, y: x.abs(), lambda x, y: y.elu()):
        value_node, tensor_node = f(a, b), f(s, t)
        assert value_node.op == tensor_node.op
        assert [r.words for r in value_node.local_rules] == [r.words for r in tensor_node.local_rules]


def test_backward_steps_carry_each_rule_in_words() -> None:
    a, b = Value(2.0), Value(3.0)
    (first,) = [step for step in (a * b).backward_steps()][:1]
    assert first.words == ("d(a*b)/da = b", "d(a*b)/db = a")
    assert first.local_grads == (3.0, 2.0) and first.contributions == (3.0, 2.0)


def test_a_value_given_children_by_hand_is_drawn_but_backward_refuses_it() -> None:
    a, b = Value(1.0), Value(2.0)
    c = Value(3.0, (a, b), "+")
    assert c._prev == {a, b} and c.children == (a, b) and c.op == "+"
    with pytest.raises(RuntimeError, match="by hand"):
        c.backward()
    with pytest.raises(RuntimeError, match="by hand"):
        (c * 2).backward()
    with pytest.raises(RuntimeError, match="by hand"):
        c._backward()
    with pytest.raises(TypeError, match="_children must be Values"):
        Value(3.0, (a, 2.0), "+")


def test_a_value_keeps_micrograd_positional_signature_and_the_label_in_second_place() -> None:
    a = Value(1.0, (), "", "a")
    assert a.label == "a" and a._op == "" and a._prev == set()
    assert Value(2.0, "x").label == "x"
    with pytest.raises(TypeError, match="_children must be Values"):
        Value(2.0, "x", "+")
    with pytest.raises(AttributeError):
        a._prev = {a}


def test_anomaly_in_the_generic_loop_names_the_op_sending_an_infinite_gradient() -> None:
    x = Value(1e-200)
    out = (x.sqrt() * 1e250) * 1.0  # the grad reaching sqrt is 1e250, finite; sqrt's local 5e99 makes it inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^sqrt: gradient flowing to its input 0"):
        out.backward()
    t = Tensor([1e-30, 1.0], requires_grad=True)
    y = (t.sqrt() * 1e30).sum()  # float32: the grad reaching sqrt is 1e30, its local 5e14 makes it inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^sqrt: gradient flowing to its input 0 of shape"):
        y.backward()


def test_backprop_core_refuses_a_bad_seed_in_both_engines() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="finite"):
            (Value(1.0) * 2).backward(bad)
        with pytest.raises(ValueError, match="finite"):
            (Tensor([1.0], requires_grad=True) * 2).backward(np.array([bad]))
    with pytest.raises(TypeError, match="real"):
        (Value(1.0) * 2).backward(1j)
    with pytest.raises(TypeError, match="real"):
        (Tensor([1.0], requires_grad=True) * 2).backward(np.array([1 + 1j]))
    with pytest.raises(TypeError, match="real"):
        (Value(1.0) * 2).backward("1")


def test_a_seed_scales_every_grad_and_leaves_accumulate() -> None:
    x = Value(3.0)
    y = x * x
    y.backward(2.0)
    assert x.grad == 12.0
    y.backward()
    assert x.grad == 18.0  # leaves accumulate across calls
    x.backward()
    assert x.grad == 19.0  # backward on a leaf adds its seed


def test_the_walk_and_the_record_live_in_backprop() -> None:
    assert autograd.topological_order is backprop.topological_order
    assert autograd.BackwardStep is backprop.BackwardStep
    from autograd.graph import topological_order as kept_name

    assert kept_name is backprop.topological_order


def test_one_engine_probe_names_the_engine_of_a_node_and_refuses_anything_else() -> None:
    value, tensor = Value(1.0), Tensor([1.0])
    assert (autograd.engine_of(value), autograd.engine_of(tensor)) == ("scalar", "tensor")
    assert autograd.is_tensor(tensor) and not autograd.is_tensor(value) and not autograd.is_tensor(np.ones(2))
    assert autograd.is_value(value) and not autograd.is_value(1.0)
    assert autograd.is_node(value) and autograd.is_node(tensor) and not autograd.is_node(np.float64(1.0))
    with pytest.raises(TypeError, match="Value or a Tensor, got ndarray"):
        autograd.engine_of(np.ones(2))


def test_the_walk_finishes_the_first_input_first_in_both_engines() -> None:
    """The order drawings and the stepper rely on: inputs in order, each finished before the next."""
    for make in (Value, lambda x: Tensor(np.array(x), requires_grad=True)):
        a, b, c = make(1.0), make(2.0), make(3.0)
        product = a * b
        out = product + c
        assert topological_order(out) == [a, b, product, c, out]
        twice = (c * a) + (a * b)
        left, right = twice.children
        assert topological_order(twice) == [c, a, left, b, right, twice]


# ---------------------------------------------------------------------------- the policy, in both engines
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_anomaly_mode_names_the_first_op_that_made_a_non_finite_number(engine):
    big = Value(1e300) if engine == "Value" else Tensor(np.full(3, 1e300), requires_grad=True)
    with detect_anomaly():
        expect(AnomalyError, lambda: (big * big) + 1.0, r"^\*: result", "anomaly")


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


def test_backward_steps_function_has_type_hints():
    import typing

    hints = typing.get_type_hints(autograd.backward_steps)
    assert "root" in hints and "return" in hints


def test_value_backward_of_a_result_made_under_no_grad_is_refused_like_tensor():
    """A loss computed inside ``no_grad`` recorded no graph: backward must say so, not leave every grad at 0."""
    w = Value(2.0)
    with autograd.no_grad():
        loss = (w * 3.0).tanh()
    with pytest.raises(RuntimeError, match=r"no_grad"):
        loss.backward()
    with pytest.raises(RuntimeError, match=r"no_grad"):
        list(loss.backward_steps())
    W = Tensor(np.ones(2), requires_grad=True)
    with autograd.no_grad():
        tensor_loss = (W * 3.0).sum()
    with pytest.raises(RuntimeError):
        tensor_loss.backward()


def test_value_backward_on_a_leaf_and_on_a_constant_inside_a_graph_still_work():
    a = Value(2.0)
    a.backward()
    assert a.grad == 1.0
    with autograd.no_grad():
        c = a * 3.0  # a constant from here on
    b = Value(0.5)
    out = b * c
    out.backward()
    assert b.grad == 6.0 and c.grad == 0.5
