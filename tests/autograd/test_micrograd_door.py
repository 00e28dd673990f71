"""Coming from micrograd: its public example code runs on retrograd with only the imports changed.

Each example of micrograd (karpathy/micrograd: the README, test/test_engine.py, the graph-tracing
notebook, and the lecture's node-by-node backprop) is written here once, as a function of the
``Value`` class it uses, and run on both ``micrograd.engine.Value`` and ``autograd.Value``: the
numbers must be the same. micrograd 0.1.0 is a test dependency.
"""

import math

import pytest

from autograd import Value

micrograd_engine = pytest.importorskip("micrograd.engine")
MicrogradValue = micrograd_engine.Value



# ---------------------------------------------------------------------------- micrograd's README
def readme_example(Value):
    """The README's 'Example usage', as written there."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_the_readme_example_gives_micrograds_numbers():
    a, b, g = readme_example(Value)
    their_a, their_b, their_g = readme_example(MicrogradValue)
    # What the README says it prints.
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "138.8338", "645.5773")
    # micrograd divides as a * b**-1, retrograd as a / b: the last bit may differ, nothing more.
    assert g.data == pytest.approx(their_g.data, rel=1e-15)
    assert a.grad == pytest.approx(their_a.grad, rel=1e-15)
    assert b.grad == pytest.approx(their_b.grad, rel=1e-15)


# ---------------------------------------------------------------------------- micrograd's test/test_engine.py
# The two tests as they are in micrograd, the import line aside (``torch`` comes from the fixture).
@pytest.mark.torch
def test_sanity_check(torch):
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    # forward pass went well
    assert ymg.data == ypt.data.item()
    # backward pass went well
    assert xmg.grad == xpt.grad.item()


@pytest.mark.torch
def test_more_ops(torch):
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    # forward pass went well
    assert abs(gmg.data - gpt.data.item()) < tol
    # backward pass went well
    assert abs(amg.grad - apt.grad.item()) < tol
    assert abs(bmg.grad - bpt.grad.item()) < tol


def sanity_check(Value):
    """test_sanity_check's micrograd half."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x, y


def test_the_test_files_numbers_are_micrograds_bit_for_bit():
    (x, y), (their_x, their_y) = sanity_check(Value), sanity_check(MicrogradValue)
    assert (y.data, x.grad) == (their_y.data, their_x.grad)


# ---------------------------------------------------------------------------- trace_graph.ipynb
def trace(root):
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def draw_dot(root, format="svg", rankdir="LR"):  # noqa: A002 - as in the notebook
    """
    format: png | svg | ...
    rankdir: TB (top to bottom graph) | LR (left to right)
    """
    from graphviz import Digraph

    assert rankdir in ["LR", "TB"]
    nodes, edges = trace(root)
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})  # , node_attr={'rankdir': 'TB'})

    for n in nodes:
        dot.node(name=str(id(n)), label="{ data %.4f | grad %.4f }" % (n.data, n.grad), shape="record")  # noqa: UP031
        if n._op:
            dot.node(name=str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))

    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)

    return dot


def simple_example(Value):
    """The notebook's 'very simple example'."""
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    return y


def _numbers(nodes):
    return sorted((n.data, n.grad) for n in nodes)


def test_trace_and_draw_dot_of_the_simple_example_match_micrograd():
    ours, theirs = simple_example(Value), simple_example(MicrogradValue)
    (nodes, edges), (their_nodes, their_edges) = trace(ours), trace(theirs)
    assert len(nodes) == len(their_nodes) == 6 and len(edges) == len(their_edges) == 5
    assert _numbers(nodes) == _numbers(their_nodes)
    source = draw_dot(ours).source
    for n in nodes:
        assert f"{{ data {n.data:.4f} | grad {n.grad:.4f} }}" in source
    assert source.count("->") == draw_dot(theirs).source.count("->")


def test_trace_of_a_neuron_matches_micrograds_given_its_weights():
    import random

    import micrograd.nn

    import nn

    random.seed(1337)
    their_neuron = micrograd.nn.Neuron(2)
    their_y = their_neuron([MicrogradValue(1.0), MicrogradValue(-2.0)])
    their_y.backward()
    weights = [w.data for w in their_neuron.w]
    for fused in (True, False):
        n = nn.Neuron(2, weights=weights, bias=their_neuron.b.data, fused=fused)
        x = [Value(1.0), Value(-2.0)]
        y = n(x)
        y.backward()
        assert (y.data, y.grad) == (their_y.data, their_y.grad)
        assert [p.grad for p in n.parameters()] == [p.grad for p in their_neuron.parameters()]
        nodes, edges = trace(y)
        leaves = [v for v in nodes if not v._prev]
        assert _numbers(leaves) == _numbers(v for v in trace(their_y)[0] if not v._prev)
        if not fused:  # built node by node, the graph has micrograd's shape: 10 nodes, 9 edges
            assert (len(nodes), len(edges)) == tuple(map(len, trace(their_y)))
        assert draw_dot(y).source.count("record") == len(nodes)


# ---------------------------------------------------------------------------- the lecture: backprop node by node
def lecture_neuron(Value, activation):
    """The lecture's neuron, written out: o = activation(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = getattr(n, activation)()
    return o, [n, b, x1w1x2w2, x2w2, x1w1], [x1, x2, w1, w2, b]


def backprop_by_hand(o, nodes):
    """The lecture's manual backprop: seed the output, then call each node's _backward() in reverse order."""
    o.grad = 1.0
    o._backward()
    for node in nodes:
        node._backward()


def test_node_by_node_backward_gives_the_grads_of_backward():
    o, nodes, leaves = lecture_neuron(Value, "tanh")
    backprop_by_hand(o, nodes)
    by_hand = [leaf.grad for leaf in leaves]
    o2, _, leaves2 = lecture_neuron(Value, "tanh")
    o2.backward()
    assert by_hand == [leaf.grad for leaf in leaves2]
    # The lecture's numbers: n = 0.8814 so that o = tanh(n) = 1/√2 and do/dn = 1 - o² = 0.5.
    assert o.data == pytest.approx(math.sqrt(0.5), rel=1e-12)
    assert by_hand == pytest.approx([-1.5, 0.5, 1.0, 0.0, 0.5], rel=1e-12)


def test_node_by_node_backward_matches_micrograds():
    o, nodes, leaves = lecture_neuron(Value, "relu")  # micrograd 0.1.0 has relu, not tanh
    their_o, their_nodes, their_leaves = lecture_neuron(MicrogradValue, "relu")
    backprop_by_hand(o, nodes)
    backprop_by_hand(their_o, their_nodes)
    assert [leaf.grad for leaf in leaves] == [leaf.grad for leaf in their_leaves]


def test_prev_is_the_set_of_distinct_inputs_and_the_constructor_is_micrograds():
    a, b = Value(2.0), Value(3.0)
    theirs = MicrogradValue(2.0)
    assert (a + a)._prev == {a} and (theirs + theirs)._prev == {theirs}  # a + a has one distinct input
    assert (a * b)._prev == {a, b}
    made = Value(5.0, (a, b), "+", label="s")
    assert made._prev == {a, b} and made._op == "+" and made.label == "s"
