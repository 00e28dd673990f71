"""retrograd's automatic differentiation: a scalar ``Value`` and a vectorised ``Tensor``.

Both record the graph of the ops that made them and backpropagate with the chain rule.
"""

from collections.abc import Iterator
from typing import Any

from . import functional
from .functional import cross_entropy, linear, log_softmax, logsumexp, max, softmax  # noqa: A004 - mirrors torch.max
from .gradcheck import GradcheckError, InputCheck, compare_grads, gradcheck, numerical_grads
from .graph import BackwardStep, topological_order
from .mode import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor, concatenate, stack, where
from .value import Value

__all__ = [
    "AnomalyError",
    "BackwardStep",
    "GradcheckError",
    "InputCheck",
    "Tensor",
    "Value",
    "backward_steps",
    "compare_grads",
    "concatenate",
    "cross_entropy",
    "detect_anomaly",
    "enable_grad",
    "gradcheck",
    "functional",
    "is_grad_enabled",
    "linear",
    "log_softmax",
    "logsumexp",
    "max",
    "no_grad",
    "numerical_grads",
    "softmax",
    "stack",
    "topological_order",
    "where",
]


def backward_steps(root: Value | Tensor, *args: Any, **kwargs: Any) -> Iterator[BackwardStep]:
    """Step through backprop from ``root`` (a Value or Tensor): see ``Value.backward_steps``."""
    return root.backward_steps(*args, **kwargs)
