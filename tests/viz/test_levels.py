"""Levels of detail, notation on the arrows, bad labels, both languages and the stepper at every size."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd
import nn
import viz
from autograd import Tensor, Value, topological_order
from viz.scene import build_scene

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg_text: str) -> list[str]:
    root = ET.fromstring(svg_text.encode("utf-8"))
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def loss_of(model, x=(0.5, -1.0), target=1.0):
    loss = (model(list(x)) - target) ** 2
    loss.label = "L"
    loss.backward()
    return loss


# ---------------------------------------------------------------------- notation: the right derivative on every edge
A, B = 0.7, -1.3  # different enough that every op's two derivatives differ

OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "** (Value exponent)": lambda a, b: (a * a + 1.0) ** b,
    "**3": lambda a, b: a**3 * b,
    "**0.5": lambda a, b: (a * a) ** 0.5 + b,
    "neg": lambda a, b: -a * b,
    "exp": lambda a, b: a.exp() + b,
    "log": lambda a, b: (a * a).log() * b,
    "sqrt": lambda a, b: (a * a + 1.0).sqrt() - b,
    "tanh": lambda a, b: (a * b).tanh(),
    "sigmoid": lambda a, b: (a - b).sigmoid(),
    "relu": lambda a, b: (a - b).relu(),
    "leaky_relu": lambda a, b: (a + b).leaky_relu(0.1),
    "elu": lambda a, b: (a + b).elu(),
    "abs": lambda a, b: (a + b).abs(),
    "max": lambda a, b: autograd.max([a, b * 0.2]),
    "logsumexp": lambda a, b: autograd.logsumexp([a, b]),
    "softmax": lambda a, b: autograd.softmax([a, b])[0],
    "log_softmax": lambda a, b: autograd.log_softmax([a, b])[1],
    "w·x+b (a neuron's weighted sum)": lambda a, b: nn.Neuron(2, "identity", weights=[0.3, -0.8], bias=0.1)([a, b]),
}


def arrow_derivatives(source: str, parent: int) -> dict[int, tuple[str, float]]:
    """``{input position: (text, number)}`` of the ``∂f/∂x = d`` written on each arrow into node ``parent``'s op."""
    found = re.findall(rf'id="e{parent}_(\d+)" label=<(∂[^<>]+?) = ([-0-9.e+inf]+)', source)
    return {int(p): (text, float(number)) for p, text, number in found}


@pytest.mark.parametrize("name", list(OPS))
def test_each_arrow_names_the_local_derivative_of_its_own_input(name):
    """The arrow from input k of f must carry ∂f/∂(input k), checked by finite differences of f's op.

    A wrong local derivative, or the other input's derivative on an arrow, fails this test.
    """
    a, b = Value(A, label="a"), Value(B, label="b")
    f = OPS[name](a, b)
    f.label = "f"
    source = viz.to_dot(f, level="op", show_local_grads=True)
    last = len(topological_order(f)) - 1
    written = arrow_derivatives(source, last)
    assert sorted(written) == list(range(len(f.children))), source
    values = [child.data for child in f.children]
    h = 1e-6
    for position, (text, d) in written.items():

        def moved(shift, position=position):
            return _same_op(f, [Value(v + (shift if k == position else 0.0)) for k, v in enumerate(values)]).data

        numeric = (moved(h) - moved(-h)) / (2 * h)
        assert d == pytest.approx(numeric, rel=2e-3, abs=2e-4), (name, position, text, d, numeric)
        child_name = viz.scene.notation_names(topological_order(f))[topological_order(f).index(f.children[position])]
        assert text == f"∂f/∂{child_name}"


def _same_op(f: Value, inputs: list[Value]) -> Value:
    """f's own op applied to other inputs (the op is what the arrow's derivative is about)."""
    op = f.op
    a = inputs[0]
    b = inputs[1] if len(inputs) > 1 else None
    simple = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a / b,
        "**": lambda: a**b,
        "neg": lambda: -a,
        "exp": lambda: a.exp(),
        "log": lambda: a.log(),
        "sqrt": lambda: a.sqrt(),
        "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(),
        "relu": lambda: a.relu(),
        "leaky_relu": lambda: a.leaky_relu(0.1),
        "elu": lambda: a.elu(),
        "abs": lambda: a.abs(),
        "max": lambda: autograd.max(inputs),
        "logsumexp": lambda: autograd.logsumexp(inputs),
        "softmax": lambda: autograd.softmax(inputs)[0],
        "log_softmax": lambda: autograd.log_softmax(inputs)[1],
    }
    if op in simple:
        return simple[op]()
    if op.startswith("**"):
        return a ** float(op[2:])
    if op == "w·x+b":  # children: w1, x1, w2, x2, b
        w1, x1, w2, x2, bias = inputs
        return w1 * x1 + w2 * x2 + bias
    raise AssertionError(f"no reference for op {op!r}")


def test_the_stepper_writes_each_inputs_own_derivative_and_contribution():
    a, b = Value(A, label="a"), Value(B, label="b")
    f = a * b
    f.label = "f"
    stepper = viz.BackpropStepper(f)
    notes = stepper.frame_view(1).notes
    lines = [line for arrow in notes.values() for line in arrow]
    assert f"∂f/∂a = {B:g}" in lines and f"∂f/∂b = {A:g}" in lines
    assert f"a.grad += {B:g} × 1 = {B:g}" in lines and f"b.grad += {A:g} × 1 = {A:g}" in lines
    assert "∂f/∂a = 0.7" not in lines


def test_unlabelled_nodes_are_named_by_their_op_and_inputs():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    out = (x * w).tanh()
    out.backward()
    source = viz.to_dot(out, show_local_grads=True)
    assert "∂tanh((x*w))/∂(x*w) = " in source or "∂tanh/∂(x*w) = " in source
    assert "∂(x*w)/∂x = -3" in source and "x.grad += -3 × " in source


# ---------------------------------------------------------------------- levels
def test_neuron_level_of_a_2_4_1_mlp_orders_and_titles_every_neuron():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    for scene in (build_scene(loss, "neuron"), build_scene(loss, "neuron", model=model)):
        titles = [box.title for box in scene.boxes if box.kind == "neuron"]
        assert titles == [f"layer 1 · neuron {j}" for j in range(1, 5)] + ["layer 2 · neuron 1"]
        # Weights and bias are boxes of their own, in the model's order, feeding their neuron.
        feeding = {}
        for arrow in scene.arrows:
            tail = scene.box(arrow.tail)
            if tail.kind == "value" and tail.column:
                feeding.setdefault(arrow.head, []).append((tail.column[1], tail.title))
        assert [t for _, t in sorted(feeding["n2_1"])] == ["w1", "w2", "w3", "w4", "b"]
    source = viz.to_dot(loss, level="neuron", show_local_grads=True)
    neuron = model.layers[1].neurons[0]
    assert f"∂z(2,1)/∂w1 = {viz.scene.short_number(model.layers[0].neurons[0](list((0.5, -1.0))).data)}" in source
    assert neuron.w[0].grad != 0


def test_order_of_neurons_in_the_picture_follows_the_model():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    source = viz.to_dot(loss_of(model), level="neuron")
    chains = re.findall(r"\{rank=same; ([^\[]+) \[style=invis\]\}", source)
    columns = [chain.split(" -> ") for chain in chains if chain.startswith("n")]
    assert [f"n1_{j}" for j in range(1, 17)] in columns and [f"n2_{j}" for j in range(1, 17)] in columns


def test_too_big_goes_up_a_level_and_says_so_never_refused():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    scene = build_scene(loss)  # auto
    assert scene.level == "neuron" and "neuron level" in scene.note
    tiny = build_scene(loss, "op", max_nodes=100)
    assert tiny.level == "neuron" and "op level is too large" in tiny.note
    assert build_scene(loss, "layer").level == "layer"
    layer = build_scene(loss, "layer", model=model)
    assert [box.title for box in layer.boxes if box.kind == "layer"][:2] == [
        "layer 1: 16 neurons, tanh",
        "layer 2: 16 neurons, tanh",
    ]


def test_a_neuron_box_on_a_batch_counts_each_shared_weight_once():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    points, targets = [[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8]], [1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(points, targets)) / len(points)
    loss.backward()
    scene = build_scene(loss, "neuron", model=model)
    neuron = model.layers[1].neurons[4]
    rows = scene.box("n2_5").grad_rows([node.grad for node in scene.order], scene.order)
    norm = math.sqrt(sum(p.grad**2 for p in neuron.parameters()))
    assert rows[-1] == f"w, b (17): grad norm {viz.scene.format_number(norm)}"


def test_the_loss_of_a_batch_is_drawn_compactly_at_neuron_level():
    """Outside the neurons each op is written in its result's box, constants in the box that uses them,
    and the loss's terms added one by one make one sum box."""
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    points, targets = [[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [0.1, 0.1]], [1.0, -1.0, 1.0, -1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(points, targets)) / len(points)
    loss.label = "L"
    loss.backward()
    scene = build_scene(loss, "neuron", model=model)
    rest = [box for box in scene.boxes if box.kind not in ("neuron", "layer")]
    assert not [box for box in rest if box.kind == "op"]
    assert sorted(box.title for box in rest) == sorted(["· − 1", "· − (-1)"] * 2 + ["**2"] * 4 + ["+", "L = · / 4"])
    total = next(box for box in rest if box.title == "+")
    assert sum(1 for arrow in scene.arrows if arrow.head == total.key) == 4
    # Every node is still drawn by some box, and the stepper steps through it all.
    assert set(scene.box_of) == set(range(len(scene.order)))
    stepper = viz.BackpropStepper(loss, level="neuron", model=model)
    assert [s.index for k in range(len(stepper)) for s in stepper.frame_steps(k)] == list(range(len(stepper.steps)))
    assert "L = · / 4" not in stepper.caption(1) and stepper.caption(1).startswith("step 1 of")
    # Four columns of boxes after the output neuron, not thirteen.
    centres = svg_centres(viz.to_svg(loss, level="neuron", model=model))
    columns = {round(centres[box.key][0]) for box in rest}
    assert len(columns) == 4 and min(columns) > centres["n3_1"][0]


def test_unfused_neurons_are_found_from_the_model():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0, fused=False)
    loss = loss_of(model)
    assert build_scene(loss, "neuron").level == "op"  # nothing to find without the model
    scene = build_scene(loss, "neuron", model=model)
    assert [b.title for b in scene.boxes if b.kind == "neuron"] == [
        "layer 1 · neuron 1",
        "layer 1 · neuron 2",
        "layer 1 · neuron 3",
        "layer 2 · neuron 1",
    ]


def test_expanding_one_neuron_draws_its_ops_with_the_grad_that_reaches_it():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    neuron = model.layers[0].neurons[1]
    for item in ("layer 1 · neuron 2", neuron):
        scene = build_scene(loss, "neuron", expand=[item])
        titles = [b.title for b in scene.boxes if b.kind == "neuron"]
        assert "layer 1 · neuron 2" not in titles and len(titles) == 4
        inside = [b for b in scene.boxes if b.group == "layer 1 · neuron 2"]
        assert {b.title for b in inside if b.kind == "op"} == {"w·x+b", "tanh"}
        # Its weights stay in the column of every neuron's weights, feeding its first op.
        feeding = [scene.box(a.tail).title for a in scene.arrows if scene.box(a.head).title == "w·x+b"]
        assert feeding == ["w1", "w2", "b"]
    source = viz.to_dot(loss, level="neuron", expand=[neuron], show_local_grads=True)
    assert "subgraph cluster_0" in source and "∂a(1,2)/∂z(1,2) = " in source
    with pytest.raises(ValueError, match="not a neuron or layer"):
        build_scene(loss, "neuron", expand=["layer 9 · neuron 1"])


def svg_centres(svg_text: str) -> dict[str, tuple[float, float]]:
    """The centre of every drawn node of an SVG picture, by its id (SVG y grows downwards)."""
    centres = {}
    for g in ET.fromstring(svg_text.encode("utf-8")).iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        polygons = [poly.get("points").split() for poly in g.iter(f"{SVG}polygon")]
        points = [tuple(map(float, p.split(","))) for polygon in polygons for p in polygon]
        points += [(float(e.get("cx")), float(e.get("cy"))) for e in g.iter(f"{SVG}ellipse")]
        xs, ys = zip(*points)
        centres[g.get("id")] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return centres


def reading_order(centres: dict[str, tuple[float, float]], keys: list[str], rankdir: str) -> list[str]:
    """``keys`` as a reader meets them across a column: top to bottom (LR, RL) or left to right (TB, BT)."""
    along = 1 if rankdir in ("LR", "RL") else 0
    return sorted(keys, key=lambda key: centres[key][along])


def viewer_centres(stepper) -> dict[str, tuple[float, float]]:
    data = viz.viewer.layout(stepper.scene, stepper.frame_deltas(), stepper.options.rankdir)
    return {b["key"]: (b["x"] + b["w"] / 2, b["y"] + b["h"] / 2) for b in data["boxes"]}


@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL"])
def test_inside_an_expanded_neuron_and_a_cluster_the_order_is_the_models(rankdir):
    """Weights w1, w2, ..., b and neurons 1, 2, ... are laid out in that order, read off the layout itself
    (Graphviz reverses the order asked for inside a cluster of a left-to-right picture)."""
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    neuron = model.layers[0].neurons[1]
    scene = build_scene(loss, "neuron", expand=[neuron])
    expanded = next(g for g in scene.groups if g.key == "n1_2")
    weights = [scene.box_of[p] for p in expanded.parameters]
    assert [scene.box(k).title for k in weights] == ["w1", "w2", "b"]
    neurons = ["n1_1", scene.box_of[expanded.output], "n1_3", "n1_4"]
    pictures = {
        "svg": svg_centres(viz.to_svg(loss, level="neuron", expand=[neuron], rankdir=rankdir)),
        "viewer": viewer_centres(viz.BackpropStepper(loss, level="neuron", expand=[neuron], rankdir=rankdir)),
    }
    for name, centres in pictures.items():
        assert reading_order(centres, weights, rankdir) == weights, name
        assert reading_order(centres, neurons, rankdir) == neurons, name
    # At op level, every neuron boxed as a cluster with its own weights inside.
    clusters = viz.neuron_clusters(model, loss)
    op_scene = build_scene(loss, "op")
    centres = svg_centres(viz.to_svg(loss, level="op", clusters=clusters, rankdir=rankdir))
    for group in op_scene.groups:
        keys = [op_scene.box_of[p] for p in group.parameters]
        titles = [op_scene.box(k).title for k in keys]
        assert titles == [f"w{j}" for j in range(1, len(keys))] + ["b"]
        assert reading_order(centres, keys, rankdir) == keys, (group.title, rankdir)


def test_a_tensor_mlp_is_drawn_one_box_per_layer():
    model = nn.tensor_mlp(2, [8, 8, 1], activation="tanh", seed=0, dtype=np.float64)
    X = Tensor(np.random.default_rng(0).standard_normal((16, 2)))
    loss = ((model(X) - 1.0) ** 2).mean()
    loss.backward()
    scene = build_scene(loss, "layer")
    titles = [b.title for b in scene.boxes if b.kind == "layer"]
    assert titles == ["layer 1: linear 2→8 + tanh", "layer 2: linear 8→8 + tanh", "layer 3: linear 8→1"]
    svg = viz.to_svg(loss, level="neuron", color_by_grad=True)  # no neurons in a tensor graph: layers
    text = " ".join(texts(svg))
    assert "layer 2: linear 8→8 + tanh" in text and "w, b (2): grad norm" in text


# ---------------------------------------------------------------------- bad labels, files, languages
@pytest.mark.parametrize("label", ["nul\x00here", "bell\x07", "esc\x1b[31m", "del\x7f", "\x01\x02"])
def test_control_characters_in_labels_are_drawn_escaped(label, tmp_path):
    x = Value(1.5, label=label)
    out = x * 2.0
    out.backward()
    path = viz.render(out, tmp_path / "g.svg", show_local_grads=True)
    shown = " ".join(texts(path.read_text(encoding="utf-8")))
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", label)
    assert expected in shown
    page = viz.BackpropStepper(out).html()
    assert "\x00" not in page


def test_render_without_a_suffix_writes_svg(tmp_path):
    g = viz.draw_graph(Value(1.0, label="x") * 2.0)
    written = g.render(str(tmp_path / "gout"))
    assert written.endswith(".svg") and (tmp_path / "gout.svg").read_text(encoding="utf-8").lstrip().startswith("<")


def test_a_spanish_picture_and_stepper_speak_spanish():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    text = " ".join(texts(viz.to_svg(loss, level="neuron", color_by_grad=True, language="es")))
    assert "capa 1 · neurona 2" in text and "valor" in text and "escala logarítmica" in text
    assert viz.get_language() == "en"
    stepper = viz.BackpropStepper(loss, level="neuron", language="es")
    assert stepper.caption(0).startswith("inicio:") and "paso 2 de" in stepper.caption(2)
    assert '"previous":"anterior"' in stepper.html() and '<html lang="es">' in stepper.html()
    with viz.messages.language("es"):
        assert "capa 1" in viz.to_dot(loss, level="neuron")


# ---------------------------------------------------------------------- the stepper at every size
def tensor_mlp_loss():
    model = nn.tensor_mlp(2, [4, 1], activation="tanh", seed=0, dtype=np.float64)
    X = Tensor(np.random.default_rng(1).standard_normal((8, 2)))
    return ((model(X) - 1.0) ** 2).mean()


@pytest.mark.parametrize(
    ("network", "level"),
    [
        ("neuron", "op"),
        ("neuron", "neuron"),
        ("neuron", "layer"),
        ("2-4-1", "op"),
        ("2-4-1", "neuron"),
        ("2-4-1", "layer"),
        ("2-16-16-1", "op"),
        ("2-16-16-1", "neuron"),
        ("2-16-16-1", "layer"),
        ("tensor", "op"),
        ("tensor", "neuron"),
        ("tensor", "layer"),
    ],
)
def test_the_stepper_works_on_every_network_of_the_course(network, level):
    if network == "neuron":
        loss = nn.Neuron(2, "tanh", weights=[0.3, -0.4], bias=0.1)([Value(1.0, label="x1"), Value(2.0, label="x2")])
    elif network == "tensor":
        loss = tensor_mlp_loss()
    else:
        sizes = [4, 1] if network == "2-4-1" else [16, 16, 1]
        loss = (nn.MLP(2, sizes, activation="tanh", seed=0)([0.5, -1.0]) - 1.0) ** 2
    reference = {id(node): None for node in topological_order(loss)}
    stepper = viz.BackpropStepper(loss, level=level)
    page = stepper.html()  # its build time is measured by the bench (case 10, stepper)
    # A tensor graph has no neurons: its neuron level is the layer level, and the page says so.
    if network == "tensor" and level == "neuron":
        assert stepper.level == "layer" and stepper.scene.note
        level = "layer"
    assert stepper.level == level
    # The last frame holds exactly the grads of backward().
    grads = stepper.frame_grads(-1)
    for node, grad in zip(stepper.order, grads):
        if isinstance(grad, np.ndarray):
            np.testing.assert_array_equal(grad, node.grad)
        else:
            assert grad == node.grad
    assert len(reference) == len(stepper.order)
    # Every step of backprop is in exactly one frame, in order.
    steps = [step for k in range(len(stepper)) for step in stepper.frame_steps(k)]
    assert [s.index for s in steps] == list(range(len(stepper.steps)))
    assert 'id="rg-data"' in page
    if network == "2-16-16-1" and level == "neuron":
        assert len(stepper) < 60  # a frame per neuron, not per op


@pytest.mark.parametrize(
    ("network", "options"),
    [
        ("2-4-1", {"level": "op", "color_by_grad": True}),
        ("2-4-1", {"level": "neuron"}),
        ("2-4-1", {"level": "layer", "color_by_grad": True}),
        ("2-16-16-1", {"level": "neuron", "color_by_grad": True}),  # too many arrows to label: notes follow
        ("tensor", {"level": "op"}),
    ],
)
def test_the_page_frames_are_the_changes_between_full_frames(network, options):
    """The page's frames, built touching only what each step changes, equal the differences of full frames."""
    if network == "tensor":
        loss = tensor_mlp_loss()
    else:
        sizes = [4, 1] if network == "2-4-1" else [16, 16, 1]
        loss = (nn.MLP(2, sizes, activation="tanh", seed=0)([0.5, -1.0]) - 1.0) ** 2
    stepper = viz.BackpropStepper(loss, **options)
    full = viz.viewer.frame_deltas([stepper.frame_view(k) for k in range(len(stepper))])
    fast = stepper.frame_deltas()
    assert len(fast) == len(full) == len(stepper)
    for k, (got, want) in enumerate(zip(fast, full)):
        assert got == want, k
    assert any(delta["notes"] for delta in fast[1:]) and any(delta["grads"] for delta in fast[1:])


def test_stepper_page_of_a_199_node_graph_is_small_and_time_bounded():
    x = Value(0.3, label="x")
    total = x
    for _ in range(66):
        total = (total * 0.99 + 0.01).tanh()
    total.label = "out"
    assert len(topological_order(total)) >= 199
    stepper = viz.BackpropStepper(total, level="op")
    page = stepper.html()
    assert len(page) < 2_000_000
    with pytest.raises(viz.StepperTimeoutError, match="time_limit"):
        stepper.html(time_limit=0.0)


def test_caption_states_the_chain_rule_step_with_numbers():
    w, x = Value(1.5, label="w1"), Value(0.5, label="x1")
    n = w * x
    n.label = "n"
    out = n.tanh()
    out.label = "out"
    stepper = viz.BackpropStepper(out)
    k = next(k for k in range(len(stepper)) if stepper.frame_steps(k) and stepper.frame_steps(k)[0].node is n)
    upstream = 1 - math.tanh(0.75) ** 2
    caption = stepper.caption(k)
    assert f"n.grad = {viz.scene.short_number(upstream)}" in caption
    short = viz.scene.short_number
    assert f"w1.grad += 0.5 × {short(upstream)} = {short(0.5 * upstream)}" in caption


def test_arrows_reach_the_boxes():
    """Every arrowhead into a value box touches the box (the box is the whole node: no margin around it)."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + a).tanh()
    out.label = "out"
    root = ET.fromstring(viz.to_svg(out).encode("utf-8"))
    boxes = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node" and g.get("id", "").startswith("v"):
            xs = [float(p.split(",")[0]) for poly in g.iter(f"{SVG}polygon") for p in poly.get("points").split()]
            boxes[g.get("id")] = min(xs)
    checked = 0
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "edge" and g.get("id", "").startswith("r"):
            head = g.get("id")[1:]
            tip = max(float(p.split(",")[0]) for p in next(g.iter(f"{SVG}polygon")).get("points").split())
            assert abs(tip - boxes[f"v{head}"]) < 1.5, (g.get("id"), tip, boxes[f"v{head}"])
            checked += 1
    assert checked == 3


ENGLISH_WORDS = {
    "data",
    "shape",
    "layer",
    "neuron",
    "norm",
    "step",
    "finite",
    "agrees",
    "start",
    "leaf",
    "drawn",
    "min",
    "max",
    "previous",
    "next",
    "play",
    "pause",
    "speed",
    "fit",
    "frame",
    "then",
    "log",
}


def english_words_in(text: str) -> set[str]:
    return ENGLISH_WORDS & set(re.findall(r"[a-z]+", text.lower()))


def test_in_spanish_no_english_word_is_drawn():
    """Every text of graph, clusters, stepper and checks comes from the message table (names in code aside)."""
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    loss = loss_of(model)
    tensor_model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0, dtype=np.float64)
    tensor_loss = ((tensor_model(Tensor(np.ones((8, 2)))) - 1.0) ** 2).mean()
    tensor_loss.backward()
    pictures = [
        viz.to_svg(loss, level="op", show_local_grads=True, color_by_grad=True, language="es"),
        viz.to_svg(loss, level="neuron", expand=[model.layers[0].neurons[0]], color_by_grad=True, language="es"),
        viz.to_svg(loss, level="layer", language="es", model=model),
        viz.to_svg(tensor_loss, level="op", show_local_grads=False, language="es"),
        viz.to_svg(tensor_loss, level="layer", color_by_grad=True, language="es"),
        viz.to_svg(viz.draw_gradcheck(lambda a: (a * a).tanh(), [Value(0.5, label="a")], language="es")),
        viz.to_svg(loss, clusters=viz.neuron_clusters(model, loss, language="es"), level="op", language="es"),
    ]
    for svg in pictures:
        shown = " ".join(texts(svg))
        assert not english_words_in(shown), (english_words_in(shown), shown[:300])
    stepper = viz.BackpropStepper(loss, level="neuron", language="es", color_by_grad=True)
    for k in range(len(stepper)):
        view = stepper.frame_view(k)
        words = " ".join([view.caption, *(r for rows in view.grad_rows.values() for r in rows)])
        assert not english_words_in(words), (k, english_words_in(words), words)
    with viz.messages.language("es"):
        deltas = viz.viewer.frame_deltas([stepper.frame_view(0)])
        data = viz.viewer.viewer_data(stepper.scene, deltas, title=viz.message("stepper_title"))
    controls = " ".join([*data["words"].values(), data["counter"], data["note"], data["legend_title"], data["title"]])
    assert not english_words_in(controls), controls
