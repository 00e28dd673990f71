"""What both engines share: walking a computation graph and the record of one backprop step.

A node of either engine (``Value`` or ``Tensor``) offers the same small interface, which
``backward``, ``backward_steps`` and ``viz`` rely on:

- ``_children``: a tuple of the nodes it was computed from (order kept, repeats kept:
  ``a + a`` has two edges to ``a``);
- ``_op``: the name of the op that made it ("" for a leaf);
- ``label``, ``data`` and ``grad``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def topological_order(root: Any) -> list:
    """Return every node reachable from ``root``, each after all of its children.

    Iterative depth-first search, so a chain of a million nodes needs no recursion; the
    order is the one a recursive walk would give (first child finished first). Reversing the
    list gives the order in which backprop visits the nodes.

    Nodes are kept in a set, hashed by identity (neither engine defines ``__eq__``). The stack
    holds only nodes and a marker, so the walk allocates nothing per node and its time per
    node stays flat however large the graph is.
    """
    order = []
    visited = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _CHILDREN_DONE:
            # Everything pushed above this marker is finished: the node below it comes next.
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        children = node._children
        if not children:
            order.append(node)  # a leaf is finished as soon as it is reached
            continue
        stack.append(node)
        stack.append(_CHILDREN_DONE)
        # Pushed in reverse so the first child is finished first, as a recursive walk would.
        stack += children[::-1]
    return order


# Pushed above a node on the stack: popping it means the node's children are all in ``order``.
_CHILDREN_DONE = object()


@dataclass(frozen=True)
class BackwardStep:
    """One node's turn in backprop: the chain rule applied to each of its inputs.

    ``contributions[i] == local_grads[i] * upstream`` is what was added to
    ``children[i].grad``. For tensors a local derivative is a Jacobian, which is never
    built; there ``local_grads[i]`` is a short description of the rule and the
    contribution is the vector-Jacobian product actually added.
    """

    index: int
    node: Any
    upstream: Any
    children: tuple
    local_grads: tuple
    contributions: tuple

    def __repr__(self) -> str:
        name = self.node.label or self.node._op or "leaf"
        return f"BackwardStep({self.index}: {name}, upstream={self.upstream!r}, inputs={len(self.children)})"
