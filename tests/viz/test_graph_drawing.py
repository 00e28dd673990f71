"""viz.draw_graph / render: labels, values, escaping, determinism, size guards, colours, both engines."""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
from unittest import mock

import numpy as np
import pytest

import viz
from autograd import Value
from viz.dot_binary import LayoutProgramNotFoundError, layout_program
from viz.graph import GradScale
from viz.scene import short_number

SVG = "{http://www.w3.org/2000/svg}"


def svg_root(svg_text: str) -> ET.Element:
    return ET.fromstring(svg_text.encode("utf-8"))


def texts_of(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    """The <g> elements Graphviz writes for each node ("node") or edge ("edge")."""
    return [g for g in root.iter(f"{SVG}g") if kind in (g.get("class") or "").split()]


def small_graph() -> dict:
    """L = tanh(a*b + c) with hand-chosen numbers, so every value and grad is known by hand."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(7.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d.tanh()
    L.label = "L"
    return {"a": a, "b": b, "c": c, "e": e, "d": d, "L": L}


def test_svg_contains_labels_values_and_grads():
    g = small_graph()
    g["L"].backward()
    svg = svg_root(viz.to_svg(g["L"]))
    text = " ".join(texts_of(svg))
    for name in "abcedL":
        assert name in texts_of(svg)
    # e = 2 * -3 = -6, d = 1, L = tanh(1); dL/dd = 1 - tanh(1)^2, dL/da = b * dL/dd, dL/db = a * dL/dd.
    dl_dd = 1 - np.tanh(1.0) ** 2
    assert "data -6.0000" in text
    assert f"data {np.tanh(1.0):.4f}" in text
    assert f"grad {-3 * dl_dd:.4f}" in text
    assert f"grad {2 * dl_dd:.4f}" in text
    # Values plus one op per computed value.
    assert len(groups(svg, "node")) == 6 + 3


def test_highlighted_node_is_marked_in_svg():
    g = small_graph()
    svg = svg_root(viz.to_svg(g["L"], highlight=g["e"]))
    highlighted = [node for node in groups(svg, "node") if "highlight" in node.get("class").split()]
    assert len(highlighted) == 1
    assert "e" in texts_of(highlighted[0])


@pytest.mark.parametrize(
    "label",
    [
        'say "hi"',
        "<b>bold?</b>",
        "{braces} | pipe",
        "two\nlines",
        '"] evil [label="pwned',
        "</TD></TR></TABLE>> injected <",
        "amp & ; semi",
    ],
)
def test_labels_render_as_written(label):
    a = Value(1.5, label=label)
    out = a * 2.0
    svg_text = viz.to_svg(out)
    svg = svg_root(svg_text)  # valid XML
    texts = texts_of(svg)
    for line in label.split("\n"):
        assert line in texts, (line, texts)
    # Nothing was injected: still three values (a, the constant 2.0, the product) and one op.
    assert len(groups(svg, "node")) == 4


def test_tabs_and_unicode_in_labels():
    a = Value(1.0, label="it's\tünï ∂x & \\")
    texts = texts_of(svg_root(viz.to_svg(a * 2.0)))
    assert "it's ünï ∂x & \\" in texts


def test_same_graph_gives_same_dot_text():
    first = viz.to_dot(small_graph()["L"], show_local_grads=True)
    junk = [object() for _ in range(1000)]  # different ids for the second graph
    gc.collect()
    second = viz.to_dot(small_graph()["L"], show_local_grads=True)
    del junk
    assert first == second
    assert not re.search(r"\d{9,}", first), "node names must not come from id()"


def test_repeated_child_draws_two_edges():
    a = Value(3.0, label="a")
    out = a + a
    svg = svg_root(viz.to_svg(out))
    edges_into_op = [e for e in groups(svg, "edge") if e.get("id", "").startswith("e")]
    assert len(edges_into_op) == 2
    out.backward()
    assert a.grad == 2.0


def test_local_derivative_and_contribution_on_edges():
    g = small_graph()
    g["L"].backward()
    source = viz.to_dot(g["L"], show_local_grads=True)
    # e = a * b: the edge from a carries ∂e/∂a = b = -3 and sends -3 * e.grad to a.grad.
    e_grad = g["e"].grad
    assert "∂e/∂a = -3<" in source and "∂e/∂b = 2<" in source
    assert f"a.grad += -3 × {short_number(e_grad)} = {short_number(-3.0 * e_grad)}" in source
    assert f"∂L/∂d = {short_number(1 - np.tanh(1.0) ** 2)}" in source


def test_node_limit_raises_clear_error():
    x = Value(0.5)
    for _ in range(600):
        x = x * 1.001
    # 1 input, 600 constants 1.001 and 600 products (1201 values), plus 600 op nodes.
    expected = r"1801 nodes to draw \(1201 values and 600 ops\), more than max_nodes=100"
    with pytest.raises(viz.GraphTooLargeError, match=expected):
        viz.draw_graph(x, max_nodes=100)


def test_busy_node_raises_instead_of_hanging():
    x = Value(1.0, label="x")
    total = Value(0.0)
    for i in range(400):
        total = total + x * float(i)
    # Refused before any layout is tried (laying it out would take many minutes).
    with mock.patch("viz.graph.run_layout", side_effect=AssertionError("layout was run")):
        with pytest.raises(viz.GraphTooLargeError, match=r"'x' is an input to 400 ops"):
            viz.draw_graph(total, max_nodes=10_000)


def test_deep_chain_needs_no_recursion():
    x = Value(0.1)
    for _ in range(3000):
        x = x + 0.0
    source = viz.to_dot(x, max_nodes=10_000)
    # Each step adds an edge from x, one from the constant 0.0, and one from the op to its result.
    assert source.count("->") == 3 * 3000


def test_render_writes_each_format(tmp_path):
    g = small_graph()
    svg = viz.render(g["L"], tmp_path / "g.svg")
    png = viz.render(g["L"], tmp_path / "g.png")
    dot = viz.render(g["L"], tmp_path / "g.dot")
    svg_root(svg.read_text(encoding="utf-8"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dot.read_text(encoding="utf-8") == viz.to_dot(g["L"])
    with pytest.raises(ValueError, match="cannot tell the format"):
        viz.render(g["L"], tmp_path / "g.bmp")


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="got float"):
        viz.draw_graph(1.5)
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(Value(1.0), rankdir="sideways")


def test_missing_layout_program_names_both_options(monkeypatch):
    monkeypatch.setattr("viz.dot_binary.find_layout_program", lambda: None)
    with pytest.raises(LayoutProgramNotFoundError) as error:
        layout_program()
    assert "dot" in str(error.value) and "graphviz-pure" in str(error.value)


def test_grad_colours_follow_log_scale_with_legend():
    small = Value(1.0, label="small")
    big = Value(1.0, label="big")
    out = small * 1e-4 + big * 10.0
    out.backward()
    scale = GradScale.for_grads([small.grad, big.grad, out.grad])
    assert (scale.low, scale.high) == (-4, 2)
    assert scale.colour(small.grad) != scale.colour(big.grad)
    assert scale.colour(0.0) == "#ffffff"
    svg = svg_root(viz.to_svg(out, color_by_grad=True))
    text = " ".join(texts_of(svg))
    assert "|grad| (log scale)" in text and "1e-4" in text and "1e2" in text
    # The two leaves are filled with their scale colours.
    fills = {p.get("fill") for p in svg.iter(f"{SVG}polygon")}
    assert scale.colour(1e-4) in fills and scale.colour(10.0) in fills


def test_every_box_colour_is_a_legend_swatch_and_follows_the_printed_number():
    import nn

    model = nn.MLP(2, [4, 4, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    source = viz.to_dot(loss, color_by_grad=True, level="op")
    legend = re.search(r"legend \[label=(<<TABLE.*?</TABLE>>)", source).group(1)
    swatches = set(re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', legend))
    boxes = [line for line in source.splitlines() if re.match(r"\s*v\d+ \[", line)]
    assert len(boxes) > 40
    for line in boxes:
        colours = set(re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', line))
        assert colours <= swatches, line
        printed = float(re.search(r"grad (-?[0-9.e+-]+)", line).group(1))
        assert colours == {GradScale.for_grads([n.grad for n in viz.scene.topological_order(loss)]).colour(printed)}


def test_a_tensor_box_is_coloured_by_the_norm_it_prints():
    from autograd.tensor import Tensor

    rng = np.random.default_rng(0)
    W = Tensor(rng.standard_normal((8, 8)), requires_grad=True, label="W")
    loss = ((Tensor(rng.standard_normal((4, 8))) @ W).tanh() * 100.0).sum()
    loss.backward()
    source = viz.to_dot(loss, color_by_grad=True)
    line = next(line for line in source.splitlines() if "<B>W</B>" in line)
    printed = float(re.search(r"grad norm ([0-9.e+-]+)", line).group(1))
    assert printed == pytest.approx(float(np.linalg.norm(W.grad)), rel=1e-3)
    order = viz.scene.topological_order(loss)
    scale = GradScale.for_grads([node.grad for node in order])
    assert f'BGCOLOR="{scale.colour_of_size(printed)}"' in line


def test_tensor_graph_shows_shape_dtype_and_small_values():
    from autograd.tensor import Tensor

    W = Tensor(np.array([[1.0, -2.0], [0.5, 4.0]]), requires_grad=True, label="W")
    x = Tensor(np.arange(20.0).reshape(10, 2), label="x")
    loss = (x @ W).sum()
    loss.backward()
    text = " ".join(texts_of(svg_root(viz.to_svg(loss, show_local_grads=True))))
    assert "shape (2, 2) float64" in text and "shape (10, 2) float64" in text
    assert "-2." in text and "4." in text  # W is small: its numbers are drawn
    assert "min 0.0000, max 19.0000" in text  # x is not: a summary
    # dL/dW = x^T @ ones: column sums of x
    assert f"{x.data[:, 0].sum():.0f}." in text


def test_mlp_2_16_16_1_is_drawn_by_neuron_readably(tmp_path):
    """Readable by default: neuron level, within two screens of a 1,280 px window, text of at least 9 px.
    (Its render time is measured by the bench: case 7, render.)"""
    import nn

    model = nn.MLP(2, [16, 16, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    viz.render(loss, tmp_path / "mlp.svg")
    svg_text = (tmp_path / "mlp.svg").read_text(encoding="utf-8")
    svg = svg_root(svg_text)
    text = " ".join(texts_of(svg))
    assert "drawn at neuron level" in text
    # 33 neuron boxes, in the model's order, titled by layer and neuron.
    titles = [t for t in texts_of(svg) if t.startswith("layer ")]
    assert len(titles) == 33 and "layer 2 · neuron 16" in titles
    # At most two screens of a 1,280 × 900 window (SVG points are 4/3 px), text of at least 9 px.
    width_pt, height_pt = (float(svg.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert width_pt * 4 / 3 <= 1280 and height_pt * 4 / 3 <= 2 * 900
    sizes = {float(t.get("font-size")) for t in svg.iter(f"{SVG}text")}
    assert min(sizes) * 4 / 3 >= 9


def test_neuron_clusters_box_each_neuron_and_leave_the_loss_out():
    import nn

    model = nn.MLP(2, [3, 2, 1], seed=1, fused=False)
    out = model([0.5, -1.0])
    loss = (out - 1.0) ** 2
    clusters = viz.neuron_clusters(model, loss, outputs=out)
    # Every parameter is in its own neuron's group.
    for l, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons, start=1):
            for p in neuron.parameters():
                assert clusters[p] == f"layer {l} · neuron {j}"
    assert clusters[out] == "layer 3 · neuron 1"
    assert loss not in clusters
    source = viz.to_dot(loss, clusters=clusters)
    assert source.count("subgraph cluster_") == 3 + 2 + 1
    layers = viz.layer_clusters(model, loss, outputs=out)
    assert {layers[p] for p in model.layers[1].parameters()} == {"layer 2"}
    assert viz.to_dot(loss, clusters=layers).count("subgraph cluster_") == 3


def test_layer_clusters_of_a_tensor_sequential():
    import nn
    from autograd.tensor import Tensor

    model = nn.layers.mlp(2, [4, 1], seed=0, dtype=np.float64)
    out = model(Tensor(np.ones((3, 2))))
    loss = (out * out).mean()
    clusters = viz.layer_clusters(model, loss, outputs=out)
    assert sorted(set(clusters.values())) == ["layer 1", "layer 2"]
    assert clusters[out] == "layer 2" and loss not in clusters
    svg = svg_root(viz.to_svg(loss, clusters=clusters))
    assert len([g for g in svg.iter(f"{SVG}g") if g.get("class") == "cluster"]) == 2


def test_gradcheck_overlay_marks_a_wrong_local_derivative():
    def wrong_square(x: Value) -> Value:
        return Value._from_op(x.data**2, (x,), (3 * x.data,), "wrong_square")  # should be 2x

    def f(a, b):
        return wrong_square(a) * b + b.tanh()

    a, b = Value(1.5, label="a"), Value(-0.5, label="b")
    dot = viz.draw_gradcheck(f, [a, b])
    svg = svg_root(viz.to_svg(dot))
    text = " ".join(texts_of(svg))
    assert "1 of 2 inputs agree with finite differences, 1 disagree" in text
    # a: backprop says 3 * 1.5 * b = -2.25, finite differences 2 * 1.5 * b = -1.5.
    assert "finite difference -1.5000" in text and "MISMATCH (error 0.7500)" in text
    assert f"finite difference {1 - np.tanh(-0.5) ** 2 + 1.5**2:.4f}" in text
    fills = {p.get("fill") for p in svg.iter(f"{SVG}polygon")}
    assert viz.graph.CHECK_FAIL_COLOUR in fills and viz.graph.CHECK_OK_COLOUR in fills


def test_gradcheck_overlay_of_a_tensor_function_agrees():
    from autograd.tensor import Tensor

    W = Tensor(np.array([[0.3, -0.2], [0.1, 0.4]]), requires_grad=True, label="W")
    dot = viz.draw_gradcheck(lambda W: (W @ W).tanh().sum(), W)
    assert "1 of 1 inputs agree" in dot.source and "MISMATCH" not in dot.source


def test_draw_gradcheck_without_a_function_is_named():
    with pytest.raises(TypeError, match=r"draw_gradcheck.*f must be a function.*NoneType"):
        viz.draw_gradcheck(None, [Value(1.0)])


def test_digraph_displays_itself_in_jupyter():
    g = small_graph()
    bundle = viz.draw_graph(g["L"])._repr_mimebundle_()
    svg = svg_root(bundle["image/svg+xml"])
    assert "L" in texts_of(svg)


def test_plain_graphviz_package_finds_the_layout_program():
    import graphviz

    dot = graphviz.Digraph()
    dot.edge("x", "y")
    assert "<svg" in dot.pipe(format="svg", encoding="utf-8")
