"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn estimators whose network is an ``nn`` model.

They are scikit-learn estimators in full (``BaseEstimator`` with ``ClassifierMixin`` or
``RegressorMixin``, validated with scikit-learn's own helpers, held to ``check_estimator``), so
they work in ``Pipeline``, ``GridSearchCV``, ``cross_val_score``, ``clone`` and ``pickle``, and
take the arguments of ``sklearn.neural_network``::

    from nn.estimators import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=50, random_state=0).fit(X_train, y_train)
    clf.score(X_test, y_test)

What they add: ``model_`` is the trained network as an ``nn`` module (a tensor ``Sequential``,
or with ``engine="scalar"`` an ``nn.MLP`` of ``Value``\\ s, for tiny data sets), so it can be
drawn and its backpropagation stepped through with ``viz``; ``history_`` is the record of
``nn.fit`` (losses and each layer's gradient norm at every step). The network's last layer is
linear: ``model_`` gives raw scores (logits), and ``out_activation_`` names the function that
``predict_proba`` / ``predict`` apply to them.

What matches scikit-learn, step for step: the network shape; the initial weights and biases,
uniform in ±√(6 / (fan_in + fan_out)) (±√(2 / …) for ``logistic``), layer by layer; the
objective (cross-entropy, logistic for two classes, half the squared error or half the Poisson
deviance), averaged over each mini-batch with the sample weights, plus ``alpha/2 · Σw²`` divided
by the batch's total weight; mini-batches of ``min(200, n)`` by default, reshuffled every epoch;
Adam and SGD as scikit-learn writes them (``ScikitLearnAdam``, ``ScikitLearnSGD``) with its
``learning_rate`` schedules; the stopping rules (``tol``, ``n_iter_no_change``, and with
``early_stopping`` the validation *score*, the best weights kept); ``warm_start`` and
``partial_fit``; the fitted attributes (``coefs_[i]`` is fan_in × fan_out, as there). From the same
weights, with ``shuffle=False``, both take the same steps (tests/nn/test_estimators.py).

What differs: the random numbers (a ``np.random.Generator``: the same distributions, other draws);
``random_state=None`` is the library's fixed default seed, so runs repeat; ``solver="lbfgs"`` is
``nn.optim.LBFGS`` (PyTorch's algorithm, in float64) rather than SciPy's L-BFGS-B, so it stops
after other iterations; the classifier takes one label per example (no multilabel indicator
matrices); for several regression targets ``loss_curve_`` adds the targets' losses (scikit-learn
averages them, yet takes the steps of the sum); the regressor's ``loss`` is a keyword argument.

Input: sparse matrices are accepted and made dense (the engines compute on dense arrays), so a
large sparse ``X`` costs its dense size in memory. The computation runs in ``X``'s dtype when
that is float32 and in float64 otherwise, as scikit-learn does.

This module needs scikit-learn; ``import nn`` does not import it (``nn.MLPClassifier`` does).
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, check_classification_targets, unique_labels
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, column_or_1d, validate_data

from autograd import Tensor, no_grad

from . import losses
from .evaluation import predict
from .init import make_rng
from .layers import Linear, Sequential, activation_module
from .optim import LBFGS, Optimizer
from .regularization import weight_parameters
from .scalar import MLP, Layer
from .train import fit

__all__ = ["MLPClassifier", "MLPRegressor", "ScikitLearnAdam", "ScikitLearnSGD"]

# scikit-learn's names of the hidden activations, and ours.
_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
_STOCHASTIC_SOLVERS = ("adam", "sgd")
# Multiply-adds of a layer's product below which training uses one BLAS thread.
_SINGLE_THREAD_WORK = 4_000_000
# L-BFGS stops when the loss changes by less than this: SciPy's default for L-BFGS-B (factr 1e7 · eps).
_LBFGS_LOSS_CHANGE = 1e7 * np.finfo(np.float64).eps
# scikit-learn's rule for learning_rate="adaptive": divide by 5 after a stall, stop once below this.
_ADAPTIVE_DIVISOR, _ADAPTIVE_SMALLEST = 5.0, 1e-6


# ---------------------------------------------------------------------- the optimisers, as scikit-learn writes them
class ScikitLearnAdam(Optimizer):
    """Adam as scikit-learn's MLPs write it: ``eps`` is added to √v, not to the bias-corrected √v̂.

    At step ``t``::

        m ← β1·m + (1 - β1)·g
        v ← β2·v + (1 - β2)·g²
        w ← w - lr·√(1 - β2ᵗ)/(1 - β1ᵗ) · m / (√v + eps)

    ``nn.Adam`` divides by √v̂ + eps = √v/√(1 - β2ᵗ) + eps instead; the two differ only while
    ``t`` is small (by a factor of about 30 in eps at the first step).
    """

    hyperparameter_names = ("lr", "betas", "eps")

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(data), exp_avg_sq=np.zeros_like(data))
            state["_work"] = np.empty_like(data)  # one work array, so that a step allocates nothing
        state["step"] += 1
        t = state["step"]
        m, v, work = state["exp_avg"], state["exp_avg_sq"], state["_work"]
        np.multiply(grad, 1.0 - beta1, out=work)
        m *= beta1
        m += work  # m ← β1·m + (1 - β1)·g
        np.multiply(grad, grad, out=work)
        work *= 1.0 - beta2
        v *= beta2
        v += work  # v ← β2·v + (1 - β2)·g²
        np.sqrt(v, out=work)
        work += self.eps
        np.divide(m, work, out=work)  # m / (√v + eps)
        work *= self.lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
        data -= work


class ScikitLearnSGD(Optimizer):
    """SGD with momentum as scikit-learn's MLPs write it: the velocity holds the steps themselves.

    Each step::

        v ← μ·v - lr·g
        w ← w + v                  (nesterov: w ← w + μ·v - lr·g)

    With a constant ``lr`` this is ``nn.SGD`` (whose buffer holds gradients, multiplied by ``lr``
    when applied); when a schedule changes ``lr`` the two differ: here earlier steps keep the
    rate they were taken with.
    """

    hyperparameter_names = ("lr", "momentum", "nesterov")

    def __init__(self, params: Any, lr: float = 0.1, momentum: float = 0.9, nesterov: bool = True) -> None:
        super().__init__(params, lr)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state["velocity"] = np.zeros_like(data)
        velocity = state["velocity"]
        velocity *= self.momentum
        velocity -= self.lr * grad  # v ← μ·v - lr·g
        data += self.momentum * velocity - self.lr * grad if self.nesterov else velocity


# ---------------------------------------------------------------------- what both estimators share
class _BaseMLP(BaseEstimator):
    """Settings, validation, the network and the training run shared by the classifier and the regressor."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(_ACTIVATIONS))],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(numbers.Real, 0, None, closed="neither")],
        "power_t": [Interval(numbers.Real, 0, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state", np.random.Generator],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(numbers.Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "beta_1": [Interval(numbers.Real, 0, 1, closed="left")],
        "beta_2": [Interval(numbers.Real, 0, 1, closed="left")],
        "epsilon": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), Options(numbers.Real, {np.inf})],
        "max_fun": [Interval(numbers.Integral, 1, None, closed="left")],
        "engine": [StrOptions({"tensor", "scalar"})],
    }

    def __init__(
        self,
        hidden_layer_sizes: Any = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 1e-4,
        batch_size: int | str = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 1e-3,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: Any = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        engine: str = "tensor",
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.engine = engine

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # accepted and made dense
        return tags

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> _BaseMLP:
        """Train on ``X`` (examples × features) and ``y``, each example counting ``sample_weight`` times.

        Without ``warm_start`` the network starts afresh; with it, training continues from the
        fitted weights (and ``loss_curve_`` continues too). Returns the estimator.
        """
        self._validate_params()
        return self._fit(X, y, sample_weight, incremental=False)

    def _partial_fit(self, X: Any, y: Any, sample_weight: Any, classes: Any = None) -> _BaseMLP:
        self._validate_params()
        if self.early_stopping:
            raise ValueError("partial_fit cannot hold out validation data: set early_stopping=False")
        self._take_classes(classes)
        return self._fit(X, y, sample_weight, incremental=True)

    def _take_classes(self, classes: Any) -> None:
        """Where partial_fit learns the labels it will see (the classifier's ``classes``)."""

    def _has_stochastic_solver(self) -> bool:
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(f"partial_fit takes one epoch of a stochastic solver ('adam' or 'sgd'); "
                                 f"solver={self.solver!r} is not one")
        return True

    def _fit(self, X: Any, y: Any, sample_weight: Any, incremental: bool) -> _BaseMLP:
        first_pass = not hasattr(self, "model_") or (not self.warm_start and not incremental)
        X, targets, labels = self._validate_input(X, y, incremental, reset=first_pass)
        if sample_weight is None:
            weights = np.ones(len(X), dtype=np.float64)
        else:
            weights = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        widths = [X.shape[1], *self._hidden_sizes(), self._n_outputs(targets)]
        if first_pass:
            self._rng = self._new_rng()
            self._initialize(widths, X.dtype)
        else:
            fitted = [w.shape for w in self.coefs_]
            if fitted != list(zip(widths, widths[1:])):
                raise ValueError(f"the fitted network has layers {fitted} (fan_in, fan_out); this data and "
                                 f"hidden_layer_sizes={self.hidden_layer_sizes!r} need {list(zip(widths, widths[1:]))}")
            if not incremental:
                self._rng = self._new_rng()
        X = X.astype(self._dtype(), copy=False)
        if self.solver == "lbfgs":
            self._fit_lbfgs(X, targets, weights)
        else:
            self._fit_stochastic(X, targets, weights, labels, incremental)
        return self

    def _new_rng(self) -> np.random.Generator:
        """The generator of this run: None is the library's fixed seed (runs repeat), as everywhere in ``nn``."""
        state = self.random_state
        if isinstance(state, np.random.RandomState):
            return np.random.default_rng(state.randint(np.iinfo(np.int32).max))
        return make_rng(int(state) if isinstance(state, numbers.Integral) else state)

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if not hasattr(sizes, "__iter__") else list(sizes)
        if any(isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1 for n in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {self.hidden_layer_sizes!r}")
        return [int(n) for n in sizes]

    def _initialize(self, widths: list[int], dtype: np.dtype) -> None:
        """A fresh network with scikit-learn's initial weights, and every counter at its start."""
        factor = 2.0 if self.activation == "logistic" else 6.0
        arrays = []
        for fan_in, fan_out in zip(widths, widths[1:]):  # weights before biases, layer by layer, as scikit-learn
            bound = math.sqrt(factor / (fan_in + fan_out))
            arrays.append((self._rng.uniform(-bound, bound, (fan_in, fan_out)), self._rng.uniform(-bound, bound,
                                                                                                   fan_out)))
        dtype = np.float64 if self.solver == "lbfgs" else dtype  # L-BFGS's line search needs float64
        self.model_ = _build_network(arrays, _ACTIVATIONS[self.activation], self.engine, dtype)
        self.n_layers_ = len(widths)
        self.n_outputs_ = widths[-1]
        self.out_activation_ = self._output_activation()
        self.n_iter_ = 0
        self.t_ = 0
        self._optimizer: Optimizer | None = None
        if self.solver in _STOCHASTIC_SOLVERS:
            self.loss_curve_: list[float] = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_: list[float] | None = []
                self.best_validation_score_: float | None = -np.inf
                self.best_loss_: float | None = None
            else:
                self.validation_scores_ = None
                self.best_validation_score_ = None
                self.best_loss_ = np.inf

    def _dtype(self) -> np.dtype:
        return np.dtype(np.float64) if self.engine == "scalar" else self.model_.parameters()[0].data.dtype

    # ------------------------------------------------------------------ the objective
    def _objective(self, outputs: Any, batch: np.ndarray, penalised: list, weighted: bool) -> Any:
        """The loss of one mini-batch, as scikit-learn defines it, ready for ``backward()``.

        ``batch`` holds each example's ``target`` and ``weight`` (they travel through ``nn.fit``'s
        mini-batches together): Σ weight·loss / Σ weight + alpha/2 · Σw² / Σ weight, the sum over
        the weights ``penalised`` (not the biases). A batch whose weights are all 0 adds nothing.

        The penalty is not built into the graph: its gradient, alpha·w / Σ weight, is written into
        each weight's ``grad`` here, and backprop then adds the data term's gradient to it (leaves
        accumulate, as in PyTorch). The same numbers as backprop through ``l2_penalty``, without
        its nodes in every step's graph (they cost a sixth of the training time on the digits).
        Without sample weights (``weighted`` False) the data term is the loss's own mean.
        """
        scale = _inverse_total(batch["weight"])
        loss = self._data_loss(outputs, batch, scale) if weighted else self._loss_terms(outputs, batch["target"],
                                                                                         reduction="mean")
        if not self.alpha:
            return loss
        factor = self.alpha * scale
        squares = 0.0
        for w in penalised:
            squares += float(np.vdot(w.data, w.data)) if isinstance(w.data, np.ndarray) else w.data * w.data
            w.grad = factor * w.data  # ∂/∂w of (alpha/2)·scale·w²
        return loss + 0.5 * factor * squares

    def _data_loss(self, outputs: Any, batch: np.ndarray, scale: float) -> Any:
        """Σ weight·loss / Σ weight over the examples of ``batch`` (``scale`` is 1 / Σ weight)."""
        weights = batch["weight"]
        terms = self._loss_terms(outputs, batch["target"], reduction="none")
        if isinstance(terms, Tensor):
            share = (weights * scale).astype(terms.dtype)
            data_loss = (terms * (share[:, None] if terms.ndim == 2 else share)).sum()
        else:  # the scalar engine: one Value per example and output
            per_example = len(terms) // len(weights)
            data_loss = sum((t * float(w * scale) for t, w in zip(terms, np.repeat(weights, per_example))),
                            start=0.0)
        return data_loss

    def _objective_of_model(self, weights: np.ndarray) -> Any:
        """``_objective`` as ``nn.fit``'s loss function: (outputs, batch) -> loss, the weights looked up once."""
        return functools.partial(self._objective, penalised=weight_parameters(self.model_),
                                 weighted=bool(np.any(weights != 1.0)))

    def _loss_value(self, X: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> float:
        """The objective over all of ``X`` at the current weights, as a number."""
        scale = _inverse_total(weights)
        with no_grad():
            data_loss = float(self._data_loss(Tensor(self._outputs(X)), _batch_of(targets, weights), scale).item())
        squared_weights = sum(float(np.vdot(coef, coef)) for coef in self.coefs_)
        return data_loss + 0.5 * self.alpha * scale * squared_weights

    # ------------------------------------------------------------------ the solvers
    def _make_optimizer(self) -> Optimizer:
        params = self.model_.parameters()
        if self.solver == "adam":
            return ScikitLearnAdam(params, lr=self.learning_rate_init, betas=(self.beta_1, self.beta_2),
                                   eps=self.epsilon)
        return ScikitLearnSGD(params, lr=self.learning_rate_init, momentum=self.momentum,
                              nesterov=self.nesterovs_momentum)

    def _blas_threads(self, batch: int) -> int | None:
        # One BLAS thread is faster for small products (and does not stall on a busy machine).
        widths = [w.shape for w in self.coefs_]
        return 1 if batch * max(a * b for a, b in widths) <= _SINGLE_THREAD_WORK else None

    def _fit_stochastic(self, X: np.ndarray, targets: np.ndarray, weights: np.ndarray, labels: np.ndarray,
                        incremental: bool) -> None:
        if not incremental or self._optimizer is None:
            self._optimizer = self._make_optimizer()
        optimizer = self._optimizer
        validation = None
        if self.early_stopping:
            stratify = labels if isinstance(self, ClassifierMixin) else None
            seed = int(self._rng.integers(np.iinfo(np.int32).max))
            X, X_val, targets, _, weights, w_val, labels, y_val = train_test_split(
                X, targets, weights, labels, test_size=self.validation_fraction, random_state=seed,
                stratify=stratify)
            if len(X_val) < 2:
                raise ValueError(f"early_stopping: validation_fraction={self.validation_fraction} of the data "
                                 f"leaves {len(X_val)} validation example(s); it needs at least 2")
            validation = (X_val, y_val, w_val)
        n = len(X)
        if self.batch_size == "auto":
            batch_size = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn(f"batch_size={self.batch_size} is larger than the {n} training examples; "
                              f"each batch holds all {n}", UserWarning, stacklevel=4)
            batch_size = min(self.batch_size, n)

        self.n_iter_ = 0
        stop = _EpochEnd(self, optimizer, n, validation, incremental)
        self.history_ = fit(
            self.model_, self._objective_of_model(weights), optimizer, (X, _batch_of(targets, weights)),
            epochs=1 if incremental else self.max_iter, batch_size=batch_size, shuffle=self.shuffle,
            seed=self._rng, progress=bool(self.verbose), callback=stop, blas_threads=self._blas_threads(batch_size),
        )
        if self.early_stopping:
            _set_parameters(self.model_, stop.best_weights)

    def _fit_lbfgs(self, X: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> None:
        optimizer = LBFGS(self.model_.parameters(), lr=1.0, max_iter=self.max_iter, max_eval=self.max_fun,
                          tolerance_grad=self.tol, tolerance_change=_LBFGS_LOSS_CHANGE, history_size=10,
                          line_search_fn="strong_wolfe")
        self.history_ = fit(self.model_, self._objective_of_model(weights), optimizer, (X, _batch_of(targets, weights)),
                            epochs=1, batch_size=None, shuffle=False, progress=bool(self.verbose),
                            blas_threads=self._blas_threads(len(X)))
        counts = optimizer.state["global"]
        self.n_iter_ = counts["n_iter"]
        self.loss_ = self._loss_value(X, targets, weights)
        if self.n_iter_ >= self.max_iter or counts["func_evals"] >= self.max_fun:
            warnings.warn(f"{type(self).__name__}: L-BFGS stopped after {self.n_iter_} iterations and "
                          f"{counts['func_evals']} loss evaluations (max_iter={self.max_iter}, max_fun={self.max_fun}) "
                          "before the gradient or the loss settled; raise max_iter or max_fun, or scale the data",
                          ConvergenceWarning, stacklevel=4)

    # ------------------------------------------------------------------ predicting
    def _raw_outputs(self, X: Any) -> np.ndarray:
        """The network's outputs (before ``out_activation_``) for the rows of ``X``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))
        return self._outputs(_dense(X).astype(self._dtype(), copy=False))

    def _outputs(self, X: np.ndarray) -> np.ndarray:
        """``model_``'s outputs for validated inputs, one row per example (the scalar engine gives one number)."""
        return predict(self.model_, X).reshape(len(X), -1)

    def _validation_score(self, X: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
        """``score`` on the held-out data of early stopping (NaN where the outputs are not finite)."""
        outputs = self._outputs(X)
        if not np.all(np.isfinite(outputs)):
            return math.nan
        return self._score_outputs(outputs, y, weights)

    # ------------------------------------------------------------------ the fitted weights, scikit-learn's layout
    @property
    def coefs_(self) -> list[np.ndarray]:
        """The weight matrices, layer by layer, each fan_in × fan_out (``coefs_[i][j, k]``: unit j → unit k).

        For the tensor engine these are views of the model's weights (a change shows in ``model_``);
        for the scalar engine, copies of the ``Value``\\ s' numbers.
        """
        check_is_fitted(self)
        if self.engine == "scalar":
            return [layer.weight_matrix() for layer in self.model_.layers]
        return [layer.weight.data.T for layer in _linear_layers(self.model_)]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """The bias vectors, layer by layer (views for the tensor engine, copies for the scalar one)."""
        check_is_fitted(self)
        if self.engine == "scalar":
            return [layer.bias_vector() for layer in self.model_.layers]
        return [layer.bias.data for layer in _linear_layers(self.model_)]


class _EpochEnd:
    """What scikit-learn does after each epoch, as ``nn.fit``'s callback: counters, schedules, stopping.

    Returns True (stop) once the training loss (or with ``early_stopping`` the validation score)
    has failed to improve by ``tol`` for more than ``n_iter_no_change`` epochs running, unless
    ``learning_rate="adaptive"`` can first divide SGD's learning rate by 5.
    """

    def __init__(self, estimator: _BaseMLP, optimizer: Optimizer, n_examples: int, validation: Any,
                 incremental: bool) -> None:
        self.estimator, self.optimizer, self.n_examples = estimator, optimizer, n_examples
        self.validation, self.incremental = validation, incremental
        self.best_weights = _copy_parameters(estimator.model_) if validation is not None else None

    def __call__(self, epoch: int, history: Any) -> bool:
        est = self.estimator
        est.n_iter_ += 1
        est.t_ += self.n_examples
        est.loss_ = history.train_loss[-1]
        est.loss_curve_.append(est.loss_)
        if self.validation is not None:
            score = est._validation_score(*self.validation)
            est.validation_scores_.append(score)
            stalled = not score >= est.best_validation_score_ + est.tol  # a NaN score stalls
            if score > est.best_validation_score_:
                est.best_validation_score_ = score
                self.best_weights = _copy_parameters(est.model_)
        else:
            stalled = est.loss_ > est.best_loss_ - est.tol
            est.best_loss_ = min(est.best_loss_, est.loss_)
        est._no_improvement_count = est._no_improvement_count + 1 if stalled else 0

        sgd = est.solver == "sgd"
        if sgd and est.learning_rate == "invscaling":
            self.optimizer.lr = est.learning_rate_init / (est.t_ + 1) ** est.power_t
        if est._no_improvement_count > est.n_iter_no_change:
            if sgd and est.learning_rate == "adaptive" and self.optimizer.lr > _ADAPTIVE_SMALLEST:
                self.optimizer.lr /= _ADAPTIVE_DIVISOR
                est._no_improvement_count = 0
            else:
                return True
        if not self.incremental and est.n_iter_ == est.max_iter:
            watched = "validation score" if self.validation is not None else "training loss"
            warnings.warn(f"{type(est).__name__}: stopped at max_iter={est.max_iter} epochs while the {watched} "
                          f"was still improving by more than tol={est.tol}; raise max_iter to train longer",
                          ConvergenceWarning, stacklevel=2)
        return False


# ---------------------------------------------------------------------- the network, on either engine
def _build_network(arrays: list[tuple[np.ndarray, np.ndarray]], activation: str, engine: str, dtype: Any) -> Any:
    """The MLP whose layer i has weights ``arrays[i][0]`` (fan_in × fan_out) and biases ``arrays[i][1]``.

    Hidden layers use ``activation``, the last layer none (raw scores). Tensor engine: a
    ``Sequential`` of ``Linear`` and activation modules; scalar engine: an ``nn.MLP`` of ``Value``\\ s.
    """
    last = len(arrays) - 1
    if engine == "scalar":
        return MLP.from_layers([Layer(W.shape[0], W.shape[1], "identity" if i == last else activation,
                                      weights=W, biases=b) for i, (W, b) in enumerate(arrays)])
    modules = []
    for i, (W, b) in enumerate(arrays):
        modules.append(Linear.from_arrays(np.ascontiguousarray(W.T), b, dtype=dtype))  # C order, as backprop's grads
        if i != last and activation != "identity":
            modules.append(activation_module(activation))
    return Sequential(*modules)


def _linear_layers(model: Any) -> list[Linear]:
    return [module for module in model.modules() if isinstance(module, Linear)]


def _copy_parameters(model: Any) -> list[Any]:
    return [np.copy(p.data) for p in model.parameters()]


def _set_parameters(model: Any, values: list[Any]) -> None:
    for p, value in zip(model.parameters(), values, strict=True):
        if isinstance(p.data, np.ndarray):
            p.data[...] = value
        else:
            p.data = float(value)


def _inverse_total(weights: np.ndarray) -> float:
    """1 / Σ weights, or 0 where every weight is 0 (the batch then counts for nothing)."""
    total = float(weights.sum())
    return 1.0 / total if total > 0 else 0.0


def _batch_of(targets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Targets and sample weights side by side in one structured array, so mini-batches keep them together."""
    batch = np.empty(len(targets), dtype=[("target", targets.dtype, targets.shape[1:]), ("weight", np.float64)])
    batch["target"] = targets
    batch["weight"] = weights
    return batch


def _dense(X: Any) -> np.ndarray:
    return X.toarray() if hasattr(X, "toarray") else X


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


# ---------------------------------------------------------------------- the classifier
class MLPClassifier(ClassifierMixin, _BaseMLP):
    """A multi-layer perceptron classifier, as ``sklearn.neural_network.MLPClassifier``.

    Parameters, methods and fitted attributes are scikit-learn's (see the module's docstring
    for what is the same step for step and what differs), plus ``engine``: ``"tensor"`` (the
    default) or ``"scalar"``, which trains an ``nn.MLP`` of ``Value``\\ s, slow but every number
    of it drawable — for a few dozen examples and a few neurons.

    Labels may be any values (ints, strings); ``classes_`` lists them sorted. Two classes use one
    logistic output, more one softmax output per class (``out_activation_``). ``model_`` is the
    network, ``history_`` the ``nn.fit`` record of the last ``fit``/``partial_fit``.
    """

    @available_if(_BaseMLP._has_stochastic_solver)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None, classes: Any = None) -> MLPClassifier:
        """One epoch over ``X``, ``y``, continuing from the current weights and optimiser state.

        ``classes`` (every label that will ever be seen) is required on the first call. Only for
        ``solver="adam"`` or ``"sgd"``; returns the classifier.
        """
        return self._partial_fit(X, y, sample_weight, classes=classes)

    def _take_classes(self, classes: Any) -> None:
        if _check_partial_fit_first_call(self, classes) and len(self.classes_) < 2:
            raise ValueError(f"MLPClassifier needs at least 2 classes, got classes={self.classes_.tolist()}")

    def _validate_input(self, X: Any, y: Any, incremental: bool, reset: bool) -> tuple[np.ndarray, np.ndarray,
                                                                                       np.ndarray]:
        X, y = validate_data(self, X, y, reset=reset, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))
        check_classification_targets(y)
        present = unique_labels(y)
        if not incremental and (reset or not hasattr(self, "classes_")):
            if len(present) < 2:
                raise ValueError(f"MLPClassifier needs at least 2 classes in y, got 1 class: {present.tolist()}")
            self.classes_ = present
        elif not incremental and set(present.tolist()) != set(self.classes_.tolist()):
            raise ValueError(f"warm_start continues a fit with the same classes: it was fitted on "
                             f"{self.classes_.tolist()}, y holds {present.tolist()}")
        elif incremental:
            unknown = np.setdiff1d(present, self.classes_)
            if len(unknown):
                raise ValueError(f"y holds labels {unknown.tolist()} that are not in classes_ {self.classes_.tolist()}")
        labels = np.searchsorted(self.classes_, y)
        targets = labels[:, None].astype(np.float64) if len(self.classes_) == 2 else labels[:, None]
        return _dense(X), targets, y

    def _n_outputs(self, targets: np.ndarray) -> int:
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _output_activation(self) -> str:
        return "logistic" if len(self.classes_) == 2 else "softmax"

    def _loss_terms(self, outputs: Any, targets: np.ndarray, reduction: str) -> Any:
        """The loss of each example ("none") or their mean ("mean"): cross-entropy on the logits."""
        if len(self.classes_) == 2:
            return losses.binary_cross_entropy_with_logits(outputs, targets, reduction=reduction)
        return losses.cross_entropy(outputs, targets[:, 0], reduction=reduction)

    def _score_outputs(self, outputs: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
        return accuracy_score(y, self._classes_of(outputs), sample_weight=weights)

    def _classes_of(self, outputs: np.ndarray) -> np.ndarray:
        # scikit-learn's rule: class 1 only above probability 0.5 (logit 0 is class 0, unlike nn.metrics).
        index = (outputs[:, 0] > 0).astype(int) if outputs.shape[1] == 1 else outputs.argmax(axis=1)
        return self.classes_[index]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row of ``X`` (values from ``classes_``)."""
        return self._classes_of(self._raw_outputs(X))

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """The log of each class's probability (columns in the order of ``classes_``), computed stably."""
        outputs = self._raw_outputs(X)
        if outputs.shape[1] == 1:
            z = outputs[:, 0]
            return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])  # log(1 - σ(z)), log σ(z)
        return _log_softmax(outputs)

    def predict_proba(self, X: Any) -> np.ndarray:
        """The probability of each class (columns in the order of ``classes_``) for each row of ``X``."""
        outputs = self._raw_outputs(X)
        if outputs.shape[1] == 1:
            p = _sigmoid(outputs[:, 0])
            return np.column_stack([1.0 - p, p])
        return np.exp(_log_softmax(outputs))


# ---------------------------------------------------------------------- the regressor
class MLPRegressor(RegressorMixin, _BaseMLP):
    """A multi-layer perceptron regressor, as ``sklearn.neural_network.MLPRegressor``.

    ``loss`` is ``"squared_error"`` (half the squared error, a linear output) or ``"poisson"``
    (half the Poisson deviance, an exponential output, for counts y ≥ 0). One target (``y`` of
    shape (n,)) gives predictions of shape (n,); several, (n, k). The rest as ``MLPClassifier``.
    """

    _parameter_constraints: dict = {**_BaseMLP._parameter_constraints,
                                    "loss": [StrOptions({"squared_error", "poisson"})]}

    def __init__(
        self,
        hidden_layer_sizes: Any = (100,),
        activation: str = "relu",
        *,
        loss: str = "squared_error",
        solver: str = "adam",
        alpha: float = 1e-4,
        batch_size: int | str = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 1e-3,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: Any = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        engine: str = "tensor",
    ) -> None:
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init, power_t=power_t, max_iter=max_iter,
            shuffle=shuffle, random_state=random_state, tol=tol, verbose=verbose, warm_start=warm_start,
            momentum=momentum, nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
            n_iter_no_change=n_iter_no_change, max_fun=max_fun, engine=engine,
        )
        self.loss = loss

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @available_if(_BaseMLP._has_stochastic_solver)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One epoch over ``X``, ``y``, continuing from the current weights and optimiser state.

        Only for ``solver="adam"`` or ``"sgd"``; returns the regressor.
        """
        return self._partial_fit(X, y, sample_weight)

    def _validate_input(self, X: Any, y: Any, incremental: bool, reset: bool) -> tuple[np.ndarray, np.ndarray,
                                                                                       np.ndarray]:
        X, y = validate_data(self, X, y, reset=reset, accept_sparse=["csr", "csc"], multi_output=True,
                             y_numeric=True, dtype=(np.float64, np.float32))
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(f"loss='poisson' models counts: y must be >= 0, its smallest value is {y.min()}")
        if not incremental and not reset and (y.ndim == 1) != self._single_output:
            raise ValueError(f"warm_start continues a fit with {1 if self._single_output else self.n_outputs_} "
                             f"target column(s); y has shape {y.shape}")
        if reset:
            self._single_output = y.ndim == 1
        targets = y.reshape(len(y), -1).astype(np.float64)
        return _dense(X), targets, y

    def _n_outputs(self, targets: np.ndarray) -> int:
        return targets.shape[1]

    def _output_activation(self) -> str:
        return "exp" if self.loss == "poisson" else "identity"

    def _loss_terms(self, outputs: Any, targets: np.ndarray, reduction: str) -> Any:
        """The loss of each example and output ("none"), or per example their sum's mean ("mean")."""
        if reduction == "mean":  # Σ over the outputs, mean over the examples: scikit-learn's gradient
            return self._data_loss(outputs, _batch_of(targets, np.ones(len(targets))), 1.0 / len(targets))
        if self.loss == "squared_error":
            return 0.5 * losses.mse_loss(outputs, targets, reduction="none") if isinstance(outputs, Tensor) else [
                0.5 * term for term in losses.mse_loss(outputs, targets, reduction="none")]
        # Half the Poisson deviance per output, with the log link ŷ = e^z: e^z - y·z + (y·log y - y).
        constant = np.where(targets > 0, targets * np.log(np.where(targets > 0, targets, 1.0)), 0.0) - targets
        if isinstance(outputs, Tensor):
            return outputs.exp() - outputs * targets.astype(outputs.dtype) + constant.astype(outputs.dtype)
        flat = [z for out in outputs for z in (out if isinstance(out, (list, tuple)) else [out])]
        return [z.exp() - float(t) * z + float(c) for z, t, c in zip(flat, targets.ravel(), constant.ravel())]

    def _predictions_of(self, outputs: np.ndarray) -> np.ndarray:
        values = np.exp(outputs) if self.loss == "poisson" else outputs
        return values[:, 0] if self._single_output else values

    def _score_outputs(self, outputs: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
        return r2_score(y, self._predictions_of(outputs), sample_weight=weights)

    def predict(self, X: Any) -> np.ndarray:
        """The predicted targets: shape (n,) for one target, (n, k) for several."""
        return self._predictions_of(self._raw_outputs(X))
