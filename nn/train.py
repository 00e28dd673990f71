"""Training: ``fit`` runs the loop of the course (forward, loss, backward, step) and records what happened.

::

    history = fit(model, "cross_entropy", Adam(model.parameters(), lr=0.01), data=(X, y),
                  epochs=50, batch_size=32, validation=(X_val, y_val))
    plt.plot(history.train_loss); plt.plot(history.val_loss)

One loop serves both engines. A tensor model (parameters are ``Tensor``\\ s) gets each mini-batch
as one ``Tensor``; a scalar model (``Value``\\ s, e.g. ``nn.MLP``) gets one example at a time, and
the loss is taken over the list of its outputs, exactly as in the lecture.

What is recorded (``History``): per epoch the training and validation loss and accuracy and the
learning rate; per step the loss and the L2 norm of each layer's gradient (before clipping):
the numbers that show vanishing and exploding gradients. A NaN or infinite loss or gradient
stops training with ``TrainingDiverged``, naming the epoch, the step and the layer.
"""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import Tensor, no_grad

from . import losses as _losses
from .data.preprocessing import DataLoader
from .optim import LBFGS, Optimizer
from .regularization import _l2_norm_quiet, clip_grad_norm_, parameter_groups, weight_parameters

__all__ = ["History", "TrainingDiverged", "TrainingDivergenceWarning", "fit", "evaluate", "predict", "accuracy"]

#: Loss names ``fit`` accepts in place of a function.
LOSSES: dict[str, Callable] = {
    "mse": _losses.mse_loss,
    "mae": _losses.l1_loss,
    "l1": _losses.l1_loss,
    "bce": _losses.binary_cross_entropy,
    "bce_with_logits": _losses.binary_cross_entropy_with_logits,
    "cross_entropy": _losses.cross_entropy,
    "hinge": _losses.hinge_loss,
}

# Losses whose single output is a probability or a regression value: class 1 when it is >= 0.5.
# For the others (logits, hinge scores) the boundary is 0.
_THRESHOLD_HALF = (_losses.binary_cross_entropy, _losses.mse_loss, _losses.l1_loss)


#: A step loss this many times the run's first one counts as divergence (about 1 at the start, 1000 means lost).
DIVERGENCE_FACTOR = 1e3
_ON_DIVERGENCE = ("warn", "raise", "ignore")


class TrainingDiverged(FloatingPointError):
    """Training produced a NaN or infinite loss or gradient (or, with ``on_divergence="raise"``, a
    loss grown ``DIVERGENCE_FACTOR`` times).

    ``epoch`` and ``step`` (both counted from 1) say when, ``layer`` where (the first layer,
    going backwards from the output, whose gradient or weights are not finite; None if every
    layer is finite), ``loss`` the loss at that step and ``history`` what was recorded up to it.
    """

    def __init__(self, message: str, epoch: int, step: int, layer: str | None, loss: float, history: History):
        super().__init__(message)
        self.epoch, self.step, self.layer, self.loss, self.history = epoch, step, layer, loss, history


class TrainingDivergenceWarning(RuntimeWarning):
    """The loss grew by orders of magnitude while staying finite: training is running away."""


@dataclass
class History:
    """What ``fit`` recorded; every field is a plain list (or a dict of lists), ready to plot.

    Per epoch: ``train_loss``, ``train_accuracy`` (averaged over the epoch's batches, while the
    weights were changing), ``val_loss``, ``val_accuracy`` (after the epoch), ``lr``. Accuracy
    lists stay empty when the targets are not class labels. Per step: ``step_loss`` and
    ``grad_norms`` (``{layer name: [norm at each step]}``, the input-side layer first).
    ``best_epoch`` is the epoch of the lowest validation loss, ``stopped_early`` tells whether
    early stopping ended training.
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=OrderedDict)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """How many epochs were completed."""
        return len(self.train_loss)

    def grad_norm_matrix(self) -> tuple[list[str], np.ndarray]:
        """The layer names and a (steps × layers) array of gradient norms, e.g. for a log-scale plot."""
        names = list(self.grad_norms)
        if not names:
            return names, np.zeros((0, 0))
        return names, np.column_stack([self.grad_norms[name] for name in names])

    def to_dict(self) -> dict[str, Any]:
        """Everything as a dict of plain lists and numbers (for JSON, pandas or plotting)."""
        return {
            "train_loss": list(self.train_loss),
            "train_accuracy": list(self.train_accuracy),
            "val_loss": list(self.val_loss),
            "val_accuracy": list(self.val_accuracy),
            "lr": list(self.lr),
            "step_loss": list(self.step_loss),
            "grad_norms": {name: list(norms) for name, norms in self.grad_norms.items()},
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
        }

    def __repr__(self) -> str:
        last = f", train_loss={self.train_loss[-1]:.4g}" if self.train_loss else ""
        val = f", val_loss={self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History(epochs={self.epochs}, steps={len(self.step_loss)}{last}{val})"


# ---------------------------------------------------------------------- engines
def _is_tensor_model(params: list) -> bool:
    return any(isinstance(p.data, np.ndarray) for p in params)


def _parameter_dtype(params: list) -> np.dtype:
    dtypes = {p.data.dtype for p in params if isinstance(p.data, np.ndarray)}
    return np.result_type(*dtypes) if dtypes else np.dtype(np.float64)


def _forward(model: Callable, X: np.ndarray, tensor_engine: bool, dtype: Any = None) -> Any:
    """The model's outputs for a batch: one Tensor, or a list of per-example outputs of Values."""
    if tensor_engine:
        return model(Tensor(X if dtype is None else X.astype(dtype, copy=False)))
    return [model(row) for row in X.tolist()]


def _outputs_as_array(outputs: Any) -> np.ndarray:
    if isinstance(outputs, Tensor):
        return outputs.data
    return np.array([[v.data for v in out] if isinstance(out, (list, tuple)) else out.data for out in outputs])


def accuracy(outputs: Any, targets: Any, threshold: float = 0.5) -> float:
    """The fraction of examples whose predicted class is the target class.

    ``outputs`` with several columns: the class is the column of the largest output (targets are
    labels or one-hot rows). One output per example: with targets in {-1, +1} the class is the
    sign of the output; with targets in {0, 1} it is 1 where the output is ``>= threshold``
    (0.5 for probabilities, 0 for logits).
    """
    out = np.asarray(outputs, dtype=np.float64)
    y = np.asarray(targets)
    if out.ndim == 2 and out.shape[1] > 1:
        predicted = out.argmax(axis=1)
        labels = y.argmax(axis=1) if y.ndim == 2 else y
    else:
        out, labels = out.reshape(-1), y.reshape(-1)
        if np.any(labels < 0):
            predicted = np.where(out >= 0, 1, -1)
        else:
            predicted = (out >= threshold).astype(np.int64)
    if len(predicted) != len(labels):
        raise ValueError(f"accuracy: {len(predicted)} outputs but {len(labels)} targets")
    return float(np.mean(predicted == labels))


def _looks_like_labels(y: np.ndarray) -> bool:
    """Integer class labels, ±1 labels or one-hot rows (so accuracy means something)."""
    if y.dtype.kind in "iub":
        return True
    if y.dtype.kind != "f" or not np.all(np.isfinite(y)):
        return False
    if y.ndim == 2 and y.shape[1] > 1:
        return bool(np.all((y == 0) | (y == 1)))
    return bool(np.all((y == -1) | (y == 1) | (y == 0)))


def _resolve_loss(loss_fn: Callable | str) -> Callable:
    if isinstance(loss_fn, str):
        if loss_fn not in LOSSES:
            raise ValueError(f"unknown loss {loss_fn!r}; choose one of {sorted(LOSSES)} or pass a function")
        return LOSSES[loss_fn]
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a loss function or its name, got {type(loss_fn).__name__}")
    return loss_fn


def _threshold_for(loss_fn: Callable) -> float:
    function = getattr(loss_fn, "function", loss_fn)  # loss objects keep their function
    return 0.5 if function in _THRESHOLD_HALF else 0.0


def _as_arrays(data: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(f"{who} must be a pair (X, y), got {type(data).__name__}")
    X, y = np.asarray(data[0]), np.asarray(data[1])
    if X.dtype == object:  # inputs written as Values: their numbers (inputs get no gradient)
        X = np.vectorize(lambda v: getattr(v, "data", v), otypes=[np.float64])(X)
    if len(X) == 0:
        raise ValueError(f"{who}: X holds no examples")
    if X.ndim != 2:
        raise ValueError(f"{who}: X must be examples × features (2-D), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"{who}: X has {len(X)} examples but y has {len(y)}")
    if X.dtype.kind not in "fiub":
        raise TypeError(f"{who}: X must hold numbers, got dtype {X.dtype}")
    _check_finite(X, who, "X")
    if y.dtype.kind in "fc":
        _check_finite(y, who, "y")
    return X, y


def _check_finite(array: np.ndarray, who: str, name: str) -> None:
    """A clear error naming the row (and column) of the first NaN or infinite entry."""
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    column = f", column {where[1]}" if len(where) > 1 else ""
    raise ValueError(
        f"{who}: {name} holds {array[where]} at row {where[0]}{column}; every {name} entry must be a finite number "
        "(drop or fill in missing values before training)"
    )


# ---------------------------------------------------------------------- evaluation
def predict(model: Callable, X: Any, batch_size: int | None = None) -> np.ndarray:
    """The model's raw outputs for every row of ``X``, as a NumPy array, computed without a graph.

    The model is put in evaluation mode (Dropout off) while predicting and restored afterwards.
    """
    X = np.asarray(X)
    tensor_engine, dtype = _engine_of(model)
    if tensor_engine:
        X = X.astype(dtype, copy=False)
    return _predict(model, X, tensor_engine, batch_size)


def _engine_of(model: Callable) -> tuple[bool, np.dtype]:
    """Whether ``model`` runs on the tensor engine, and its parameters' dtype (a walk over its modules)."""
    params = list(model.parameters()) if callable(getattr(model, "parameters", None)) else []
    return (_is_tensor_model(params) if params else True), _parameter_dtype(params)


def _predict(model: Callable, X: np.ndarray, tensor_engine: bool, batch_size: int | None = None) -> np.ndarray:
    """``predict`` for inputs already in the parameters' dtype (``fit`` validates every epoch without the walk)."""
    was_training = getattr(model, "training", None)
    if was_training is not None:
        model.eval()
    try:
        with no_grad():
            size = len(X) if batch_size is None else batch_size
            parts = [_outputs_as_array(_forward(model, X[i : i + size], tensor_engine)) for i in range(0, len(X), size)]
    finally:
        if was_training:
            model.train()
    return np.concatenate(parts)


def evaluate(model: Callable, loss_fn: Callable | str, data: tuple[Any, Any],
             batch_size: int | None = None) -> tuple[float, float | None]:
    """``(loss, accuracy)`` of the model on ``data = (X, y)``; accuracy is None unless y holds class labels."""
    loss_fn = _resolve_loss(loss_fn)
    X, y = _as_arrays(data, "data")
    outputs = predict(model, X, batch_size)
    tensor_out = Tensor(outputs)
    with no_grad():
        loss = float(loss_fn(tensor_out, y).item())
    return loss, accuracy(outputs, y, _threshold_for(loss_fn)) if _looks_like_labels(y) else None


# ---------------------------------------------------------------------- the loop
class _Progress:
    """A tqdm bar over epochs, or plain printed lines where tqdm is not installed."""

    def __init__(self, epochs: int, enabled: bool) -> None:
        self.bar = None
        self.enabled = enabled
        self.epochs = epochs
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            self.every = max(1, epochs // 10)  # about ten lines
            return
        self.bar = tqdm(total=epochs, desc="training", unit="epoch", leave=True)

    def update(self, epoch: int, summary: dict[str, float]) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix({k: f"{v:.4g}" for k, v in summary.items()}, refresh=False)
            self.bar.update(1)
        elif epoch % self.every == 0 or epoch == self.epochs:
            text = ", ".join(f"{k} {v:.4g}" for k, v in summary.items())
            print(f"epoch {epoch}/{self.epochs}: {text}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _nonfinite_layers(groups: OrderedDict[str, list], norms: dict[str, float]) -> list[str]:
    """Layers whose gradient norm or weights are not finite, from the output side back (backprop's order)."""
    bad = []
    for name in reversed(list(groups)):
        weights_bad = any(not np.all(np.isfinite(p.data)) for p in groups[name])
        if weights_bad or not math.isfinite(norms[name]):
            bad.append(name)
    return bad


def _diverged(epoch: int, step: int, loss: float, bad_layers: list[str], history: History) -> TrainingDiverged:
    """The error for a non-finite loss or gradient, naming when and where."""
    what = f"the loss is {loss}" if not math.isfinite(loss) else f"the loss is {loss:.6g} but a gradient is not finite"
    if bad_layers:
        where = f"layer {bad_layers[0]!r} has a non-finite gradient or weights"
        if len(bad_layers) > 1:
            where += f" (so do {', '.join(repr(name) for name in bad_layers[1:])}; output side first)"
    else:
        where = "every layer's gradient is finite (the loss itself overflowed)"
    message = (
        f"training diverged at epoch {epoch}, step {step}: {what}; {where}. "
        "Try a smaller learning rate, clip_grad_norm, or standardised inputs."
    )
    return TrainingDiverged(message, epoch, step, bad_layers[0] if bad_layers else None, loss, history)


class _DivergenceWatch:
    """Notices a loss that stays finite but grows ``DIVERGENCE_FACTOR`` times past the run's first loss.

    It names the layer whose gradient norm grew most since the first step: where the blow-up is.
    """

    def __init__(self, action: str) -> None:
        self.action = action
        self.first_loss: float | None = None
        self.first_norms: dict[str, float] = {}
        self.reported = False

    def check(self, epoch: int, step: int, loss: float, norms: dict[str, float], history: History) -> None:
        if self.action == "ignore" or self.reported:
            return
        if self.first_loss is None:
            if loss > 0.0:
                self.first_loss, self.first_norms = loss, dict(norms)
            return
        if not loss > DIVERGENCE_FACTOR * self.first_loss:
            return
        self.reported = True
        growth = {name: _ratio(norm, self.first_norms.get(name, 0.0)) for name, norm in norms.items()}
        layer = max(growth, key=growth.get) if growth else None
        where = f"; the gradient of layer {layer!r} grew most (×{growth[layer]:.3g})" if layer is not None else ""
        message = (
            f"training is diverging at epoch {epoch}, step {step}: the loss grew from {self.first_loss:.4g} to "
            f"{loss:.4g} (×{loss / self.first_loss:.3g}){where}. "
            "Try a smaller learning rate, clip_grad_norm, or standardised inputs."
        )
        if self.action == "raise":
            raise TrainingDiverged(message, epoch, step, layer, loss, history)
        warnings.warn(message, TrainingDivergenceWarning, stacklevel=4)


def _ratio(now: float, first: float) -> float:
    if first > 0.0:
        return now / first
    return math.inf if now > 0.0 else 1.0


def _group_norms(groups: OrderedDict[str, list]) -> dict[str, float]:
    """The L2 norm of each layer's gradient (None counts as 0): the hypotenuse of its parameters' norms."""
    norms = {}
    with np.errstate(over="ignore", invalid="ignore"):  # huge grads give inf norms, reported by fit itself
        for name, params in groups.items():
            parts = []
            for p in params:
                grad = p.grad
                if grad is None:
                    continue
                if isinstance(grad, np.ndarray):
                    flat = grad.reshape(-1)
                    squared = float(flat @ flat)  # the usual case in one BLAS call; overflow or NaN: rescale
                    parts.append(math.sqrt(squared) if math.isfinite(squared) else _l2_norm_quiet(grad))
                else:
                    parts.append(abs(grad))
            norms[name] = math.hypot(*parts)
    return norms


def _batch_accuracy(outputs: Any, targets: np.ndarray, threshold: float) -> float:
    """``accuracy`` of one training batch; integer labels against several outputs take a shorter path."""
    out = _outputs_as_array(outputs)
    if out.ndim == 2 and out.shape[1] > 1 and targets.ndim == 1 and targets.dtype.kind in "iu":
        return np.count_nonzero(out.argmax(axis=1) == targets) / len(targets)  # the number accuracy() gives
    return accuracy(out, targets, threshold)


def _add_penalty_gradients(weights: list, l1: float, l2: float) -> float:
    """Add the gradients of l1·Σ|w| + l2·Σw² to the weights' grads; return the penalty's value.

    The same numbers backprop through ``l1_penalty`` and ``l2_penalty`` would give (sign(w) and
    2w), added directly so that no graph is built for them.
    """
    penalty = 0.0
    for w in weights:
        data = w.data
        if isinstance(data, np.ndarray):
            extra = (2.0 * l2) * data if l2 else np.zeros_like(data)
            if l1:
                extra += l1 * np.sign(data)
                penalty += l1 * float(np.abs(data).sum())
            if l2:
                penalty += l2 * float(np.vdot(data, data))
            if w.grad is None:
                w.grad = extra
            else:
                w.grad += extra
        else:
            sign = (data > 0) - (data < 0)
            w.grad += l1 * sign + 2.0 * l2 * data
            penalty += l1 * abs(data) + l2 * data * data
    return penalty


@contextmanager
def _limited_blas_threads(limit: int | None) -> Iterator[None]:
    """Run with at most ``limit`` BLAS threads (needs threadpoolctl, which scikit-learn brings; else no limit).

    For small matrices one thread is faster, and does not stall when other programs keep the
    cores busy: threads that wait on each other lose far more than they gain.
    """
    if limit is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield


def _check_optimizer_belongs_to(model: Any, params: list) -> None:
    """Refuse an optimiser over parameters the model does not have: it would train nothing."""
    if not callable(getattr(model, "parameters", None)):
        return  # a plain function: nothing to compare with
    own = {id(p) for p in model.parameters()}
    foreign = [i for i, p in enumerate(params) if id(p) not in own]
    if foreign:
        raise ValueError(
            f"the optimizer holds {len(foreign)} of its {len(params)} parameters that are not this model's "
            f"(parameter {foreign[0]} first), so training would not change the model: "
            "build it from this model, e.g. Adam(model.parameters())"
        )


def _check_positive_int(name: str, value: Any, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def fit(
    model: Any,
    loss_fn: Callable | str,
    optimizer: Optimizer,
    data: tuple[Any, Any] | DataLoader,
    epochs: int = 10,
    batch_size: int | None = 32,
    validation: tuple[Any, Any] | None = None,
    scheduler: Any = None,
    clip_grad_norm: float | None = None,
    l1: float = 0.0,
    l2: float = 0.0,
    penalty_per_example: bool = False,
    early_stopping: int | None = None,
    min_delta: float = 0.0,
    restore_best_weights: bool = True,
    shuffle: bool = True,
    seed: Any = None,
    progress: bool = True,
    track_grad_norms: bool = True,
    callback: Callable[[int, History], bool | None] | None = None,
    blas_threads: int | None = None,
    on_divergence: str = "warn",
) -> History:
    """Train ``model`` and return the ``History`` of the run.

    Each step: clear the gradients, run the model on a mini-batch, compute ``loss_fn(outputs,
    targets)`` (a function from ``nn.losses`` or its name: ``"mse"``, ``"cross_entropy"``,
    ``"bce_with_logits"``, ...) plus the optional penalties ``l1·Σ|w|`` and ``l2·Σw²`` on the
    weights (not the biases), backpropagate, record each layer's gradient norm, clip the
    gradients to ``clip_grad_norm`` if given, and let ``optimizer`` step.

    ``penalty_per_example`` divides ``l1`` and ``l2`` by the number of examples in each batch
    (scikit-learn's convention: its ``alpha/2·Σw²`` is divided by the batch size, the last,
    smaller batch included).

    ``data`` is ``(X, y)`` (X: examples × features) or a ``DataLoader``. ``batch_size=None``
    uses the whole set per step (full batch, as ``LBFGS`` always does). Mini-batches are drawn
    in a new order every epoch from ``seed``. After each epoch: the model is evaluated on
    ``validation`` (if given), ``scheduler.step()`` is called, and ``callback(epoch, history)``
    runs (returning True from it stops training). ``early_stopping=patience`` stops after
    ``patience`` epochs without the validation loss improving by more than ``min_delta``, then
    (``restore_best_weights``) puts back the weights of the best epoch. ``progress`` shows a
    tqdm bar (printed lines without tqdm). ``blas_threads`` caps the threads of NumPy's matrix
    products while training (1 is fastest for small networks; None leaves NumPy's setting).

    Losses recorded are the data loss, without the penalties, so the training and validation
    curves compare like with like.

    A NaN or infinite loss or gradient raises ``TrainingDiverged``. A loss that stays finite
    but grows to ``DIVERGENCE_FACTOR`` (1000) times the first step's is reported by
    ``on_divergence``: ``"warn"`` (a ``TrainingDivergenceWarning``, once), ``"raise"``
    (``TrainingDiverged``) or ``"ignore"``; either names the epoch, the step and the layer
    whose gradient grew most.
    """
    loss_fn = _resolve_loss(loss_fn)
    summed_loss = getattr(loss_fn, "reduction", "mean") == "sum"  # the epoch loss is then a sum too, like val_loss
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn.optim optimiser, got {type(optimizer).__name__}")
    _check_positive_int("epochs", epochs)
    _check_positive_int("batch_size", batch_size, allow_none=True)
    _check_positive_int("early_stopping", early_stopping, allow_none=True)
    _check_positive_int("blas_threads", blas_threads, allow_none=True)
    for name, value in (("l1", l1), ("l2", l2)):
        if not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if clip_grad_norm is not None and not (isinstance(clip_grad_norm, numbers.Real) and clip_grad_norm > 0):
        raise ValueError(f"clip_grad_norm must be a positive number or None, got {clip_grad_norm!r}")
    if early_stopping is not None and validation is None:
        raise ValueError("early_stopping watches the validation loss: pass validation=(X_val, y_val)")
    if on_divergence not in _ON_DIVERGENCE:
        raise ValueError(f"on_divergence must be one of {_ON_DIVERGENCE}, got {on_divergence!r}")

    params = list(optimizer.params)
    _check_optimizer_belongs_to(model, params)
    tensor_engine = _is_tensor_model(params)
    dtype = _parameter_dtype(params)
    full_batch = isinstance(optimizer, LBFGS)

    if isinstance(data, DataLoader):
        loader = data
        y_all = data.y
        _check_finite(np.asarray(loader.X), "data", "X")
    else:
        X, y_all = _as_arrays(data, "data")
        if tensor_engine:
            X = X.astype(dtype, copy=False)
        size = len(X) if (batch_size is None or full_batch) else batch_size
        loader = DataLoader(X, y_all, batch_size=size, shuffle=shuffle and not full_batch, seed=seed)
    if loader.y is None:
        raise ValueError("fit needs targets: data must be (X, y) or a DataLoader with y")
    if validation is not None:
        X_val, y_val = _as_arrays(validation, "validation")
        if tensor_engine:
            X_val = X_val.astype(dtype, copy=False)
        # What evaluate() would work out every epoch, worked out once.
        val_tensor_engine, val_dtype = _engine_of(model)
        if val_tensor_engine:
            X_val = X_val.astype(val_dtype, copy=False)
        val_labels = _looks_like_labels(y_val)

    labels = _looks_like_labels(np.asarray(y_all))
    threshold = _threshold_for(loss_fn)
    has_modules = callable(getattr(model, "named_modules", None))
    groups = parameter_groups(model) if has_modules else parameter_groups(params)
    penalised = weight_parameters(model) if has_modules else params

    history = History()
    if track_grad_norms:
        history.grad_norms = OrderedDict((name, []) for name in groups)
    state = {"best_loss": math.inf, "best_weights": None, "waited": 0}
    watch = _DivergenceWatch(on_divergence)

    def closure_for(xb: np.ndarray, yb: np.ndarray, record: dict[str, Any]) -> Callable[[], float]:
        """Clear grads, forward, backward, add the penalties' gradients; return the penalised loss."""

        def closure() -> float:
            optimizer.zero_grad()
            outputs = _forward(model, xb, tensor_engine, dtype)
            loss = loss_fn(outputs, yb)
            loss.backward()
            loss_value = float(loss.item())
            penalty = 0.0
            if l1 or l2:
                scale = 1.0 / len(yb) if penalty_per_example else 1.0
                penalty = _add_penalty_gradients(penalised, l1 * scale, l2 * scale)
            if "loss" not in record:  # the first evaluation is the step's
                record.update(loss=loss_value, outputs=outputs, norms=_group_norms(groups))
            return loss_value + penalty

        return closure

    def run_epoch(epoch: int) -> None:
        if hasattr(model, "train"):
            model.train()
        loss_sum = correct_sum = 0.0
        seen = 0
        for step, (xb, yb) in enumerate(loader, start=1):
            record: dict[str, Any] = {}
            closure = closure_for(xb, yb, record)
            if full_batch:
                optimizer.step(closure)
            else:
                closure()
            loss_value, norms = record["loss"], record["norms"]
            if not math.isfinite(loss_value + sum(norms.values())):  # one check covers every number
                history.step_loss.append(loss_value)
                raise _diverged(epoch, step, loss_value, _nonfinite_layers(groups, norms), history)
            watch.check(epoch, step, loss_value, norms, history)
            if track_grad_norms:
                for name, value in norms.items():
                    history.grad_norms[name].append(value)
            if not full_batch:
                if clip_grad_norm is not None:
                    clip_grad_norm_(params, clip_grad_norm)
                optimizer.step()
            history.step_loss.append(loss_value)
            # A mean over the batch counts once per example; a sum already adds the examples up.
            loss_sum += loss_value if summed_loss else loss_value * len(yb)
            seen += len(yb)
            if labels:
                correct_sum += _batch_accuracy(record["outputs"], yb, threshold) * len(yb)
        history.train_loss.append(loss_sum if summed_loss else loss_sum / seen)
        if labels:
            history.train_accuracy.append(correct_sum / seen)
        history.lr.append(optimizer.lr)

    def validate(epoch: int, summary: dict[str, float]) -> None:
        outputs = _predict(model, X_val, val_tensor_engine)  # the numbers evaluate(model, loss_fn, validation) gives
        with no_grad():
            val_loss = float(loss_fn(Tensor(outputs), y_val).item())
        val_accuracy = accuracy(outputs, y_val, threshold) if val_labels else None
        history.val_loss.append(val_loss)
        summary["val_loss"] = val_loss
        if val_accuracy is not None:
            history.val_accuracy.append(val_accuracy)
            summary["val_acc"] = val_accuracy
        if val_loss < state["best_loss"] - min_delta:
            state.update(best_loss=val_loss, waited=0)
            history.best_epoch = epoch
            if early_stopping is not None and restore_best_weights and has_modules:
                state["best_weights"] = model.state_dict()
        else:
            state["waited"] += 1

    bar = _Progress(epochs, progress)
    try:
        with _limited_blas_threads(blas_threads):
            for epoch in range(1, epochs + 1):
                run_epoch(epoch)
                summary = {"loss": history.train_loss[-1]}
                if validation is not None:
                    validate(epoch, summary)
                if scheduler is not None:
                    scheduler.step()
                bar.update(epoch, summary)
                if callback is not None and callback(epoch, history) is True:
                    break  # the callback asked to stop
                if early_stopping is not None and state["waited"] >= early_stopping:
                    history.stopped_early = True
                    break
    finally:
        bar.close()
    if state["best_weights"] is not None and history.stopped_early:
        model.load_state_dict(state["best_weights"])
    return history
