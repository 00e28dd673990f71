"""scikit-learn-style ``MLPClassifier`` and ``MLPRegressor``, trained on the tensor engine.

Same names, arguments and methods as ``sklearn.neural_network``, so the two can be put side by
side::

    from nn.estimators import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=50, random_state=0).fit(X_train, y_train)
    clf.score(X_test, y_test)

Inside, ``fit`` builds an ``nn.mlp`` and trains it with ``nn.fit``: the model is ``model_``,
the full training record ``history_`` (losses, accuracies, per-layer gradient norms).

What matches scikit-learn, step for step: the network shape; the initial weights *and* biases,
drawn uniformly from ±√(6 / (fan_in + fan_out)) (±√(2 / ...) for ``logistic``), layer by layer;
the losses (cross-entropy on softmax outputs, or on one logistic output for two classes; half
the squared error for regression); the L2 penalty ``alpha/2 · Σw²`` on the weights, divided by
the size of each batch (the last, smaller batch of an epoch included); ``batch_size="auto"`` =
min(200, n), a new shuffle every epoch and a last batch with the remainder; Adam as scikit-learn
writes it (``eps`` added to √v before the bias correction, see ``ScikitLearnAdam``) and its
SGD settings; ``warm_start``; and stopping once the training loss has failed to improve on its
best by ``tol`` for more than ``n_iter_no_change`` epochs running. Given the same starting
weights and no shuffling, both take the same steps (``tests/nn/test_estimators.py`` checks the
weights after several epochs).

What differs: the random numbers (a ``np.random.Generator`` here, so weights and batch orders are
other draws of the same distributions); ``random_state=None`` means the library's fixed default
seed (runs repeat); the computation is float32 unless ``dtype=np.float64`` is given
(scikit-learn follows the dtype of ``X``); ``loss_curve_`` is the data loss without the L2 term
(scikit-learn adds it); for several regression targets the squared error is averaged over the
targets as well as the examples; ``early_stopping`` watches the validation *loss*.
"""

from __future__ import annotations

import inspect
import math
import numbers
from typing import Any

import numpy as np

from autograd import Tensor, no_grad

from . import losses
from .callbacks import EarlyStopping
from .data.preprocessing import train_test_split
from .init import make_rng
from .layers import Linear, mlp
from .metrics import predicted_classes
from .optim import LBFGS, SGD, Adam
from .train import fit

__all__ = ["MLPClassifier", "MLPRegressor", "ScikitLearnAdam"]

# scikit-learn's activation names, and ours.
_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
_SOLVERS = ("adam", "sgd", "lbfgs")
# Multiply-adds of a layer's product below which training uses one BLAS thread.
_SINGLE_THREAD_WORK = 4_000_000


class _BaseMLP:
    """What the classifier and the regressor share: settings, checks, the network and the training run."""

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] | list[int] = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 1e-4,
        batch_size: int | str = "auto",
        learning_rate_init: float = 1e-3,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.Generator | None = None,
        tol: float = 1e-4,
        warm_start: bool = False,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        dtype: Any = np.float32,
        verbose: bool = False,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.warm_start = warm_start
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.dtype = dtype
        self.verbose = verbose

    # ------------------------------------------------------------------ scikit-learn's parameter protocol
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments, by name (as scikit-learn's ``clone`` and grid search expect)."""
        names = [name for name in inspect.signature(_BaseMLP.__init__).parameters if name != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> _BaseMLP:
        """Change constructor arguments; returns the estimator."""
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}; it has {sorted(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(_BaseMLP.__init__).parameters.items()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults.get(k))]
        return f"{type(self).__name__}({', '.join(changed)})"

    # ------------------------------------------------------------------ checks
    def _check_settings(self) -> tuple[list[int], str]:
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral):
            sizes = [sizes]
        sizes = list(sizes)
        if any(isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1 for n in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {self.hidden_layer_sizes!r}")
        if self.activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {self.activation!r}")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        for name in ("alpha", "tol"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if not isinstance(self.learning_rate_init, numbers.Real) or not self.learning_rate_init > 0:
            raise ValueError(f"learning_rate_init must be positive, got {self.learning_rate_init!r}")
        for name in ("max_iter", "n_iter_no_change"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        batch = self.batch_size
        if batch != "auto" and (isinstance(batch, bool) or not isinstance(batch, numbers.Integral) or batch < 1):
            raise ValueError(f"batch_size must be 'auto' or a positive integer, got {self.batch_size!r}")
        if not 0.0 < self.validation_fraction < 1.0:
            raise ValueError(f"validation_fraction must be in (0, 1), got {self.validation_fraction!r}")
        return sizes, _ACTIVATIONS[self.activation]

    def _check_X(self, X: Any, fitting: bool) -> np.ndarray:
        who = f"{type(self).__name__}.{'fit' if fitting else 'predict'}"
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{who}: X must be numbers (examples × features)") from None
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"{who}: X must be a non-empty 2-D array (examples × features), got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError(f"{who}: X holds NaN or infinite values")
        if not fitting:
            if not hasattr(self, "model_"):
                raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call fit(X, y) first")
            if X.shape[1] != self.n_features_in_:
                raise ValueError(f"{who}: X has shape {X.shape}, but the model was fitted on {self.n_features_in_} "
                                 "features")
        return X

    # ------------------------------------------------------------------ training
    def _train(self, X: np.ndarray, targets: np.ndarray, n_outputs: int, loss_fn: Any, stratify: Any) -> None:
        sizes, activation = self._check_settings()
        rng = make_rng(self.random_state)
        n_features = X.shape[1]
        dtype = np.float64 if self.solver == "lbfgs" else self.dtype  # L-BFGS's line search wants float64
        widths = [n_features, *sizes, n_outputs]
        if self.warm_start and hasattr(self, "model_"):
            fitted = [layer.weight.shape[::-1] for layer in self.model_.modules() if isinstance(layer, Linear)]
            if fitted != list(zip(widths, widths[1:])):
                raise ValueError(f"warm_start: the fitted network has layers {fitted} (inputs, outputs), this fit "
                                 f"needs {list(zip(widths, widths[1:]))}")
            dtype = self.model_.parameters()[0].dtype
        else:
            self.model_ = mlp(n_features, [*sizes, n_outputs], activation=activation, init="zeros", dtype=dtype)
            _initialise_as_scikit_learn(self.model_, self.activation, rng)
        self.n_features_in_ = n_features
        params = self.model_.parameters()

        validation = None
        if self.early_stopping:
            X, X_val, targets, y_val = train_test_split(
                X, targets, test_size=self.validation_fraction, seed=rng, stratify=stratify
            )
            validation = (X_val, y_val)

        if self.solver == "lbfgs":
            batch = len(X)
            optimizer: Any = LBFGS(params, lr=1.0, max_iter=self.max_iter, tolerance_grad=self.tol * 1e-2,
                                   tolerance_change=self.tol * 1e-5, line_search_fn="strong_wolfe")
            epochs = 1
        else:
            batch = min(200, len(X)) if self.batch_size == "auto" else min(int(self.batch_size), len(X))
            epochs = self.max_iter
            if self.solver == "adam":
                optimizer = ScikitLearnAdam(params, lr=self.learning_rate_init, betas=(self.beta_1, self.beta_2),
                                            eps=self.epsilon)
            else:
                optimizer = SGD(params, lr=self.learning_rate_init, momentum=self.momentum,
                                nesterov=self.nesterovs_momentum and self.momentum > 0)

        # scikit-learn's rule on the training loss (with early_stopping, fit's watches the validation loss).
        stop_when_flat = None if self.early_stopping else EarlyStopping(
            self.n_iter_no_change, self.tol, monitor="train_loss", restore_best_weights=False, rule="scikit-learn")

        # One BLAS thread is faster for small products (and does not stall on a busy machine).
        largest_product = batch * max(a * b for a, b in zip(widths, widths[1:]))
        self.history_ = fit(
            self.model_, loss_fn, optimizer, (X.astype(dtype), targets), epochs=epochs, batch_size=batch,
            validation=validation, l2=self.alpha / 2, penalty_per_example=True, early_stopping=self.n_iter_no_change
            if self.early_stopping else None, min_delta=self.tol, shuffle=self.shuffle, seed=rng,
            progress=self.verbose, callback=stop_when_flat,
            blas_threads=1 if largest_product <= _SINGLE_THREAD_WORK else None,
        )
        self.n_iter_ = self.history_.epochs if self.solver != "lbfgs" else optimizer.state["global"]["n_iter"]
        earlier = self.loss_curve_ if self.warm_start and hasattr(self, "loss_curve_") else []
        self.loss_curve_ = earlier + list(self.history_.train_loss)  # a warm start continues the curve
        self.loss_ = self.loss_curve_[-1]

    def _raw_outputs(self, X: Any) -> np.ndarray:
        X = self._check_X(X, fitting=False)
        with no_grad():
            self.model_.eval()
            return self.model_(Tensor(X.astype(self.model_.parameters()[0].dtype))).data.astype(np.float64)


def _initialise_as_scikit_learn(model: Any, activation: str, rng: np.random.Generator) -> None:
    """Glorot-uniform weights *and* biases, as scikit-learn draws them: ±√(6 / (fan_in + fan_out)).

    For ``logistic`` the range is ±√(2 / (fan_in + fan_out)). Layer by layer, weights (drawn as
    fan_in × fan_out, scikit-learn's layout) before biases.
    """
    factor = 2.0 if activation == "logistic" else 6.0
    for layer in model.modules():
        if isinstance(layer, Linear):
            fan_out, fan_in = layer.weight.shape
            bound = math.sqrt(factor / (fan_in + fan_out))
            layer.weight.data[...] = rng.uniform(-bound, bound, (fan_in, fan_out)).T
            layer.bias.data[...] = rng.uniform(-bound, bound, fan_out)


class ScikitLearnAdam(Adam):
    """Adam as scikit-learn's ``MLPClassifier`` writes it: ``eps`` is added to √v, not to √v̂.

    At step ``t``::

        m ← β1·m + (1 - β1)·g
        v ← β2·v + (1 - β2)·g²
        w ← w - lr·√(1 - β2ᵗ)/(1 - β1ᵗ) · m / (√v + eps)

    This is ``Adam`` with ``eps / √(1 - β2ᵗ)`` in place of ``eps`` (about 30 times larger at the
    first step, the same once ``t`` is in the thousands).
    """

    def _eps_added_to_root_v(self, root_bias_correction2: float) -> float:
        return self.eps  # scikit-learn adds eps to √v itself


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return a is b


class MLPClassifier(_BaseMLP):
    """A multi-layer perceptron classifier, as ``sklearn.neural_network.MLPClassifier``.

    Labels may be any values (ints, strings); ``classes_`` lists them in sorted order. Two classes
    use one output and the logistic loss, more use one output per class and cross-entropy.
    """

    def fit(self, X: Any, y: Any) -> MLPClassifier:
        """Train on examples ``X`` (examples × features) with labels ``y``; returns the classifier."""
        X = self._check_X(X, fitting=True)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(X):
            raise ValueError(f"MLPClassifier.fit: y must hold one label per example, shape {(len(X),)}, got {y.shape}")
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"MLPClassifier.fit: need at least 2 classes, got {len(self.classes_)}")
        binary = len(self.classes_) == 2
        loss_fn = losses.binary_cross_entropy_with_logits if binary else losses.cross_entropy
        self._train(X, encoded, 1 if binary else len(self.classes_), loss_fn, stratify=encoded)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """The probability of each class (columns in the order of ``classes_``) for every example."""
        outputs = self._raw_outputs(X)
        if len(self.classes_) == 2:
            p = 1.0 / (1.0 + np.exp(-np.clip(outputs[:, 0], -500, 500)))
            return np.column_stack([1.0 - p, p])
        shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of every example (values from ``classes_``)."""
        outputs = self._raw_outputs(X)
        index = predicted_classes(outputs, [0, 1], threshold=0.0)  # logits: one column for two classes, or one each
        return self.classes_[index]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of examples whose predicted class is ``y``."""
        y = np.asarray(y)
        predicted = self.predict(X)
        if y.shape != predicted.shape:
            raise ValueError(f"score: y has shape {y.shape}, expected {predicted.shape}")
        return float(np.mean(predicted == y))


class MLPRegressor(_BaseMLP):
    """A multi-layer perceptron regressor, as ``sklearn.neural_network.MLPRegressor``.

    Targets may be one column (``y`` of shape (n,), predictions too) or several (n, k).
    The output layer is linear, the loss half the mean squared error.
    """

    def fit(self, X: Any, y: Any) -> MLPRegressor:
        """Train on examples ``X`` (examples × features) with targets ``y``; returns the regressor."""
        X = self._check_X(X, fitting=True)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim not in (1, 2) or len(y) != len(X):
            raise ValueError(f"MLPRegressor.fit: y must have {len(X)} rows (one per example), got shape {y.shape}")
        if not np.all(np.isfinite(y)):
            raise ValueError("MLPRegressor.fit: y holds NaN or infinite values")
        self._single_output = y.ndim == 1
        targets = y[:, None] if self._single_output else y
        self._train(X, targets, targets.shape[1], _half_mse, stratify=None)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The predicted targets: shape (n,) for one target, (n, k) for several."""
        outputs = self._raw_outputs(X)
        return outputs[:, 0] if self._single_output else outputs

    def score(self, X: Any, y: Any) -> float:
        """The coefficient of determination R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)² (averaged over targets)."""
        y = np.asarray(y, dtype=np.float64)
        predicted = self.predict(X)
        if y.shape != predicted.shape:
            raise ValueError(f"score: y has shape {y.shape}, expected {predicted.shape}")
        y2, p2 = (y[:, None], predicted[:, None]) if y.ndim == 1 else (y, predicted)
        residual = ((y2 - p2) ** 2).sum(axis=0)
        total = ((y2 - y2.mean(axis=0)) ** 2).sum(axis=0)
        r2 = np.where(total > 0, 1.0 - residual / np.where(total > 0, total, 1.0), 0.0)
        return float(r2.mean())


def _half_mse(output: Any, target: Any) -> Any:
    """scikit-learn's squared loss: ½ · mean (output - target)²."""
    return 0.5 * losses.mse_loss(output, target)
