"""``nn``: neurons, layers, MLPs, losses and training, on the scalar and the tensor engine alike.

Seeding: initial weights come from a NumPy generator, seeded with 0 unless you give ``seed=``
or ``rng=`` (``nn.MLP(2, [16, 16, 1], seed=1)``, ``nn.mlp(..., rng=np.random.default_rng(1))``),
so a run reproduces by default. Python's ``random.seed`` (micrograd's way) has no effect.
Hidden layers use ReLU and the last layer is linear unless told otherwise, as in micrograd.

One line per module: each module lists its public names in ``__all__``.
"""

from . import data, init  # noqa: F401 - nn.data.make_moons, nn.init.xavier_uniform, ...
from .activations import *  # noqa: F403
from .blas_threads import *  # noqa: F403
from .callbacks import *  # noqa: F403
from .convert import *  # noqa: F403
from .divergence import *  # noqa: F403
from .estimators import *  # noqa: F403
from .evaluation import *  # noqa: F403
from .history import *  # noqa: F403
from .layers import *  # noqa: F403
from .losses import *  # noqa: F403
from .metrics import *  # noqa: F403
from .module import *  # noqa: F403
from .optim import *  # noqa: F403
from .progress import *  # noqa: F403
from .regularization import *  # noqa: F403
from .scalar import *  # noqa: F403
from .schedules import *  # noqa: F403
from .serialization import *  # noqa: F403
from .train import *  # noqa: F403
