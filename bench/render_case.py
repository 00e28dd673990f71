"""Case 7: drawing the graph of the 2-16-16-1 MLP for one input, as DOT text and as an SVG picture.

The default picture: too many ops to read one by one (469 boxes), so it is drawn one box per
neuron (``level="auto"``), which must render in under a second.
"""

from __future__ import annotations

import time

from autograd import Value

from .report import Row
from .timing import time_paired


def render(quick: bool = False) -> list[Row]:
    """Time ``viz.draw_graph`` (the DOT text) and ``viz.to_svg`` (DOT laid out as SVG); check what was drawn."""
    import viz
    from nn.scalar import MLP
    from viz.scene import build_scene

    sizes = [4, 1] if quick else [16, 16, 1]
    model = MLP(2, sizes, activation="relu", seed=0)
    output = model([Value(0.5, label="x1"), Value(-0.3, label="x2")])
    output.backward()
    scene = build_scene(output)
    # At op level: one box per value and one per op; an edge into each op from each input, one out of it.
    ops = [node for node in scene.order if node.children]
    op_boxes = len(scene.order) + len(ops)
    op_arrows = sum(len(node.children) for node in ops) + len(ops)
    boxes, arrows = len(scene.boxes), len(scene.arrows)
    shape = "-".join(str(n) for n in [2, *sizes])

    pictures: dict = {}
    timings = time_paired(
        {
            "dot": lambda: pictures.__setitem__("dot", viz.draw_graph(output).source),
            "svg": lambda: pictures.__setitem__("svg", viz.to_svg(output)),
        },
        repeats=1 if quick else 5,
        warmup=0 if quick else 1,
        clock=time.perf_counter,  # the layout runs in another process: CPU time would miss it
    )
    dot_ms, svg_ms = 1e3 * timings.median("dot"), 1e3 * timings.median("svg")
    dot, svg = pictures["dot"], pictures["svg"]

    drawn_boxes, drawn_arrows = svg.count('class="node"'), svg.count('class="edge"')
    described = f"{op_boxes} boxes, {op_arrows} arrows at op level"
    return [
        Row(
            f"7 render DOT text: MLP {shape} graph, one input ({described})",
            "ms",
            dot_ms,
            check="DOT text is a digraph",
            passed=dot.lstrip().startswith("digraph"),
        ),
        Row(
            f"7 render SVG (layout included, wall clock): MLP {shape} graph, one input, at {scene.level} level",
            "ms",
            svg_ms,
            target="< 1,000 ms",
            met=svg_ms < 1000,
            check=f"SVG has the scene's {drawn_boxes} boxes, {drawn_arrows} arrows",
            passed="<svg" in svg and (drawn_boxes, drawn_arrows) == (boxes, arrows),
        ),
    ]
