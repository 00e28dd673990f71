"""retrograd's automatic differentiation: a scalar ``Value`` and a vectorised ``Tensor``.

Both record the graph of the ops that made them and backpropagate with the chain rule.
"""

from .gradcheck import GradcheckError, gradcheck, numerical_grads
from .graph import BackwardStep, topological_order
from .mode import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .value import Value, log_softmax, logsumexp, max, softmax  # noqa: A004 - mirrors torch.max

__all__ = [
    "AnomalyError",
    "BackwardStep",
    "GradcheckError",
    "Value",
    "backward_steps",
    "detect_anomaly",
    "enable_grad",
    "gradcheck",
    "is_grad_enabled",
    "log_softmax",
    "logsumexp",
    "max",
    "no_grad",
    "numerical_grads",
    "softmax",
    "topological_order",
]


def backward_steps(root, *args, **kwargs):
    """Step through backprop from ``root`` (a Value or Tensor): see ``Value.backward_steps``."""
    return root.backward_steps(*args, **kwargs)
