"""Group a model's computation graph by neuron or by layer, to draw each group in its own box.

``draw_graph(loss, clusters=neuron_clusters(model, loss, outputs=out))`` boxes every neuron.

A node belongs to the group (neuron or layer) whose parameters it was computed from, taking
the *latest* layer when it depends on several: a layer-2 weighted sum depends on layer-1
parameters too (through its inputs), but it is layer 2's. A node that depends on two groups
of the same layer equally (a loss adding up two outputs) belongs to none. Nothing tells a
network's last operation apart from the loss computed after it, so pass ``outputs`` (the
model's output nodes) to keep the loss out of the output neuron's box.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import is_node, topological_order

from .messages import language as _language
from .messages import message

Group = tuple[str, Sequence[Any]]  # a name and the parameters of that group


def _layers_of(model: Any) -> list:
    """The model's layers in order: ``model.layers`` (scalar MLP, Sequential), else the model itself."""
    layers = getattr(model, "layers", None)
    if layers is None:
        if not hasattr(model, "parameters"):
            kind = type(model).__name__
            raise TypeError(f"expected a model with .parameters() (an MLP, a Sequential, ...), got {kind}")
        return [model]
    return list(layers)


def _layer_name(position: int, layer: Any) -> str:
    return message("layer_name", layer=position)


def layer_groups(model: Any) -> list[list[Group]]:
    """One group per layer that has parameters, in order (layers without parameters are skipped)."""
    ranked = []
    position = 0
    for layer in _layers_of(model):
        parameters = list(layer.parameters()) if hasattr(layer, "parameters") else []
        if parameters:
            position += 1
            ranked.append([(_layer_name(position, layer), parameters)])
    return ranked


def neuron_groups(model: Any) -> list[list[Group]]:
    """One group per neuron of each layer (layers of a scalar MLP have ``.neurons``), else per layer."""
    ranked = []
    position = 0
    for layer in _layers_of(model):
        parameters = list(layer.parameters()) if hasattr(layer, "parameters") else []
        if not parameters:
            continue
        position += 1
        neurons = getattr(layer, "neurons", None)
        if neurons is None:
            ranked.append([(_layer_name(position, layer), parameters)])
        else:
            ranked.append(
                [(message("neuron_title", layer=position, neuron=j + 1), n.parameters()) for j, n in enumerate(neurons)]
            )
    return ranked


def assign_groups(root: Any, ranked_groups: Sequence[Sequence[Group]], outputs: Any = None) -> dict[Any, str]:
    """Map each node of ``root``'s graph to its group's name (nodes in no group are left out).

    ``ranked_groups[r]`` lists the groups of layer ``r`` as ``(name, parameters)`` pairs. When
    ``outputs`` (a node or a list of nodes) is given, only nodes that those outputs depend on
    are grouped.
    """
    owner: dict[int, tuple[int, int]] = {}  # id(parameter) -> (rank, group number)
    names = []
    for rank, groups in enumerate(ranked_groups):
        for name, parameters in groups:
            for parameter in parameters:
                owner[id(parameter)] = (rank, len(names))
            names.append(name)

    inside = None
    if outputs is not None:
        outputs = [outputs] if is_node(outputs) else list(outputs)
        inside = {id(node) for output in outputs for node in topological_order(output)}

    # For each node: the latest rank it depends on and the groups of that rank (children first).
    latest: dict[int, tuple[int, frozenset]] = {}
    assignment = {}
    for node in topological_order(root):
        if id(node) in owner:
            rank, group = owner[id(node)]
            latest[id(node)] = (rank, frozenset([group]))
        else:
            rank, groups = -1, frozenset()
            for child in node.children:
                child_rank, child_groups = latest[id(child)]
                if child_rank > rank:
                    rank, groups = child_rank, child_groups
                elif child_rank == rank:
                    groups = groups | child_groups
            latest[id(node)] = (rank, groups)
        rank, groups = latest[id(node)]
        if len(groups) == 1 and (inside is None or id(node) in inside):
            assignment[node] = names[next(iter(groups))]
    return assignment


def neuron_clusters(model: Any, root: Any, outputs: Any = None, language: str | None = None) -> dict[Any, str]:
    """Group ``root``'s graph by neuron (scalar MLP) or by layer (models without neurons).

    Pass the result as ``draw_graph(root, clusters=...)``. ``outputs``: the model's output
    node(s), so that a loss computed after them stays outside the boxes. The group titles are in
    ``language`` ("en" or "es"; default: ``viz.set_language``'s).
    """
    with _language(language):
        return assign_groups(root, neuron_groups(model), outputs)


def layer_clusters(model: Any, root: Any, outputs: Any = None, language: str | None = None) -> dict[Any, str]:
    """Group ``root``'s graph by layer; see ``neuron_clusters``."""
    with _language(language):
        return assign_groups(root, layer_groups(model), outputs)
