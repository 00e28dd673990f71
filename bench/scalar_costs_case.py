"""Case 9: where the scalar engine's time goes, node for node, against a CPython floor.

Three parts of one backward on a hand-built expression (a sum of ``tanh(a * b)`` terms over
100 shared leaves): the topological sort, the chain-rule loop, and the whole ``backward``.
The *floor* is the least CPython can do for the same loop: one slotted object per node
holding a float grad and tuples of children and local derivatives, and one
``child.grad += local * upstream`` per edge, nothing else. Then the cyclic garbage collector:
building the same graph with the collector on, paused, and with a larger first-generation
threshold (the graphs are acyclic, so the collector only traverses them and frees nothing).
"""

from __future__ import annotations

import gc
import math

from autograd import Value
from autograd.backprop import _backward_on_numbers, start_backward, topological_order

from .report import Row
from .timing import time_paired

LEAVES = 100
#: A larger first-generation threshold tried while building (CPython's default is 700 objects).
LARGE_THRESHOLD = 50_000


def _expression(terms: int) -> Value:
    xs = [Value(0.01 * i) for i in range(LEAVES)]
    out = xs[0]
    for i in range(terms):
        out = out + (xs[i % LEAVES] * xs[(i * 7) % LEAVES]).tanh()
    return out


class _FloorNode:
    __slots__ = ("grad", "_children", "_local_grads")

    def __init__(self, children: tuple, local_grads: tuple) -> None:
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads


def _floor_graph(terms: int) -> list:
    """The same expression as floor nodes, already in topological order (inputs first)."""
    xs = [_FloorNode((), ()) for _ in range(LEAVES)]
    order, out = list(xs), xs[0]
    for i in range(terms):
        a, b = xs[i % LEAVES], xs[(i * 7) % LEAVES]
        t = math.tanh(0.0001 * i)
        product = _FloorNode((a, b), (0.02 * i, 0.01 * i))
        squashed = _FloorNode((product,), (1.0 - t * t,))
        out = _FloorNode((out, squashed), (1.0, 1.0))
        order += [product, squashed, out]
    return order


def _floor_backward(order: list) -> None:
    order[-1].grad = 1.0
    for node in reversed(order):
        upstream = node.grad
        local_grads = node._local_grads
        for i, child in enumerate(node._children):
            child.grad += local_grads[i] * upstream


def _build_with_collector(terms: int, setting: str) -> None:
    default = gc.get_threshold()
    was_enabled = gc.isenabled()
    if setting == "paused":
        gc.disable()
    elif setting == "threshold":
        gc.set_threshold(LARGE_THRESHOLD, *default[1:])
    try:
        _expression(terms)
    finally:
        gc.set_threshold(*default)
        if was_enabled:
            gc.enable()


def scalar_costs(quick: bool = False) -> list[Row]:
    """Case 9: topological sort, chain-rule loop and backward in ns/node, the floor, and the collector."""
    terms = 2_000 if quick else 100_000
    repeats = 1 if quick else 7
    root = _expression(terms)
    nodes = len(topological_order(root))
    floor_order = _floor_graph(terms)
    assert len(floor_order) == nodes

    order = start_backward(root, 1.0)  # sorted and seeded once: the loop alone is timed

    timings = time_paired(
        {
            "sort": lambda: topological_order(root),
            "loop": lambda: _backward_on_numbers(order),
            "backward": root.backward,
            "floor": lambda: _floor_backward(floor_order),
        },
        repeats,
    )
    per_node = {name: 1e9 * timings.median(name) / nodes for name in ("sort", "loop", "backward", "floor")}
    rows = [
        Row(f"9 scalar backward, {nodes:,} nodes: topological sort", "ns/node", per_node["sort"],
            check=f"{timings.ratio('sort', 'backward'):.2f} of backward (paired)"),
        Row(f"9 scalar backward, {nodes:,} nodes: chain-rule loop", "ns/node", per_node["loop"],
            floor=per_node["floor"], check="floor: one += per edge on slotted nodes, nothing else",
            target="≤ 1.5× the floor", met=timings.ratio("loop", "floor") <= 1.5),
        Row(f"9 scalar backward, {nodes:,} nodes: whole backward", "ns/node", per_node["backward"],
            floor=per_node["floor"], check="sort, reset of intermediate grads, seed, loop",
            target="≤ 3× the floor", met=timings.ratio("backward", "floor") <= 3),
    ]
    build = time_paired(
        {setting: (lambda s=setting: _build_with_collector(terms, s)) for setting in ("on", "paused", "threshold")},
        max(1, repeats // 2),
    )
    settings = (("paused", "paused"), ("threshold", f"at a first-generation threshold of {LARGE_THRESHOLD:,}"))
    for setting, words in settings:
        rows.append(
            Row(f"9 building that graph, the garbage collector {words}: time / collector on", "×",
                build.ratio(setting, "on"), check=f"collector on: {1e9 * build.median('on') / nodes:.0f} ns/node")
        )
    return rows
