"""``nn``: neurons, layers, MLPs, losses and training, on the scalar and the tensor engine alike.

Seeding: initial weights come from a NumPy generator, seeded with 0 unless you give ``seed=``
or ``rng=`` (``nn.MLP(2, [16, 16, 1], seed=1)``, ``nn.tensor_mlp(..., rng=np.random.default_rng(1))``),
so a run reproduces by default. Python's ``random.seed`` (micrograd's way) has no effect.
Hidden layers use ReLU and the last layer is linear unless told otherwise, as in micrograd.

One line per module: each module lists its public names in ``__all__``. The scikit-learn
estimators (``nn.MLPClassifier``, ``nn.MLPRegressor``, in ``nn.estimators``) need scikit-learn,
so they are imported on first use: ``import nn`` works without it.
"""

from . import data, init  # noqa: F401 - nn.data.make_moons, nn.init.xavier_uniform, ...
from .activations import *  # noqa: F403
from .blas_threads import *  # noqa: F403
from .callbacks import *  # noqa: F403
from .collector import *  # noqa: F403
from .convert import *  # noqa: F403
from .divergence import *  # noqa: F403
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

_ESTIMATORS = ("MLPClassifier", "MLPRegressor", "ScikitLearnAdam", "ScikitLearnSGD")


def __getattr__(name: str):
    """``nn.MLPClassifier`` and its kin: ``nn.estimators`` is imported (with scikit-learn) when first asked for."""
    if name in _ESTIMATORS:
        try:
            from . import estimators
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith(("sklearn", "scipy")):
                raise
            raise ModuleNotFoundError(f"nn.{name} is a scikit-learn estimator: it needs scikit-learn "
                                      "(pip install 'retrograd[sklearn]')", name=error.name) from error
        return getattr(estimators, name)
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
