"""``nn``: neurons, layers, MLPs, losses and training, on the scalar and the tensor engine alike.

One line per module: each module lists its public names in ``__all__``.
"""

from . import init  # noqa: F401 - nn.init.xavier_uniform, ...
from .activations import *  # noqa: F403
from .convert import *  # noqa: F403
from .layers import *  # noqa: F403
from .losses import *  # noqa: F403
from .module import *  # noqa: F403
from .scalar import *  # noqa: F403
