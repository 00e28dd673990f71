"""retrograd's automatic differentiation: a scalar ``Value`` and a vectorised ``Tensor``.

Both record the graph of the ops that made them and backpropagate with the chain rule, through
one backprop (``autograd.backprop``) that reads any node speaking the protocol ``autograd.Node``.
"""

from collections.abc import Iterator
from typing import Any

from . import functional
from .backprop import BackwardStep, LocalRule, Node, topological_order
from .engines import engine_of, is_node, is_tensor, is_value
from .functional import cross_entropy, linear, log_softmax, logsumexp, max, softmax  # noqa: A004 - mirrors torch.max
from .gradcheck import GradcheckError, InputCheck, compare_grads, gradcheck, numerical_grads
from .mode import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor, concatenate, stack, where
from .value import Value, weighted_sum

__all__ = [
    "AnomalyError",
    "BackwardStep",
    "GradcheckError",
    "InputCheck",
    "LocalRule",
    "Node",
    "Tensor",
    "Value",
    "backward_steps",
    "compare_grads",
    "concatenate",
    "cross_entropy",
    "detect_anomaly",
    "enable_grad",
    "engine_of",
    "gradcheck",
    "functional",
    "is_grad_enabled",
    "is_node",
    "is_tensor",
    "is_value",
    "linear",
    "log_softmax",
    "logsumexp",
    "max",
    "no_grad",
    "numerical_grads",
    "softmax",
    "stack",
    "topological_order",
    "weighted_sum",
    "where",
]


def backward_steps(root: Value | Tensor, grad: Any = None) -> Iterator[BackwardStep]:
    """Step through backprop from ``root`` (a Value or Tensor), one ``BackwardStep`` per node.

    ``grad`` seeds ∂root/∂root (see ``Value.backward_steps`` and ``Tensor.backward_steps``).
    """
    return root.backward_steps(grad)
