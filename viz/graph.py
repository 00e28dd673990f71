"""Draw a computation graph with Graphviz: values, the ops between them, and their gradients.

Both engines are drawn through the same small interface (see ``autograd.graph``): a node has
``_children`` (a tuple: ``a + a`` draws two edges), ``_op``, ``label``, ``data`` and ``grad``.

Each value becomes a box ``label | data | grad`` (a tensor shows its shape, dtype and a short
summary, or its numbers when it is small); each op becomes a small ellipse between the
values it reads and the value it makes. Edges into an op can carry the *local derivative*
∂out/∂in and the *contribution* ``upstream × local`` that backprop adds to the input's grad.

Nodes are numbered in traversal order (never by ``id()``), so the same graph always gives
the same DOT text. Labels are Graphviz HTML-like labels built from ``html.escape``d text, so
quotes, ``<``, ``>``, braces, ``|`` and newlines in a label are drawn as written.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from autograd.graph import topological_order

from .dot_binary import run_layout

# Graphs larger than this make the layout slow (tens of seconds) and the picture unreadable.
DEFAULT_MAX_NODES = 3000
# dot's layout time explodes on a node with many edges that feed a long chain: measured with
# graphviz-pure, x used by n products summed one by one takes 0.4 s at n = 50, 4 s at 100,
# 12 s at 150 and over a minute at 300 (1,000 edges ran for more than 15 minutes).
DEFAULT_MAX_EDGES_PER_NODE = 100
# Tensors with at most this many elements are drawn with their numbers.
SMALL_TENSOR_SIZE = 6

FONT = "Helvetica"
HIGHLIGHT_COLOUR = "#d62728"
ACTIVE_EDGE_COLOUR = "#d62728"
CHECK_OK_COLOUR = "#b7e4b0"
CHECK_FAIL_COLOUR = "#ff9c9c"
# |grad| from small (cool) to large (warm); all light enough for black text.
GRAD_PALETTE = ("#e4dcf2", "#b9d3f0", "#bde5b2", "#fff09a", "#ffbe73", "#ff8a65")
ZERO_GRAD_COLOUR = "#ffffff"
PLAIN_FILL = "#ffffff"
INVISIBLE = "#ffffff00"


class GraphTooLargeError(ValueError):
    """The graph is too large to lay out in reasonable time; the message says how to draw it."""


Node = Any
ClusterSpec = Mapping[Any, str] | Callable[[Any], str | None]


# ---------------------------------------------------------------------- what a frame shows
@dataclass
class EdgeNote:
    """Text for the edge from input ``position`` of a node into its op.

    ``local`` is ∂out/∂in (a number, or for tensors a description of the rule) and
    ``contribution`` is ``upstream × local``, the amount added to the input's grad.
    """

    local: Any = None
    contribution: Any = None


@dataclass
class NodeMark:
    """An extra line and a fill colour for one value node (used by the gradient check)."""

    text: str
    fill: str


@dataclass
class Frame:
    """Everything that differs between two pictures of the same graph.

    ``grads`` (one per node, in traversal order) replaces the nodes' current grads, so a
    backprop stepper can show the grads filled in so far. Indices are traversal positions.
    """

    grads: Sequence[Any] | None = None
    highlight: set[int] = field(default_factory=set)
    edge_notes: dict[tuple[int, int], EdgeNote] = field(default_factory=dict)
    active_edges: set[tuple[int, int]] = field(default_factory=set)
    marks: dict[int, NodeMark] = field(default_factory=dict)
    title: str | None = None
    # For a sequence of frames whose layout must not move: contributions not yet computed are
    # drawn invisibly, grad cells have fixed sizes, and every box keeps room for the highlight.
    pending_contributions: set[tuple[int, int]] = field(default_factory=set)
    grad_cell_sizes: dict[int, tuple[float, float]] = field(default_factory=dict)
    stable_layout: bool = False
    # One colour scale for all frames (else each picture scales to its own grads).
    grad_scale: GradScale | None = None


# ---------------------------------------------------------------------- formatting
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


def _is_tensor(node: Node) -> bool:
    return isinstance(getattr(node, "data", None), np.ndarray)


def _array_text(values: np.ndarray) -> str:
    """Small arrays as their numbers (one line per row), e.g. ``[[1.0, 2.0], [3.0, 4.0]]``."""
    if np.ndim(values) == 0:
        return format_number(float(values))
    return np.array2string(np.asarray(values), precision=4, separator=", ", suppress_small=True)


def _data_lines(node: Node) -> list[str]:
    if not _is_tensor(node):
        return [f"data {format_number(node.data)}"]
    data = node.data
    lines = [f"shape {tuple(data.shape)} {data.dtype}"]
    if data.size <= SMALL_TENSOR_SIZE:
        lines.append(_array_text(data))
    elif data.size:
        lines.append(f"min {format_number(data.min())}, max {format_number(data.max())}")
    return lines


def _grad_lines(node: Node, grad: Any) -> list[str]:
    if grad is None:
        return ["grad None"]
    if not _is_tensor(node):
        return [f"grad {format_number(grad)}"]
    grad = np.asarray(grad)
    if grad.size <= SMALL_TENSOR_SIZE:
        return ["grad", _array_text(grad)]
    return [f"grad norm {format_number(float(np.linalg.norm(grad)))}"]


def _note_text(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        if value.size <= SMALL_TENSOR_SIZE:
            return _array_text(value)
        return f"shape {tuple(value.shape)}, norm {format_number(float(np.linalg.norm(value)))}"
    return format_number(value)


def _html_lines(lines: Iterable[str]) -> str:
    """Escape each line and join them with line breaks (a label's own newlines become breaks too)."""
    pieces = []
    for line in lines:
        # Graphviz drops tabs: write them as spaces.
        pieces.extend(html.escape(part.replace("\t", " "), quote=True) for part in str(line).split("\n"))
    return '<BR ALIGN="LEFT"/>'.join(pieces) if len(pieces) > 1 else (pieces[0] if pieces else "")


def grad_magnitude(grad: Any) -> float | None:
    """|grad| for a number, the root mean square for an array; None when there is no grad."""
    if grad is None:
        return None
    if isinstance(grad, np.ndarray):
        return float(np.sqrt(np.mean(np.square(grad)))) if grad.size else 0.0
    return abs(float(grad))


# ---------------------------------------------------------------------- gradient colour scale
@dataclass(frozen=True)
class GradScale:
    """Maps |grad| to a colour on a log scale from ``10**low`` to ``10**high``."""

    low: int
    high: int

    @classmethod
    def for_grads(cls, grads: Iterable[Any]) -> GradScale | None:
        sizes = [m for m in (grad_magnitude(g) for g in grads) if m and math.isfinite(m)]
        if not sizes:
            return None
        low = math.floor(math.log10(min(sizes)))
        high = math.ceil(math.log10(max(sizes)))
        return cls(low, high if high > low else low + 1)

    def colour(self, grad: Any) -> str:
        size = grad_magnitude(grad)
        if size is None or size == 0.0:
            return ZERO_GRAD_COLOUR
        if not math.isfinite(size):
            return GRAD_PALETTE[-1]
        t = (math.log10(size) - self.low) / (self.high - self.low)
        return _interpolate(GRAD_PALETTE, min(max(t, 0.0), 1.0))

    def legend_label(self) -> str:
        """An HTML-like table: a title, then one swatch per power of ten."""
        powers = range(self.low, self.high + 1)
        step = max(1, math.ceil(len(powers) / 7))  # at most ~7 swatches
        shown = list(powers)[::step]
        if shown[-1] != self.high:
            shown.append(self.high)
        cells = [f'<TD BGCOLOR="{ZERO_GRAD_COLOUR}">0</TD>']
        cells += [f'<TD BGCOLOR="{self.colour(10.0**p)}">1e{p}</TD>' for p in shown]
        return (
            '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
            f'<TR><TD COLSPAN="{len(cells)}"><B>|grad| (log scale)</B></TD></TR>'
            f"<TR>{''.join(cells)}</TR></TABLE>>"
        )


def _interpolate(palette: Sequence[str], t: float) -> str:
    position = t * (len(palette) - 1)
    i = min(int(position), len(palette) - 2)
    frac = position - i
    a = [int(palette[i][k : k + 2], 16) for k in (1, 3, 5)]
    b = [int(palette[i + 1][k : k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b))


# ---------------------------------------------------------------------- size checks
def check_graph_size(order: Sequence[Node], max_nodes: int, max_edges_per_node: int) -> None:
    """Raise ``GraphTooLargeError`` before a layout that would take minutes or hours."""
    drawn = len(order) + sum(1 for node in order if node._children)
    if drawn > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {drawn} nodes to draw ({len(order)} values and {drawn - len(order)} ops), "
            f"more than max_nodes={max_nodes}. Draw a smaller part of it (e.g. one neuron's output), "
            f"group it with clusters=..., or pass max_nodes={drawn} to draw it anyway (the layout may be slow)."
        )
    uses: dict[int, int] = {}
    for node in order:
        for child in node._children:
            uses[id(child)] = uses.get(id(child), 0) + 1
    if uses:
        busiest_id, count = max(uses.items(), key=lambda item: item[1])
        if count > max_edges_per_node:
            busiest = next(node for node in order if id(node) == busiest_id)
            name = busiest.label or busiest._op or "a leaf"
            raise GraphTooLargeError(
                f"node {name!r} is an input to {count} ops, more than max_edges_per_node={max_edges_per_node}: "
                "laying out a node with that many edges can take many minutes. Draw a smaller part of the "
                f"graph, or pass max_edges_per_node={count} to draw it anyway."
            )


# ---------------------------------------------------------------------- clusters
def _cluster_function(clusters: ClusterSpec | None) -> Callable[[Node], str | None]:
    if clusters is None:
        return lambda node: None
    if callable(clusters):
        return clusters
    if isinstance(clusters, Mapping):
        by_id = {id(node): name for node, name in clusters.items()}
        return lambda node: by_id.get(id(node))
    raise TypeError(f"clusters must be a mapping from node to group name or a function, got {type(clusters).__name__}")


# ---------------------------------------------------------------------- building the Digraph
@dataclass
class DrawOptions:
    """How a graph is drawn; see ``draw_graph`` for each option."""

    rankdir: str = "LR"
    show_data: bool = True
    show_grad: bool = True
    show_local_grads: bool = False
    color_by_grad: bool = False
    clusters: ClusterSpec | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    max_edges_per_node: int = DEFAULT_MAX_EDGES_PER_NODE

    def __post_init__(self) -> None:
        if self.rankdir not in ("LR", "RL", "TB", "BT"):
            raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {self.rankdir!r}")


class GraphPicture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that displays itself in Jupyter without the layout program's warnings."""

    def _repr_image_svg_xml(self) -> str:
        # Through run_layout: found program, a time limit, and no warnings printed in the notebook.
        return run_layout(self.source, "svg").decode("utf-8")


def static_edge_notes(order: Sequence[Node], grads: Sequence[Any]) -> dict[tuple[int, int], EdgeNote]:
    """Each node's local rules (``autograd.Node.local_rules``) and, from the grads, the contributions.

    A rule with a number (a Value's local derivative) shows the number; one without (a Tensor's,
    whose Jacobian is never built) shows its words.
    """
    notes = {}
    for i, node in enumerate(order):
        for position, rule in enumerate(node.local_rules):
            local, contribution = rule.local_grad, None
            if local is None:
                local = rule.words
            elif grads[i] is not None:
                contribution = local * grads[i]
            notes[(i, position)] = EdgeNote(local, contribution)
    return notes


def build_digraph(
    root: Node, options: DrawOptions, frame: Frame | None = None, order: Sequence | None = None
) -> GraphPicture:
    """The Digraph of ``root``'s graph as ``frame`` shows it (the current grads when no frame)."""
    if order is None:
        order = topological_order(root)
    check_graph_size(order, options.max_nodes, options.max_edges_per_node)
    frame = frame or Frame()
    index = {id(node): i for i, node in enumerate(order)}
    grads = list(frame.grads) if frame.grads is not None else [node.grad for node in order]
    edge_notes = frame.edge_notes
    if options.show_local_grads and not edge_notes:
        edge_notes = static_edge_notes(order, grads)
    scale = (frame.grad_scale or GradScale.for_grads(grads)) if options.color_by_grad else None
    group_of = _cluster_function(options.clusters)

    dot = GraphPicture("computation_graph")
    dot.attr(rankdir=options.rankdir, fontname=FONT)
    if frame.title:
        dot.attr(label=_html_label([frame.title]), labelloc="t", fontsize="14")
    dot.attr("node", fontname=FONT, fontsize="11")
    dot.attr("edge", fontname=FONT, fontsize="10", arrowsize="0.7")

    # Value and op nodes, each inside its cluster (if any); clusters numbered by first appearance.
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for i, node in enumerate(order):
        statements = [_value_node_statement(i, node, grads[i], options, frame, scale)]
        if node._children:
            statements.append(_op_node_statement(i, node, frame))
        group = group_of(node)
        if group is None:
            loose.extend(statements)
        else:
            groups.setdefault(str(group), []).extend(statements)
    dot.body.extend(loose)
    for number, (name, statements) in enumerate(groups.items()):
        dot.body.append(f"\tsubgraph cluster_{number} {{\n")
        dot.body.append(f'\t\tlabel={_html_label([name])} style="rounded" color="#999999" fontsize="10"\n')
        dot.body.extend("\t" + s for s in statements)
        dot.body.append("\t}\n")

    # Edges: each input into its op (once per use), then the op into its result.
    for i, node in enumerate(order):
        if not node._children:
            continue
        for position, child in enumerate(node._children):
            dot.body.append(_edge_statement(index[id(child)], i, position, edge_notes, frame))
        dot.edge(f"op{i}", f"v{i}", id=f"op{i}_v{i}")

    if scale is not None:
        dot.node("legend", label=scale.legend_label(), shape="plaintext", id="legend")
    return dot


def _html_label(lines: Sequence[str]) -> str:
    return f"<{_html_lines(lines)}>"


def _value_node_statement(
    i: int, node: Node, grad: Any, options: DrawOptions, frame: Frame, scale: GradScale | None
) -> str:
    cells = []
    label = getattr(node, "label", "") or ""
    if label:
        cells.append(f"<B>{_html_lines([label])}</B>")
    if options.show_data:
        cells.append(_html_lines(_data_lines(node)))
    grad_cell = None
    if options.show_grad:
        grad_cell = len(cells)
        cells.append(_html_lines(_grad_lines(node, grad)))
    mark = frame.marks.get(i)
    if mark is not None:
        cells.append(_html_lines([mark.text]))
    if not cells:
        cells.append("&nbsp;")
    fill = PLAIN_FILL
    if scale is not None:
        fill = scale.colour(grad)
    if mark is not None:
        fill = mark.fill
    highlighted = i in frame.highlight
    if highlighted:
        border = f'BORDER="3" COLOR="{HIGHLIGHT_COLOUR}"'
    else:
        border = f'BORDER="3" COLOR="{INVISIBLE}"' if frame.stable_layout else 'BORDER="0"'
    # Cells keep black borders whatever colour the table's (highlight) border has.
    cell_attributes = ['BALIGN="LEFT" COLOR="black"'] * len(cells)
    if grad_cell is not None and i in frame.grad_cell_sizes:
        width, height = frame.grad_cell_sizes[i]
        cell_attributes[grad_cell] += f' FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{height:.0f}"'
    # The fill goes on the cells, not the table, so an invisible highlight border stays white.
    row = "".join(f'<TD {attributes} BGCOLOR="{fill}">{cell}</TD>' for attributes, cell in zip(cell_attributes, cells))
    label_html = f'<<TABLE {border} CELLBORDER="1" CELLSPACING="0" CELLPADDING="4"><TR>{row}</TR></TABLE>>'
    css = ' class="highlight"' if highlighted else ""
    return f'\tv{i} [label={label_html} shape=plaintext id="v{i}"{css}]\n'


def _op_node_statement(i: int, node: Node, frame: Frame) -> str:
    op = node._op or "?"
    highlighted = i in frame.highlight
    style = f' color="{HIGHLIGHT_COLOUR}" penwidth=2.5' if highlighted else ""
    return f'\top{i} [label=<{_html_lines([op])}> shape=ellipse style=filled fillcolor="#eeeeee" id="op{i}"{style}]\n'


def _edge_statement(child_i: int, parent_i: int, position: int, notes: Mapping, frame: Frame) -> str:
    attributes = [f'id="e{parent_i}_{position}"']
    note = notes.get((parent_i, position))
    if note is not None:
        lines = []
        if isinstance(note.local, str):
            lines.append(note.local)  # a tensor rule, already in words
        elif note.local is not None:
            lines.append(f"∂out/∂in {_note_text(note.local)}")
        text = _html_lines(lines)
        if note.contribution is not None:
            contribution = _html_lines([f"grad += {_note_text(note.contribution)}"])
            if (parent_i, position) in frame.pending_contributions:
                # Not computed yet: drawn invisibly so that the layout stays where it will be.
                contribution = f'<FONT COLOR="{INVISIBLE}">{contribution}</FONT>'
            text = f"{text}<BR/>{contribution}" if text else contribution
        if text:
            attributes.append(f"label=<{text}>")
    if (parent_i, position) in frame.active_edges:
        attributes.append(f'color="{ACTIVE_EDGE_COLOUR}" fontcolor="{ACTIVE_EDGE_COLOUR}" penwidth=2 class="active"')
    return f"\tv{child_i} -> op{parent_i} [{' '.join(attributes)}]\n"


# ---------------------------------------------------------------------- public API
def draw_graph(
    root: Node,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    show_local_grads: bool = False,
    color_by_grad: bool = False,
    highlight: Node | Sequence[Node] | None = None,
    clusters: ClusterSpec | None = None,
    title: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_edges_per_node: int = DEFAULT_MAX_EDGES_PER_NODE,
) -> graphviz.Digraph:
    """Draw the computation graph that produced ``root`` (a ``Value`` or a ``Tensor``).

    Args:
        rankdir: "LR" (inputs on the left, as in micrograd) or "TB", "RL", "BT".
        show_data, show_grad: write each value's data / grad in its box.
        show_local_grads: label each edge into an op with ∂out/∂in and, once grads are
            filled in, the contribution ``grad +=`` that backprop sends along it.
        color_by_grad: fill each value by |grad| on a log scale (a legend is drawn), so
            vanishing or exploding gradients stand out.
        highlight: a node (or several) to outline in red.
        clusters: a mapping from node to group name, or a function ``node -> name or None``;
            nodes of a group are boxed together (see ``neuron_clusters``).
        title: a caption above the picture.
        max_nodes, max_edges_per_node: raise ``GraphTooLargeError`` rather than start a
            layout that would take minutes.

    Returns a ``graphviz.Digraph``: it displays itself in Jupyter, ``.source`` is the DOT text,
    and ``render(...)`` writes files.
    """
    options = DrawOptions(
        rankdir=rankdir,
        show_data=show_data,
        show_grad=show_grad,
        show_local_grads=show_local_grads,
        color_by_grad=color_by_grad,
        clusters=clusters,
        max_nodes=max_nodes,
        max_edges_per_node=max_edges_per_node,
    )
    _check_node(root)
    order = topological_order(root)
    frame = Frame(highlight=_indices_of(order, highlight), title=title)
    return build_digraph(root, options, frame, order)


def to_dot(root: Node, **draw_options: Any) -> str:
    """The DOT text of ``draw_graph(root, **draw_options)``; the same graph always gives the same text."""
    return draw_graph(root, **draw_options).source


RENDER_FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".json": "json"}


def render(graph: Node | graphviz.Digraph, path: str | Path, timeout: float | None = 60.0, **draw_options: Any) -> Path:
    """Write a picture of ``graph`` (a Value, a Tensor or a Digraph) to ``path``.

    The format comes from the suffix: ``.svg``, ``.png``, or ``.dot``/``.gv`` for the DOT
    text itself. ``draw_options`` go to ``draw_graph``. The layout is stopped after
    ``timeout`` seconds with a clear error. Returns the path written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in RENDER_FORMATS:
        raise ValueError(f"cannot tell the format of {str(path)!r}: use one of {', '.join(RENDER_FORMATS)}")
    if isinstance(graph, graphviz.Digraph):
        if draw_options:
            raise TypeError(f"drawing options {sorted(draw_options)} need a node, not an already drawn Digraph")
        dot = graph
    else:
        dot = draw_graph(graph, **draw_options)
    if suffix in (".dot", ".gv"):
        path.write_text(dot.source, encoding="utf-8")
    else:
        path.write_bytes(run_layout(dot.source, RENDER_FORMATS[suffix], timeout=timeout))
    return path


def to_svg(graph: Node | graphviz.Digraph, timeout: float | None = 60.0, **draw_options: Any) -> str:
    """The SVG text of a picture of ``graph`` (a node, or an already drawn Digraph)."""
    dot = graph if isinstance(graph, graphviz.Digraph) else draw_graph(graph, **draw_options)
    return run_layout(dot.source, "svg", timeout=timeout).decode("utf-8")


def _check_node(root: Any) -> None:
    missing = [name for name in ("_children", "_op", "data", "grad") if not hasattr(root, name)]
    if missing:
        raise TypeError(
            f"draw_graph needs a Value or Tensor (a node with _children, _op, data and grad); "
            f"got {type(root).__name__}, which has no {', '.join(missing)}"
        )


def _indices_of(order: Sequence[Node], nodes: Node | Sequence[Node] | None) -> set[int]:
    if nodes is None:
        return set()
    if hasattr(nodes, "_children"):
        nodes = [nodes]
    wanted = {id(node) for node in nodes}
    return {i for i, node in enumerate(order) if id(node) in wanted}
