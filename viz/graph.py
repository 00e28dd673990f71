"""Draw a computation graph with Graphviz: values, the ops between them, and their gradients.

What is drawn comes from a *scene* (``viz.scene``): every op of a ``Value`` or ``Tensor`` graph,
or one box per neuron or per layer. This module writes a scene as Graphviz DOT.

At op level each value is a box ``label | data | grad`` (a tensor shows its shape, dtype and a
short summary, or its numbers when it is small) and each op a small ellipse between the values
it reads and the value it makes. Arrows into an op can carry the local derivative in notation,
``∂n/∂w1 = 1.5``, and what backprop adds along them, ``w1.grad += 1.5 × 0.71 = 1.07``.

Nodes are numbered in traversal order (never by ``id()``), so the same graph always gives the
same DOT text. Labels are Graphviz HTML-like labels built from escaped text, so quotes, ``<``,
``>``, braces, ``|`` and newlines in a label are drawn as written; control characters are
drawn as ``\\xNN`` (Graphviz cannot draw them).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz

from autograd import Node, is_node, topological_order

from .dot_binary import run_layout
from .messages import language as _language
from .messages import message
from .scene import (
    DEFAULT_MAX_EDGES_PER_NODE,
    DEFAULT_MAX_NODES,
    Box,
    GraphTooLargeError,
    Scene,
    box_measure,
    build_scene,
    contribution_text,
    derivative_text,
    format_number,
    grad_magnitude,
    local_derivatives,
)

__all__ = ["GraphTooLargeError", "draw_graph", "render", "to_dot", "to_svg", "format_number", "grad_magnitude"]

FONT = "Helvetica"
FONT_SIZE = 10  # points; the viewer draws the same text in pixels of this size × 4/3
HIGHLIGHT_COLOUR = "#d62728"
ACTIVE_EDGE_COLOUR = "#d62728"
CHECK_OK_COLOUR = "#b7e4b0"
CHECK_FAIL_COLOUR = "#ff9c9c"
# |grad| from small (cool) to large (warm); all light enough for black text.
GRAD_PALETTE = ("#ece6f5", "#d6cbee", "#b9d3f0", "#bde5b2", "#fff09a", "#ffd280", "#ffb070", "#ff8a65")
ZERO_GRAD_COLOUR = "#ffffff"
PLAIN_FILL = "#ffffff"
OP_FILL = "#eeeeee"
GROUP_FILL = "#f6f6f6"

ClusterSpec = Mapping[Any, str] | Callable[[Any], str | None]


# ---------------------------------------------------------------------- what a frame shows
@dataclass
class NodeMark:
    """An extra line and a fill colour for one value (used by the gradient check)."""

    text: str
    fill: str


@dataclass
class Frame:
    """Everything that differs between two pictures of the same scene.

    ``grads`` (one per node, in traversal order) replaces the nodes' current grads, so a stepper
    can show the grads filled in so far. ``highlight`` and ``active`` are box and arrow keys;
    ``arrow_notes`` the lines written on an arrow; ``marks`` extra lines by traversal index.
    """

    grads: Sequence[Any] | None = None
    highlight: set[str] = field(default_factory=set)
    active: set[str] = field(default_factory=set)
    arrow_notes: dict[str, list[str]] = field(default_factory=dict)
    marks: dict[int, NodeMark] = field(default_factory=dict)
    title: str | None = None
    # One colour scale for all frames (else each picture scales to its own grads).
    grad_scale: GradScale | None = None


# ---------------------------------------------------------------------- text
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def drawable(text: str) -> str:
    """``text`` with tabs as spaces and other control characters as ``\\xNN`` (Graphviz refuses them)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text).replace("\t", " "))


def _html_lines(lines: Iterable[str]) -> str:
    """Escape each line and join them with line breaks (a label's own newlines become breaks too)."""
    pieces = []
    for line in lines:
        pieces.extend(html.escape(drawable(part), quote=True) for part in str(line).split("\n"))
    return '<BR ALIGN="LEFT"/>'.join(pieces) if len(pieces) > 1 else (pieces[0] if pieces else "")


def _html_label(lines: Sequence[str]) -> str:
    return f"<{_html_lines(lines)}>"


# ---------------------------------------------------------------------- gradient colour scale
@dataclass(frozen=True)
class GradScale:
    """Colours |grad| by its power of ten, from ``10**low`` to ``10**high``: one colour per bin of decades.

    Every colour a box can get is a swatch of the legend: the colours are not interpolated.
    """

    low: int
    high: int

    @classmethod
    def for_grads(cls, grads: Iterable[Any]) -> GradScale | None:
        sizes = [m for m in (grad_magnitude(g) for g in grads) if m and math.isfinite(m)]
        return cls.for_sizes(sizes)

    @classmethod
    def for_sizes(cls, sizes: Iterable[float]) -> GradScale | None:
        sizes = [s for s in sizes if s and math.isfinite(s)]
        if not sizes:
            return None
        low = math.floor(math.log10(min(sizes)))
        high = math.floor(math.log10(max(sizes))) + 1
        return cls(low, high)

    @property
    def decades_per_bin(self) -> int:
        return max(1, math.ceil((self.high - self.low) / len(GRAD_PALETTE)))

    def bins(self) -> list[tuple[int, int, str]]:
        """``(low power, high power, colour)`` of each bin, smallest first."""
        step = self.decades_per_bin
        edges = list(range(self.low, self.high, step))
        count = len(edges)
        colours = [GRAD_PALETTE[round(k * (len(GRAD_PALETTE) - 1) / max(count - 1, 1))] for k in range(count)]
        if count == 1:
            colours = [GRAD_PALETTE[len(GRAD_PALETTE) // 2]]
        return [(lo, min(lo + step, self.high), colour) for lo, colour in zip(edges, colours)]

    def colour_of_size(self, size: float | None) -> str:
        if size is None or size == 0.0:
            return ZERO_GRAD_COLOUR
        bins = self.bins()
        if not math.isfinite(size):
            return bins[-1][2]
        k = math.floor((math.log10(size) - self.low) / self.decades_per_bin)
        return bins[min(max(k, 0), len(bins) - 1)][2]

    def colour(self, grad: Any) -> str:
        return self.colour_of_size(grad_magnitude(grad))

    def legend_entries(self) -> list[tuple[str, str]]:
        """``(text, colour)`` of each swatch: 0, then each bin's range."""
        entries = [("0", ZERO_GRAD_COLOUR)]
        entries += [(f"1e{lo} – 1e{hi}", colour) for lo, hi, colour in self.bins()]
        return entries

    def legend_label(self) -> str:
        """An HTML-like table: a title, then one swatch per bin."""
        cells = [f'<TD BGCOLOR="{colour}">{html.escape(text)}</TD>' for text, colour in self.legend_entries()]
        title = html.escape(message("legend_title"))
        return (
            '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
            f'<TR><TD COLSPAN="{len(cells)}"><B>{title}</B></TD></TR>'
            f"<TR>{''.join(cells)}</TR></TABLE>>"
        )


def scale_for_scene(scene: Scene, grad_sets: Iterable[Sequence[Any]]) -> GradScale | None:
    """One scale over what the boxes of ``scene`` print in every set of grads given."""
    return GradScale.for_sizes(
        m for grads in grad_sets for box in scene.boxes if (m := box_measure(box, grads)) is not None
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
    level: str = "auto"
    model: Any = None
    expand: Sequence[Any] = ()
    max_nodes: int = DEFAULT_MAX_NODES
    max_edges_per_node: int = DEFAULT_MAX_EDGES_PER_NODE

    def __post_init__(self) -> None:
        if self.rankdir not in ("LR", "RL", "TB", "BT"):
            raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {self.rankdir!r}")

    def scene(self, root: Node, order: Sequence | None = None) -> Scene:
        scene = build_scene(
            root,
            self.level,
            model=self.model,
            expand=self.expand,
            show_data=self.show_data,
            show_grad=self.show_grad,
            order=order,
            max_nodes=self.max_nodes,
            max_edges_per_node=self.max_edges_per_node,
        )
        if self.clusters is not None:
            group_of = _cluster_function(self.clusters)
            for box in scene.boxes:
                if box.kind in ("value", "op") and box.group is None:
                    name = group_of(scene.order[box.nodes[0]])
                    box.group = None if name is None else str(name)
        return scene


class GraphPicture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders to SVG by default and displays itself in Jupyter quietly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)

    def _repr_image_svg_xml(self) -> str:
        # Through run_layout: found program, a time limit, and no warnings printed in the notebook.
        return run_layout(self.source, "svg").decode("utf-8")


def static_notes(scene: Scene, grads: Sequence[Any]) -> dict[str, list[str]]:
    """What ``show_local_grads`` writes on each arrow: ∂out/∂in in notation and, from the grads, ``grad +=``."""
    notes = {}
    for arrow in scene.arrows:
        lines = []
        for parent, position in arrow.edges:
            derivative = derivative_text(scene, parent, position)
            if derivative is None:
                continue
            lines.append(derivative)
            local = local_derivatives(scene.order[parent])[position]
            upstream = grads[parent]
            if not isinstance(local, str) and upstream is not None:
                lines.append(contribution_text(scene, parent, position, upstream, local * upstream))
        if lines:
            notes[arrow.key] = lines
    return notes


def scene_digraph(scene: Scene, options: DrawOptions, frame: Frame | None = None) -> GraphPicture:
    """The Digraph of ``scene`` as ``frame`` shows it (the current grads when no frame)."""
    frame = frame or Frame()
    order = scene.order
    grads = list(frame.grads) if frame.grads is not None else [node.grad for node in order]
    notes = frame.arrow_notes
    if options.show_local_grads and not notes:
        notes = static_notes(scene, grads) if scene.labelled_arrows else {}
    scale = None
    if options.color_by_grad:
        scale = frame.grad_scale or scale_for_scene(scene, [grads])

    dot = GraphPicture("computation_graph")
    dense = scene.level != "op"
    # Between two layers of neurons every pair is joined: room to tell the many arrows apart.
    ranksep = ("1.0" if not scene.labelled_arrows else "0.5") if dense else "0.35"
    dot.attr(rankdir=options.rankdir, fontname=FONT, nodesep="0.12", ranksep=ranksep)
    heading = [line for line in (frame.title, scene.note) if line]
    if heading:
        dot.attr(label=_html_label(heading), labelloc="t", labeljust="l", fontsize=str(FONT_SIZE + 2))
    dot.attr("node", fontname=FONT, fontsize=str(FONT_SIZE))
    dot.attr("edge", fontname=FONT, fontsize=str(FONT_SIZE - 1), arrowsize="0.7")

    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for box in scene.boxes:
        statement = _box_statement(box, scene, grads, frame, scale, stacked=dense)
        (groups.setdefault(box.group, []) if box.group else loose).append(statement)
    chains = column_chains(scene.boxes, options.rankdir)
    dot.body.extend(loose)
    dot.body.extend(f"\t{chain}\n" for chain in chains.get(None, []))
    for number, (name, statements) in enumerate(groups.items()):
        dot.body.append(f"\tsubgraph cluster_{number} {{\n")
        dot.body.append(f'\t\tlabel={_html_label([name])} style="rounded" color="#999999" fontsize="{FONT_SIZE}"\n')
        dot.body.extend("\t" + s for s in statements)
        dot.body.extend(f"\t\t{chain}\n" for chain in chains.get(name, []))
        dot.body.append("\t}\n")

    for arrow in scene.arrows:
        attributes = [f'id="{arrow.key}"']
        lines = notes.get(arrow.key)
        if lines:
            attributes.append(f"label={_html_label(lines)}")
        if arrow.key in frame.active:
            attributes.append(
                f'color="{ACTIVE_EDGE_COLOUR}" fontcolor="{ACTIVE_EDGE_COLOUR}" penwidth=2 class="active"'
            )
        elif len(scene.arrows) > 80:
            attributes.append('color="#00000055"')
        dot.body.append(f"\t{arrow.tail} -> {arrow.head} [{' '.join(attributes)}]\n")

    if scale is not None:
        dot.node("legend", label=scale.legend_label(), shape="plain", id="legend")
    return dot


def column_chains(boxes: Iterable[Box], rankdir: str = "LR") -> dict[str | None, list[str]]:
    """Invisible ``rank=same`` chains that keep each column in the model's order (w1, w2, ..., b;
    neuron 1, 2, ...), by the group (cluster) they belong in; ``None``: outside every cluster.

    Graphviz lays ``LR``/``RL`` pictures out top to bottom and turns them, and inside a cluster
    that turn reverses the order a chain asks for: there the chain is written backwards.
    """
    columns: dict[tuple[str | None, Any], list[tuple[Any, str]]] = {}
    for box in boxes:
        if box.column is not None:
            columns.setdefault((box.group, box.column[0]), []).append((box.column[1], box.key))
    chains: dict[str | None, list[str]] = {}
    for (group, _), column in columns.items():
        keys = [key for _, key in sorted(column)]
        if len(keys) < 2:
            continue
        if group is not None and rankdir in ("LR", "RL"):
            keys.reverse()
        chains.setdefault(group, []).append("{rank=same; " + " -> ".join(keys) + " [style=invis]}")
    return chains


def box_fill(box: Box, grads: Sequence[Any], scale: GradScale | None, marks: Mapping[int, NodeMark]) -> str:
    """The fill of a box: its mark's, its grad's colour, or plain."""
    for i in box.nodes:
        if box.kind == "value" and i in marks:
            return marks[i].fill
    if box.kind == "op":
        return OP_FILL
    if scale is not None:
        return scale.colour_of_size(box_measure(box, grads))
    return PLAIN_FILL if box.kind == "value" else GROUP_FILL


def box_lines(box: Box, scene: Scene, grads: Sequence[Any], marks: Mapping[int, NodeMark]) -> list[list[str]]:
    """The cells of a box, each a list of lines: title, data rows, grad rows, marks."""
    cells = [[row] for row in box.rows]
    grad_rows = box.grad_rows(grads, scene.order)
    if grad_rows:
        cells.append(grad_rows)
    for i in box.nodes:
        if box.kind == "value" and i in marks:
            cells.append([marks[i].text])
    return cells


def _box_statement(
    box: Box, scene: Scene, grads: Sequence[Any], frame: Frame, scale: GradScale | None, stacked: bool = False
) -> str:
    highlighted = box.key in frame.highlight
    css = ' class="highlight"' if highlighted else ""
    if box.kind == "op":
        style = f' color="{HIGHLIGHT_COLOUR}" penwidth=2.5' if highlighted else ""
        return (
            f'\t{box.key} [label={_html_label([box.title])} shape=ellipse style=filled fillcolor="{OP_FILL}" '
            f'margin="0.04,0.02" id="{box.key}"{css}{style}]\n'
        )
    fill = box_fill(box, grads, scale, frame.marks)
    cells = box_lines(box, scene, grads, frame.marks)
    attributes = f'BALIGN="LEFT" COLOR="black" BGCOLOR="{fill}"'
    border = f'BORDER="3" COLOR="{HIGHLIGHT_COLOUR}"' if highlighted else 'BORDER="0"'
    if box.kind == "value" and not stacked:  # label | data | grad side by side, as in micrograd
        row = [f"<B>{_html_lines([box.title])}</B>"] if box.title else []
        row += [_html_lines(cell) for cell in cells]
        row = row or ["&nbsp;"]
        body = "<TR>" + "".join(f"<TD {attributes}>{cell}</TD>" for cell in row) + "</TR>"
    else:  # a neuron, a layer (or a value beside them): its title, then its lines, in one column
        body = f"<TR><TD {attributes}><B>{_html_lines([box.title])}</B></TD></TR>" if box.title else ""
        lines = [line for cell in cells for line in cell]
        body += f'<TR><TD {attributes} ALIGN="LEFT">{_html_lines(lines)}<BR ALIGN="LEFT"/></TD></TR>'

    label = f'<<TABLE {border} CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">{body}</TABLE>>'
    return f'\t{box.key} [label={label} shape=plain id="{box.key}"{css}]\n'


# ---------------------------------------------------------------------- public API
def draw_graph(
    root: Node,
    *,
    level: str = "auto",
    model: Any = None,
    expand: Any = (),
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    show_local_grads: bool = False,
    color_by_grad: bool = False,
    highlight: Node | Sequence[Node] | None = None,
    clusters: ClusterSpec | None = None,
    title: str | None = None,
    language: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_edges_per_node: int = DEFAULT_MAX_EDGES_PER_NODE,
) -> graphviz.Digraph:
    """Draw the computation graph that produced ``root`` (a ``Value`` or a ``Tensor``).

    Args:
        level: "op" (every value and op), "neuron" (one box per neuron, weights as inputs or
            summarised), "layer" (one box per layer or module), or "auto" (default): the finest
            level that stays readable. A picture drawn at another level than asked says so.
        model: the network (``nn.MLP``, ``nn.Sequential``) whose neurons and layers to find;
            without it, neurons are found from the graph (fused ``w·x+b`` nodes).
        expand: neurons or layers (titles such as ``"layer 2, neuron 3"``, ``"layer 2"``, or the
            ``Neuron``/``Layer`` objects) drawn op by op inside the collapsed picture.
        rankdir: "LR" (inputs on the left, as in micrograd) or "TB", "RL", "BT".
        show_data, show_grad: write each value's data / grad in its box.
        show_local_grads: label each arrow with the local derivative (``∂n/∂w1 = 1.5``) and,
            once grads are filled in, what backprop adds along it (``w1.grad += 1.5 × 0.71 = 1.07``).
        color_by_grad: fill each box by the size of the grad it prints (|grad|, or a norm), one
            colour per range of powers of ten, all shown in the legend.
        highlight: a node (or several) to outline in red.
        clusters: a mapping from node to group name, or a function ``node -> name or None``;
            op-level nodes of a group are boxed together (see ``neuron_clusters``).
        title: a caption above the picture.
        language: "en" or "es" for this picture (default: ``viz.set_language``'s).
        max_nodes, max_edges_per_node: above these a level's layout would take minutes; the
            next level up is drawn, and ``GraphTooLargeError`` is raised only when none is left.

    Returns a ``graphviz.Digraph``: it displays itself in Jupyter, ``.source`` is the DOT text,
    and ``render(...)`` writes an SVG file.
    """
    _check_node(root)
    options = DrawOptions(
        rankdir=rankdir,
        show_data=show_data,
        show_grad=show_grad,
        show_local_grads=show_local_grads,
        color_by_grad=color_by_grad,
        clusters=clusters,
        level=level,
        model=model,
        expand=expand,
        max_nodes=max_nodes,
        max_edges_per_node=max_edges_per_node,
    )
    with _language(language):
        order = topological_order(root)
        scene = options.scene(root, order)
        wanted = _indices_of(order, highlight)
        frame = Frame(highlight={scene.box_of[i] for i in wanted}, title=title)
        return scene_digraph(scene, options, frame)


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
    missing = [name for name in ("children", "op", "local_rules", "data", "grad") if not hasattr(root, name)]
    if missing:
        raise TypeError(
            "draw_graph needs a Value or Tensor (an autograd.Node: children, op, local_rules, data and grad); "
            f"got {type(root).__name__}, which has no {', '.join(missing)}"
        )


def _indices_of(order: Sequence[Node], nodes: Node | Sequence[Node] | None) -> set[int]:
    if nodes is None:
        return set()
    if is_node(nodes):
        nodes = [nodes]
    wanted = {id(node) for node in nodes}
    return {i for i, node in enumerate(order) if id(node) in wanted}
