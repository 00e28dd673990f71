"""Case 5: the 8×8 digits, an MLP 64-64-10 trained with Adam for 50 epochs, ours against scikit-learn.

Both get the same float32 data (pixels / 16), the same split and the same settings: one hidden
layer of 64 ReLUs, Adam with learning rate 1e-3, L2 penalty 1e-4, minibatches of 200, 50 epochs
(no early stop). Reported: the time of ``fit`` and the accuracy on the held-out quarter, both
over the same seeds for the two libraries.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from .report import NOT_INSTALLED, Row
from .timing import time_paired

SETTINGS = {
    "hidden_layer_sizes": (64,),
    "activation": "relu",
    "solver": "adam",
    "alpha": 1e-4,
    "batch_size": 200,
    "learning_rate_init": 1e-3,
    "shuffle": True,
    "tol": 0.0,
}


def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train X, train y, test X, test y): scikit-learn's digits scaled to 0…1, a fixed random quarter held out."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    order = np.random.default_rng(0).permutation(len(X))
    test, train = order[: len(X) // 4], order[len(X) // 4 :]
    return X[train], y[train], X[test], y[test]


def _trainer(make_classifier: Callable, epochs: int, data: tuple) -> tuple[Callable[[], None], list[float]]:
    """A function that fits a fresh classifier, and the list of test accuracies it appends to.

    Call ``k`` uses ``random_state=k``: paired repeats give both libraries the same seeds, and
    the accuracy is averaged over seeds rather than read from one lucky or unlucky run.
    """
    X_train, y_train, X_test, y_test = data
    accuracies: list[float] = []

    def fit() -> None:
        classifier = make_classifier(
            max_iter=epochs, n_iter_no_change=epochs + 1, random_state=len(accuracies), **SETTINGS
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn warns that 50 epochs did not converge
            classifier.fit(X_train, y_train)
        accuracies.append(float(np.mean(classifier.predict(X_test) == y_test)))

    return fit, accuracies


def digits(quick: bool = False) -> list[Row]:
    """Time ``fit`` for 50 epochs and score on the test quarter, ours against ``sklearn.neural_network``."""
    from nn.estimators import MLPClassifier

    epochs, repeats = (2, 1) if quick else (50, 10)
    case = f"5 digits 64-64-10, Adam, {epochs} epochs"
    try:
        from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

        data = _digits()
    except ImportError:
        return [Row(f"{case}: fit time", "s", "needs scikit-learn (the data)", peers={"scikit-learn": NOT_INSTALLED})]

    our_fit, ours = _trainer(MLPClassifier, epochs, data)
    their_fit, theirs = _trainer(SklearnMLPClassifier, epochs, data)
    timings = time_paired({"ours": our_fit, "scikit-learn": their_fit}, repeats, warmup=0)
    time_ratio = timings.ratio("ours", "scikit-learn")
    our_accuracy, their_accuracy = float(np.mean(ours)), float(np.mean(theirs))
    accuracy_ratio = our_accuracy / their_accuracy
    held_out = len(data[3])
    return [
        Row(
            f"{case}: fit time",
            "s",
            timings.median("ours"),
            peers={"scikit-learn": timings.median("scikit-learn")},
            ratios={"scikit-learn": time_ratio},
            target="≤ 1.0× scikit-learn",
            met=time_ratio <= 1.0,
        ),
        Row(
            f"{case}: test accuracy ({held_out} digits held out), mean of seeds 0-{repeats - 1}",
            "%",
            100 * our_accuracy,
            peers={"scikit-learn": 100 * their_accuracy},
            ratios={"scikit-learn": accuracy_ratio},
            target="≥ 1.0× scikit-learn",
            met=accuracy_ratio >= 1.0,
            check=(
                f"better than chance (10%) for every seed; spread over seeds: ours {100 * np.std(ours):.1f}, "
                f"scikit-learn {100 * np.std(theirs):.1f} points"
            ),
            passed=min(ours) > 0.1,
        ),
    ]
