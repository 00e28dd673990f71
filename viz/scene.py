"""What a picture of a computation graph shows, at one of three levels of detail.

A *scene* is a list of boxes and the arrows between them, built from the graph of a ``Value`` or a
``Tensor``. It does not know how it is drawn: ``viz.graph`` turns it into Graphviz DOT (a static
picture) and ``viz.viewer`` into a page that lays it out once and switches frames in the browser.

Levels:

- ``"op"``: every value is a box ``label | data | grad`` and every op a small ellipse (the lecture's
  picture of a neuron);
- ``"neuron"``: one box per neuron (its weighted sum ``z = w·x+b``, its activation ``a``, data and
  grad); the weights are boxes feeding it when the picture is small, else summarised in it;
- ``"layer"``: one box per layer (scalar MLP) or per module (tensor graphs: shapes and grad norms).

A neuron is found from the model when one is given (``nn.MLP``: ``model.layers[l].neurons[j]``),
otherwise from the graph: a fused ``w·x+b`` node and the activation applied to it. ``expand``
draws chosen neurons or layers at op level inside the collapsed picture.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import is_tensor, topological_order

from .messages import message

LEVELS = ("op", "neuron", "layer")
# The most boxes a picture may have at a level before "auto" draws it at the next level up.
AUTO_MAX_BOXES = 150
# With more parameters than this in the whole picture, neurons summarise their weights.
MAX_PARAMETER_BOXES = 40
# Tensors with at most this many elements are drawn with their numbers.
SMALL_TENSOR_SIZE = 6
# Notation labels on arrows are drawn only when the picture has at most this many arrows.
MAX_LABELLED_ARROWS = 80

# Graphs larger than this make the layout slow (tens of seconds) and the picture unreadable.
DEFAULT_MAX_NODES = 3000
# dot's layout time explodes on a node with many edges that feed a long chain: measured with
# graphviz-pure, x used by n products summed one by one takes 0.4 s at n = 50, 4 s at 100,
# 12 s at 150 and over a minute at 300 (1,000 edges ran for more than 15 minutes).
DEFAULT_MAX_EDGES_PER_NODE = 100


class GraphTooLargeError(ValueError):
    """The graph is too large to lay out in reasonable time at any level; the message says what to do."""


_PARAMETER_LABEL = re.compile(r"^(w\d+|b)$")


# ---------------------------------------------------------------------- numbers as text
def format_number(x: float) -> str:
    """A number in at most ~9 characters: fixed point for everyday sizes, scientific otherwise."""
    x = float(x)
    if x == 0.0:
        return "0.0000"
    if not math.isfinite(x):
        return str(x)
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.4f}"
    return f"{x:.3e}"


def short_number(x: float) -> str:
    """A number for notation (``∂n/∂w1 = 1.5``): four significant digits, no trailing zeros."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.4g}"
    return "0" if text in ("0", "-0") else text


def _array_text(values: np.ndarray) -> str:
    if np.ndim(values) == 0:
        return format_number(float(values))
    return np.array2string(np.asarray(values), precision=4, separator=", ", suppress_small=True)


def grad_magnitude(grad: Any) -> float | None:
    """The size a box prints and is coloured by: |grad| for a number, the L2 norm for an array."""
    if grad is None:
        return None
    if isinstance(grad, np.ndarray):
        return float(np.linalg.norm(grad)) if grad.size else 0.0
    return abs(float(grad))


def value_text(value: Any) -> str:
    """A number, a small array's numbers, or a large array's shape and norm."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        if value.size <= SMALL_TENSOR_SIZE:
            return _array_text(value)
        return (
            f"{message('shape')} {tuple(value.shape)}, {message('norm')} {format_number(float(np.linalg.norm(value)))}"
        )
    return format_number(value)


def data_lines(node: Any) -> list[str]:
    """The data rows of a value's box."""
    if not is_tensor(node):
        return [f"{message('data')} {format_number(node.data)}"]
    data = node.data
    lines = [f"{message('shape')} {tuple(data.shape)} {data.dtype}"]
    if data.size <= SMALL_TENSOR_SIZE:
        lines.append(_array_text(data))
    elif data.size:
        lines.append(message("min_max", low=format_number(data.min()), high=format_number(data.max())))
    return lines


def grad_lines(node: Any, grad: Any) -> list[str]:
    """The grad rows of a value's box (for a tensor: its numbers, or the norm the colour follows)."""
    if grad is None:
        return [f"{message('grad')} None"]
    if not is_tensor(node):
        return [f"{message('grad')} {format_number(grad)}"]
    grad = np.asarray(grad)
    if grad.ndim == 0:
        return [f"{message('grad')} {format_number(float(grad))}"]
    if grad.size <= SMALL_TENSOR_SIZE:
        return [message("grad"), _array_text(grad)]
    return [f"{message('grad_norm')} {format_number(float(np.linalg.norm(grad)))}"]


# ---------------------------------------------------------------------- the scene
@dataclass
class Box:
    """One drawn node: a table of rows (``kind`` "value", "neuron", "layer") or an op ellipse ("op")."""

    key: str
    kind: str
    title: str = ""
    rows: list[str] = field(default_factory=list)
    # The node whose grad the box prints and is coloured by (a traversal index), if any.
    grad_of: int | None = None
    # Further grad rows: a function of all grads (a neuron's summarised weights).
    extra_grad_rows: Callable[[Sequence[Any]], list[str]] | None = None
    group: str | None = None
    nodes: list[int] = field(default_factory=list)
    # The nodes whose grad (norm, for several) colours the box: what its first grad row prints.
    measure_of: list[int] = field(default_factory=list)
    # For boxes in a ranked column (neurons of one layer): the column and the place in it.
    column: tuple[Any, Any] | None = None

    def grad_rows(self, grads: Sequence[Any], order: Sequence[Any]) -> list[str]:
        rows = [] if self.grad_of is None else grad_lines(order[self.grad_of], grads[self.grad_of])
        if self.extra_grad_rows is not None:
            rows += self.extra_grad_rows(grads)
        return rows


@dataclass
class Arrow:
    """An arrow between boxes, drawing one or more edges ``(parent index, input position)`` of the graph."""

    key: str
    tail: str
    head: str
    edges: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Scene:
    """Boxes and arrows of one picture, with what is needed to write notation on them."""

    root: Any
    order: list
    level: str
    boxes: list[Box]
    arrows: list[Arrow]
    box_of: dict[int, str]  # traversal index -> the box that draws that value
    names: dict[int, str]  # traversal index -> its name in notation (∂n/∂w1)
    note: str | None = None  # said in the picture (e.g. drawn at a higher level than asked)
    groups: list[NeuronGroup] = field(default_factory=list)

    def box(self, key: str) -> Box:
        return self._by_key[key]

    def __post_init__(self) -> None:
        self._by_key = {box.key: box for box in self.boxes}

    @property
    def labelled_arrows(self) -> bool:
        return len(self.arrows) <= MAX_LABELLED_ARROWS


# ---------------------------------------------------------------------- names in notation
def node_name(node: Any) -> str:
    """A node's name in notation: its label, else its op, else (a constant) its value."""
    if node.label:
        return node.label
    if node.op:
        return node.op
    if is_tensor(node):
        return message("tensor")
    return short_number(node.data)


# A name written from the op and its inputs' names is kept only up to this length.
MAX_EXPRESSION_NAME = 14
_INFIX = {"+", "-", "*", "/", "**"}


def notation_names(order: Sequence[Any], given: dict[int, str] | None = None) -> dict[int, str]:
    """The name of every node in notation: its label; else a name ``given`` (a neuron's ``z(2,3)``);
    else its op written with its inputs' names when short (``(x1*w1)``, ``tanh(n)``), else the op
    alone; a constant leaf is its value."""
    given = given or {}
    index = {id(node): i for i, node in enumerate(order)}
    names: dict[int, str] = {}
    for i, node in enumerate(order):
        name = node_name(node)
        if not node.label and i in given:
            name = given[i]
        elif not node.label and node.children:
            inputs = [names[index[id(child)]] for child in node.children]
            op = node.op
            if op in _INFIX and len(inputs) == 2:
                expression = f"({inputs[0]}{op}{inputs[1]})"
            elif op.startswith("**") and len(inputs) == 1:
                expression = f"({inputs[0]}{op})"
            else:
                expression = f"{op}({', '.join(inputs)})"
            if len(expression) <= MAX_EXPRESSION_NAME:
                name = expression
        names[i] = name
    return names


def derivative_text(scene: Scene, parent: int, position: int) -> str | None:
    """``∂n/∂w1 = 1.5`` for the edge from input ``position`` of node ``parent`` (a rule in words for tensors)."""
    node = scene.order[parent]
    locals_ = local_derivatives(node)
    if position >= len(locals_) or locals_[position] is None:
        return None
    local = locals_[position]
    child = node.children[position]
    index = _index_of(scene, child)
    if isinstance(local, str):
        return local or None
    return f"∂{scene.names[parent]}/∂{scene.names[index]} = {short_number(local)}"


def contribution_text(scene: Scene, parent: int, position: int, upstream: Any, contribution: Any) -> str | None:
    """``w1.grad += 0.71 × 1.5 = 1.07``: what backprop adds to an input's grad along one edge."""
    if contribution is None:
        return None
    node = scene.order[parent]
    child_name = scene.names[_index_of(scene, node.children[position])]
    if isinstance(contribution, np.ndarray) or isinstance(upstream, np.ndarray):
        return f"{child_name}.{message('grad')} += {value_text(np.asarray(contribution))}"
    local = local_derivatives(node)[position]
    product = f"{short_number(local)} × {short_number(upstream)} = {short_number(contribution)}"
    return f"{child_name}.{message('grad')} += {product}"


def local_derivatives(node: Any) -> tuple:
    """The local derivative of ``node`` for each input (``autograd.Node.local_rules``): a number for a
    Value, the rule in words for a Tensor (whose Jacobian is never built)."""
    return tuple(rule.words if rule.local_grad is None else rule.local_grad for rule in node.local_rules)


def _index_of(scene: Scene, node: Any) -> int:
    if not hasattr(scene, "_index"):
        scene._index = {id(n): i for i, n in enumerate(scene.order)}
    return scene._index[id(node)]


# ---------------------------------------------------------------------- neurons and layers
@dataclass
class NeuronGroup:
    """One neuron (or, for tensor graphs, one layer) of one forward pass, found in the graph."""

    layer: int  # 1-based
    number: int  # 1-based, within its layer (0 for a tensor layer)
    members: set[int]  # traversal indices drawn by its box when collapsed
    output: int  # the value other boxes read (the activation, or the sum without one)
    total: int  # the weighted sum z (tensor: the linear op's result)
    parameters: list[int]  # in the model's order: w1, w2, ..., b
    activation: str = ""
    title: str = ""

    @property
    def key(self) -> str:
        return f"n{self.layer}_{self.number}" if self.number else f"L{self.layer}"


def _parents_of(order: Sequence[Any]) -> dict[int, list[int]]:
    index = {id(node): i for i, node in enumerate(order)}
    parents: dict[int, list[int]] = {i: [] for i in range(len(order))}
    for i, node in enumerate(order):
        for child in node.children:
            parents[index[id(child)]].append(i)
    return parents


def _model_neurons(model: Any) -> list[tuple[int, int, Any, list[Any]]]:
    """``(layer, neuron, activation name, parameters w1..wn, b)`` of a scalar MLP's neurons, in order."""
    found = []
    layers = getattr(model, "layers", None)
    if layers is None and hasattr(model, "neurons"):
        layers = [model]
    if layers is None and hasattr(model, "w") and hasattr(model, "b"):
        return [(1, 1, model.activation.name, [*model.w, model.b])]
    for l, layer in enumerate(layers or (), start=1):
        for j, neuron in enumerate(getattr(layer, "neurons", ()), start=1):
            found.append((l, j, neuron.activation.name, [*neuron.w, neuron.b]))
    return found


def find_neurons(order: Sequence[Any], model: Any = None) -> list[NeuronGroup]:
    """The neurons of ``order``'s graph, from ``model``'s parameters or from fused ``w·x+b`` nodes."""
    index = {id(node): i for i, node in enumerate(order)}
    parents = _parents_of(order)
    sums: list[tuple[int, int, int, list[int], str]] = []  # (sum index, layer, number, params, activation)
    if model is not None and _model_neurons(model):
        for layer, number, activation, params in _model_neurons(model):
            bias = params[-1]
            if id(bias) not in index:
                continue
            present = [index[id(p)] for p in params if id(p) in index]
            # The sum that adds the bias (one per forward pass of this neuron).
            for s in parents[index[id(bias)]]:
                sums.append((s, layer, number, present, activation))
    else:
        for s, node in enumerate(order):
            if node.op == "w·x+b" and not is_tensor(node):
                params = [index[id(c)] for c in node.children if not c.children and _PARAMETER_LABEL.match(c.label)]
                sums.append((s, 0, 0, params, ""))
    groups = []
    for s, layer, number, params, activation in sums:
        output = s
        above = parents[s]
        if len(above) == 1 and len(order[above[0]].children) == 1 and not order[above[0]].label:
            candidate = above[0]
            if not activation or order[candidate].op == activation:
                output = candidate
                activation = order[candidate].op
        members = (_members_between(order, s, set(params), index) - set(params)) | {output}
        groups.append(NeuronGroup(layer, number, members, output, s, params, activation))
    if groups and groups[0].layer == 0:
        _number_by_depth(order, groups, index)
    for group in groups:
        group.title = message("neuron_title", layer=group.layer, neuron=group.number)
    return groups


def _members_between(order: Sequence[Any], top: int, params: set[int], index: dict[int, int]) -> set[int]:
    """``top`` and every node below it that depends on one of ``params`` (a neuron's products and sums)."""
    depends = {}
    for i, node in enumerate(order):  # children come first
        depends[i] = i in params or any(depends[index[id(c)]] for c in node.children)
    members = {top}
    stack = [top]
    while stack:
        i = stack.pop()
        for child in order[i].children:
            c = index[id(child)]
            if c not in members and depends[c]:
                members.add(c)
                stack.append(c)
    return members


def _number_by_depth(order: Sequence[Any], groups: list[NeuronGroup], index: dict[int, int]) -> None:
    """Without a model: a neuron's layer is one more than the deepest neuron it reads; numbered in order."""
    group_of_output = {g.output: g for g in groups}
    depth: dict[int, int] = {}
    for i, node in enumerate(order):
        below = max((depth[index[id(c)]] for c in node.children), default=0)
        group = group_of_output.get(i)
        depth[i] = below + 1 if group is not None else below
        if group is not None:
            group.layer = depth[i]
    counts: dict[int, int] = {}
    for group in sorted(groups, key=lambda g: g.total):
        counts[group.layer] = counts.get(group.layer, 0) + 1
        group.number = counts[group.layer]


def find_tensor_layers(order: Sequence[Any], model: Any = None) -> list[NeuronGroup]:
    """One group per ``linear`` op of a tensor graph (with its weight, bias and activation), in order."""
    index = {id(node): i for i, node in enumerate(order)}
    parents = _parents_of(order)
    groups = []
    for s, node in enumerate(order):
        if node.op != "linear" or not is_tensor(node):
            continue
        params = [index[id(c)] for c in node.children[1:] if not c.children]
        output = s
        above = parents[s]
        if len(above) == 1 and len(order[above[0]].children) == 1 and not order[above[0]].label:
            output = above[0]
        members = {s, output, *params}
        groups.append(
            NeuronGroup(len(groups) + 1, 0, members, output, s, params, order[output].op if output != s else "")
        )
    for group in groups:
        weight = order[group.total].children[1].data
        group.title = message("layer_title", layer=group.layer, size=f"{weight.shape[1]}→{weight.shape[0]}")
        if group.activation:
            group.title += f" + {group.activation}"
    return groups


# ---------------------------------------------------------------------- building a scene
def build_scene(
    root: Any,
    level: str = "auto",
    *,
    model: Any = None,
    expand: Sequence[Any] = (),
    show_data: bool = True,
    show_grad: bool = True,
    order: Sequence[Any] | None = None,
    max_boxes: int = AUTO_MAX_BOXES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_edges_per_node: int = DEFAULT_MAX_EDGES_PER_NODE,
) -> Scene:
    """The scene of ``root``'s graph at ``level`` ("op", "neuron", "layer" or "auto").

    "auto" is the finest level with at most ``max_boxes`` boxes. A level asked for is kept unless
    its layout would take too long (more than ``max_nodes`` boxes, or an input read by more than
    ``max_edges_per_node`` ops): then the next level up is drawn. When a picture is drawn at a
    level other than the one asked for, the scene's ``note`` says so. Only a graph too large at
    every level raises ``GraphTooLargeError``.
    """
    if level not in ("auto", *LEVELS):
        raise ValueError(f"level must be one of 'auto', 'op', 'neuron', 'layer', got {level!r}")
    order = list(order) if order is not None else topological_order(root)
    tensor_graph = is_tensor(root)
    groups = find_tensor_layers(order, model) if tensor_graph else find_neurons(order, model)
    asked = level
    candidates = list(LEVELS) if level == "auto" else list(LEVELS[LEVELS.index(level) :])
    if not groups:
        candidates = ["op"]
    elif tensor_graph:
        candidates = [c if c != "neuron" else "layer" for c in candidates]
    candidates = list(dict.fromkeys(candidates))
    readable = max_boxes if asked == "auto" else max_nodes
    scene = None
    for number, candidate in enumerate(candidates):
        last = number == len(candidates) - 1
        if candidate == "op":
            problem = op_level_problem(order, max_nodes, max_edges_per_node)
            if problem and last:
                raise GraphTooLargeError(problem)
            if problem or (not last and _op_box_count(order) > readable):
                continue
        scene = _scene_at(root, order, candidate, groups, expand, show_data, show_grad)
        if len(scene.boxes) <= readable or last:
            break
    assert scene is not None
    if len(scene.boxes) > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {len(scene.boxes)} boxes to draw even at {scene.level} level, more than "
            f"max_nodes={max_nodes}. Draw a smaller part of it (e.g. one neuron's output), "
            f"or pass max_nodes={len(scene.boxes)} to draw it anyway (the layout may be slow)."
        )
    if asked == "auto" and scene.level != "op":
        scene.note = message("note_level_up", level=message(f"level_{scene.level}"), boxes=_op_box_count(order))
    elif asked not in ("auto", scene.level):
        scene.note = message(
            "note_level_changed", asked=message(f"level_{asked}"), level=message(f"level_{scene.level}")
        )
    return scene


def op_level_problem(order: Sequence[Any], max_nodes: int, max_edges_per_node: int) -> str | None:
    """Why the op-level picture of ``order`` would take too long to lay out, or None."""
    drawn = _op_box_count(order)
    if drawn > max_nodes:
        return (
            f"the graph has {drawn} nodes to draw ({len(order)} values and {drawn - len(order)} ops), "
            f"more than max_nodes={max_nodes}. Draw a smaller part of it (e.g. one neuron's output), "
            f"draw it by neuron or layer (level=..., model=...), or pass max_nodes={drawn} to draw it anyway "
            "(the layout may be slow)."
        )
    uses: dict[int, int] = {}
    for node in order:
        for child in node.children:
            uses[id(child)] = uses.get(id(child), 0) + 1
    if uses:
        busiest_id, count = max(uses.items(), key=lambda item: item[1])
        if count > max_edges_per_node:
            busiest = next(node for node in order if id(node) == busiest_id)
            name = busiest.label or busiest.op or "a leaf"
            return (
                f"node {name!r} is an input to {count} ops, more than max_edges_per_node={max_edges_per_node}: "
                "laying out a node with that many edges can take many minutes. Draw a smaller part of the "
                f"graph, or pass max_edges_per_node={count} to draw it anyway."
            )
    return None


def _op_box_count(order: Sequence[Any]) -> int:
    return len(order) + sum(1 for node in order if node.children)


def _expanded_keys(groups: Sequence[NeuronGroup], expand: Sequence[Any], order: Sequence[Any]) -> set[str]:
    """Which groups to draw at op level: given by title, key, a Neuron/Layer object, or a node inside."""
    if isinstance(expand, (str,)) or not isinstance(expand, Sequence):
        expand = [expand]
    wanted = set()
    ids = {id(node): i for i, node in enumerate(order)}
    for item in expand:
        matched = False
        for group in groups:
            params = {id(order[p]) for p in group.parameters}
            own = [*getattr(item, "w", ()), *([item.b] if hasattr(item, "b") else [])]
            if hasattr(item, "parameters") and not own:
                own = list(item.parameters())
            if (
                item in (group.title, group.key)
                or (own and any(id(p) in params for p in own))
                or (id(item) in ids and ids[id(item)] in group.members)
                or (
                    isinstance(item, str)
                    and item.lower() in (f"layer {group.layer}", message("layer_name", layer=group.layer))
                )
            ):
                wanted.add(group.key)
                matched = True
        if not matched:
            raise ValueError(
                f"expand: {item!r} is not a neuron or layer of this graph (titles: {groups[0].title!r}, ...)"
            )
    return wanted


def _scene_at(
    root: Any,
    order: list,
    level: str,
    groups: list[NeuronGroup],
    expand: Sequence[Any],
    show_data: bool,
    show_grad: bool,
) -> Scene:
    index = {id(node): i for i, node in enumerate(order)}
    renamed: dict[int, str] = {}
    # Which group collapses each node: neuron level collapses neurons; layer level, whole layers.
    collapsed: dict[int, str] = {}
    titles: dict[str, str] = {}
    boxes: list[Box] = []
    expanded = _expanded_keys(groups, expand, order) if expand else set()
    summarised: set[int] = set()
    # A neuron's values are named in notation, at every level: z(2,3), a(2,3) (one pass: else the
    # several passes of a batch would share a name).
    passes: dict[str, int] = {}
    for g in groups:
        passes[g.key] = passes.get(g.key, 0) + 1
    for g in groups:
        if g.number and passes[g.key] == 1:
            # A lone neuron is just z and a; in a network, which one it is: z(2,3).
            where = "" if len(groups) == 1 else f"({g.layer},{g.number})"
            renamed[g.total] = f"z{where}"
            if g.output != g.total:
                renamed[g.output] = f"a{where}"
    if level != "op":
        by_key: dict[str, list[NeuronGroup]] = {}
        for group in groups:
            key = group.key if level == "neuron" else f"L{group.layer}"
            if group.key in expanded or key in expanded:
                continue
            by_key.setdefault(key, []).append(group)
        parameter_count = sum(len(g.parameters) for g in groups)
        summarise = level == "layer" or parameter_count > MAX_PARAMETER_BOXES or is_tensor(root)
        uses = _parents_of(order)
        for key, members in by_key.items():
            inside = set().union(*(g.members for g in members))
            for g in members:
                for p in g.parameters:
                    # A parameter used only inside this box (not by another forward pass) is summarised.
                    if summarise and all(u in inside for u in uses[p]):
                        inside.add(p)
                        summarised.add(p)
            for i in inside:
                collapsed[i] = key
            boxes.append(_group_box(key, members, level, order, summarised, show_data, show_grad))
            titles[key] = boxes[-1].title
    names = notation_names(order, renamed)
    # Every node not collapsed is drawn at op level (a value box and, if computed, an op ellipse).
    # An expanded neuron's ops are boxed; its weights stay in the column of every neuron's weights.
    group_title = {}
    for group in groups:
        if group.key in expanded or f"L{group.layer}" in expanded:
            for i in group.members:
                group_title[i] = group.title if group.key in expanded else message("layer_name", layer=group.layer)
    # Weights and biases drawn as boxes keep the model's order in one column per layer:
    # neuron 1's w1, w2, ..., b, then neuron 2's, ...
    parameter_place = {}
    for group in groups:
        for place, p in enumerate(group.parameters):
            parameter_place.setdefault(p, (f"parameters of layer {group.layer}", (group.number, place)))
    drawn_by = _compact_rest(order, collapsed, group_title, parameter_place) if level != "op" else {}
    box_of: dict[int, str] = {}
    op_box: dict[int, str] = {}
    for i, node in enumerate(order):
        if i in collapsed:
            box_of[i] = collapsed[i]
            continue
        if i in drawn_by:
            continue  # written into the box of the value that uses it
        rows = data_lines(node) if show_data else []
        compact = level != "op" and node.children and i not in group_title
        title = _compact_title(order, i, drawn_by, index) if compact else node.label or renamed.get(i, "")
        inside = [j for j, owner in drawn_by.items() if owner == i]
        box = Box(
            f"v{i}", "value", title, rows, i if show_grad else None, group=group_title.get(i), nodes=[i, *inside]
        )
        box.measure_of = [i] if show_grad else []
        box.column = parameter_place.get(i)
        boxes.append(box)
        box_of[i] = box.key
        if node.children and not compact:
            boxes.append(Box(f"op{i}", "op", node.op or "?", group=group_title.get(i), nodes=[i]))
            op_box[i] = f"op{i}"
    for j, owner in drawn_by.items():
        box_of[j] = box_of[owner]
    # Arrows: each input into its op (op level) or into the box that collapses the node.
    arrows: list[Arrow] = []
    merged: dict[tuple[str, str], Arrow] = {}
    for i, node in enumerate(order):
        if not node.children:
            continue
        head = op_box.get(i, box_of[i])
        for position, child in enumerate(node.children):
            tail = box_of[index[id(child)]]
            if tail == head:
                continue  # inside one collapsed box
            if i in op_box:
                arrows.append(Arrow(f"e{i}_{position}", tail, head, [(i, position)]))
                continue
            pair = (tail, head)
            if pair not in merged:
                merged[pair] = Arrow(f"e{i}_{position}", tail, head, [])
                arrows.append(merged[pair])
            merged[pair].edges.append((i, position))
        if i in op_box:
            arrows.append(Arrow(f"r{i}", op_box[i], box_of[i], []))
    return Scene(root, order, level, boxes, arrows, box_of, names, groups=groups)


def _compact_rest(
    order: Sequence[Any], collapsed: dict[int, str], grouped: dict[int, str], parameters: dict[int, Any]
) -> dict[int, int]:
    """Outside the neurons (the loss, mostly), which values are written into the box of the value that
    uses them: a constant read by one op (``1`` in ``ŷ - 1``), and a sum feeding another sum (the
    terms of a loss added one by one make one box). Returns node -> the node whose box draws it."""
    uses = _parents_of(order)
    drawn_by: dict[int, int] = {}

    def outside(i: int) -> bool:
        return i not in collapsed and i not in grouped

    for i, node in enumerate(order):
        if not outside(i) or node.label or len(uses[i]) != 1 or not outside(uses[i][0]):
            continue
        user = order[uses[i][0]]
        constant = not node.children and i not in parameters and not getattr(node, "requires_grad", False)
        if constant or (node.op == "+" and user.op == "+" and node.children):
            drawn_by[i] = uses[i][0]
    for i in sorted(drawn_by, reverse=True):  # users come after what they use: follow chains to the end
        if drawn_by[i] in drawn_by:
            drawn_by[i] = drawn_by[drawn_by[i]]
    return drawn_by


# How an infix op is written in a title (the minus and times signs of print).
_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "/"}


def _compact_title(order: Sequence[Any], i: int, drawn_by: dict[int, int], index: dict[int, int]) -> str:
    """The title of a value box that also shows the op making it: ``· − 1``, ``**2``, ``L = · / 4``, ``+``."""
    node = order[i]
    inputs = [index[id(child)] for child in node.children]
    constants = [short_number(np.asarray(order[c].data).item()) if np.size(order[c].data) == 1 else node_name(order[c])
                 for c in inputs if drawn_by.get(c) == i and not order[c].children]
    op = node.op or "?"
    if op in _SYMBOL and len(inputs) == 2 and len(constants) == 1:
        constant = f"({constants[0]})" if constants[0].startswith("-") else constants[0]
        parts = ["·" if drawn_by.get(c) != i or order[c].children else constant for c in inputs]
        text = f"{parts[0]} {_SYMBOL[op]} {parts[1]}"
    else:
        text = op
    return f"{node.label} = {text}" if node.label else text


def _group_box(
    key: str,
    members: list[NeuronGroup],
    level: str,
    order: Sequence[Any],
    summarised: set[int],
    show_data: bool,
    show_grad: bool,
) -> Box:
    first = members[0]
    nodes = sorted(
        set().union(*(g.members for g in members)) | (summarised & set().union(*(set(g.parameters) for g in members)))
    )
    # Several forward passes (a batch) share the parameters: each is counted once.
    parameters = list(dict.fromkeys(p for g in members for p in g.parameters if p in summarised))
    passes = len(members) if level == "neuron" else 1  # forward passes of one neuron (a batch)
    if passes > 1:
        title = first.title
        rows = []
        if show_data:
            outputs = [float(order[g.output].data) for g in members]
            low, high = short_number(min(outputs)), short_number(max(outputs))
            rows.append(message("passes_summary", count=passes, low=low, high=high))
        grad_of = None
        column = (first.layer, first.number)
    elif level == "neuron" or len(members) == 1:
        group = first
        title = group.title
        rows = []
        if show_data:
            z, a = order[group.total], order[group.output]
            if is_tensor(z):  # a layer of a tensor graph: one line per array
                rows.append(f"z = x@Wᵀ+b: {value_text(z.data)}")
                if group.output != group.total:
                    rows.append(f"a = {group.activation}(z): {value_text(a.data)}")
            elif group.output != group.total:
                rows.append(f"z = {short_number(z.data)}, a = {group.activation}(z) = {short_number(a.data)}")
            else:
                rows.append(f"z = w·x+b = {short_number(z.data)}")
        grad_of = group.output if show_grad else None
        column = (group.layer, group.number)
    else:
        title = message("layer_summary", layer=first.layer, count=len(members), activation=first.activation or "—")
        rows = []
        if show_data:
            outputs = np.array([order[g.output].data for g in members], dtype=float)
            rows.append(f"a: {message('norm')} {format_number(float(np.linalg.norm(outputs)))}")
        grad_of = None
        column = (first.layer, 0)

    outputs_of = [g.output for g in members]

    def extra(grads: Sequence[Any]) -> list[str]:
        lines = []
        if len(members) > 1:
            lines.append(f"{message('grad_norm')} a {format_number(_norm([grads[o] for o in outputs_of]))}")
        if parameters:
            size = _norm([grads[p] for p in parameters])
            lines.append(message("parameters_summary", count=len(parameters), norm=format_number(size)))
        return lines

    return Box(
        key,
        "neuron" if level == "neuron" else "layer",
        title,
        rows,
        grad_of,
        extra if show_grad else None,
        nodes=nodes,
        measure_of=([grad_of] if grad_of is not None else outputs_of) if show_grad else [],
        column=column,
    )


def _norm(grads: Sequence[Any]) -> float:
    total = 0.0
    for g in grads:
        if g is None:
            continue
        total += float(np.sum(np.square(g)))
    return math.sqrt(total)


def box_measure(box: Box, grads: Sequence[Any]) -> float | None:
    """The size a box is coloured by, the same number it prints: |grad|, or the norm of several grads."""
    if not box.measure_of:
        return None
    if len(box.measure_of) == 1:
        return grad_magnitude(grads[box.measure_of[0]])
    return _norm([grads[i] for i in box.measure_of])
