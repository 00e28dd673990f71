"""``nn``: neurons, layers, MLPs, losses and training, on the scalar and the tensor engine alike."""

from . import init  # noqa: F401 - nn.init.xavier_uniform, ...
from .activations import ActivationSpec, parse_activation  # noqa: F401
from .module import Module, StateDictError  # noqa: F401
from .scalar import MLP, Layer, Neuron  # noqa: F401
