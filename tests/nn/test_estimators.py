"""MLPClassifier / MLPRegressor: scikit-learn estimators in full, side by side with scikit-learn's own MLPs."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler as SklearnStandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from nn import History
from nn.data import StandardScaler, load_digits, make_moons, make_multi_gaussian, make_plane, train_test_split
from nn.estimators import MLPClassifier, MLPRegressor


# ---------------------------------------------------------------------- scikit-learn's own checks
@parametrize_with_checks([MLPClassifier(), MLPRegressor()])
def test_scikit_learn_estimator_checks(estimator, check):
    """Every check scikit-learn generates for these estimators, none expected to fail.

    The default settings (100 hidden units, 200 epochs) are the ones held to the checks, as
    scikit-learn's MLPs are. A check that fails fails this test; those scikit-learn itself skips
    (pandas not installed, array API off) show as skipped.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the checks train for few epochs on purpose
        check(estimator)


def test_importing_nn_does_not_import_scikit_learn():
    """``import nn`` works without scikit-learn; asking for an estimator then says what to install."""
    code = "\n".join([
        "import sys",
        "import nn",
        "assert 'sklearn' not in sys.modules, 'import nn loaded scikit-learn'",
        "sys.modules['sklearn'] = None  # as if it were not installed",
        "try:",
        "    nn.MLPClassifier",
        "except ModuleNotFoundError as error:",
        "    assert 'retrograd[sklearn]' in str(error), error",
        "else:",
        "    raise AssertionError('nn.MLPClassifier without scikit-learn did not fail')",
    ])
    subprocess.run([sys.executable, "-c", code], check=True)


def test_they_are_what_scikit_learn_takes_them_for():
    assert is_classifier(MLPClassifier()) and is_regressor(MLPRegressor())
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")  # as scikit-learn: only stochastic solvers
    assert hasattr(MLPClassifier(solver="sgd"), "partial_fit") and hasattr(MLPRegressor(), "partial_fit")
    assert set(SklearnMLPClassifier().get_params()) <= set(MLPClassifier().get_params())
    assert set(SklearnMLPRegressor().get_params()) <= set(MLPRegressor().get_params())


# ---------------------------------------------------------------------- the same steps as scikit-learn
def _linear_layers(estimator):
    from nn.layers import Linear

    return [layer for layer in estimator.model_.modules() if isinstance(layer, Linear)]


def _step_data(kind):
    X, y = load_digits()
    X, y = X[:250] / 16.0, y[:250]
    if kind == "two classes":
        y = y % 2
    elif kind == "regression":
        y = y / 9.0
    elif kind == "counts":
        y = y.astype(float)
    return X, y


_STEP_CASES = [
    ("ten classes", "adam", "relu", {}),
    ("two classes", "adam", "logistic", {}),
    ("ten classes", "sgd", "tanh", {}),
    ("ten classes", "sgd", "relu", {"learning_rate": "invscaling", "power_t": 0.25, "learning_rate_init": 0.1}),
    # tol so large that every epoch stalls: "adaptive" divides the rate by 5 every other epoch.
    ("two classes", "sgd", "tanh", {"learning_rate": "adaptive", "tol": 100.0, "n_iter_no_change": 1,
                                    "max_iter_after": 8}),
    ("regression", "adam", "tanh", {}),
    ("counts", "adam", "tanh", {"loss": "poisson"}),
]


@pytest.mark.parametrize("kind, solver, activation, extra", _STEP_CASES)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
def test_fit_takes_scikit_learns_steps_from_the_same_weights(kind, solver, activation, extra, weighted):
    """The same starting weights, no shuffling: after 4 more epochs both have the same weights (float64).

    250 examples in batches of 64, so every epoch ends with a smaller batch of 58. Each side is
    first fitted for one epoch to build its network; scikit-learn's is then given our weights and
    both continue with ``warm_start``. With ``sample_weight`` every example counts 0 to 3 times
    (some batches' weights then add up to far less than their size).
    """
    X, y = _step_data(kind)
    extra = dict(extra)
    epochs = extra.pop("max_iter_after", 4)
    regression = kind in ("regression", "counts")
    ours_class, theirs_class = (MLPRegressor, SklearnMLPRegressor) if regression else (
        MLPClassifier, SklearnMLPClassifier)
    settings = {"hidden_layer_sizes": (16,), "activation": activation, "solver": solver, "alpha": 1e-2,
                "batch_size": 64, "learning_rate_init": 0.01, "shuffle": False, "max_iter": 1, "random_state": 0,
                **extra}
    weights = np.random.default_rng(1).uniform(0, 3, len(X)) * (np.arange(len(X)) % 7 != 0) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = ours_class(**settings).fit(X, y, sample_weight=weights)
        theirs = theirs_class(**settings).fit(X, y, sample_weight=weights)
        theirs.coefs_ = [coef.copy() for coef in ours.coefs_]
        theirs.intercepts_ = [intercept.copy() for intercept in ours.intercepts_]
        for model in (ours, theirs):
            model.set_params(warm_start=True, max_iter=epochs).fit(X, y, sample_weight=weights)
    assert ours.n_iter_ == theirs.n_iter_ and ours.t_ == theirs.t_
    for mine, other in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True):
        np.testing.assert_allclose(mine, other, rtol=1e-9, atol=1e-12)
    # The loss of each epoch is scikit-learn's too (penalty included); the first differs: other start weights.
    np.testing.assert_allclose(ours.loss_curve_[1:], theirs.loss_curve_[1:], rtol=1e-9)
    assert ours.best_loss_ == pytest.approx(theirs.best_loss_, rel=1e-9)
    if extra.get("learning_rate") == "adaptive":
        assert ours._optimizer.lr == pytest.approx(theirs._optimizer.learning_rate)
        assert ours._optimizer.lr < 0.01 / 5


def _scikit_learn_initial_weights(widths, random_state, factor=6.0):
    """The weights scikit-learn's MLP starts from: per layer, uniform weights then biases, from one RandomState."""
    rng = np.random.RandomState(random_state)
    arrays = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        bound = np.sqrt(factor / (fan_in + fan_out))
        arrays.append((rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)))
    return arrays


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
def test_partial_fit_epoch_by_epoch_takes_scikit_learns_steps(weighted):
    """``partial_fit`` called four times, epoch by epoch, from the same weights: the same weights after each.

    The optimiser's state (Adam's moments) carries over from one call to the next on both sides.
    scikit-learn's network is started from our weights: it is built by one call, then given our
    initial weights and a fresh optimiser.
    """
    X, y = _step_data("ten classes")
    settings = {"hidden_layer_sizes": (16,), "alpha": 1e-2, "batch_size": 64, "learning_rate_init": 0.01,
                "shuffle": False, "random_state": 0}
    weights = np.random.default_rng(2).uniform(0, 2, len(X)) if weighted else None
    classes = np.arange(10)
    ours = MLPClassifier(**settings).partial_fit(X, y, sample_weight=weights, classes=classes)
    ours_start = MLPClassifier(**{**settings, "max_iter": 1, "learning_rate_init": 1e-300})  # too small to move
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours_start.fit(X, y)
    theirs = SklearnMLPClassifier(**settings).partial_fit(X, y, sample_weight=weights, classes=classes)
    theirs.coefs_ = [coef.copy() for coef in ours_start.coefs_]
    theirs.intercepts_ = [intercept.copy() for intercept in ours_start.intercepts_]
    del theirs._optimizer  # scikit-learn makes a fresh one on the next call
    theirs.partial_fit(X, y, sample_weight=weights)
    for epoch in range(4):
        if epoch:
            ours.partial_fit(X, y, sample_weight=weights)
            theirs.partial_fit(X, y, sample_weight=weights)
        for mine, other in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True):
            np.testing.assert_allclose(mine, other, rtol=1e-9, atol=1e-12, err_msg=f"after epoch {epoch + 1}")
    assert ours.n_iter_ == 1 and ours.t_ == 4 * len(X) and len(ours.loss_curve_) == 4
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_[1:], rtol=1e-9)


def test_initial_weights_and_biases_are_drawn_as_scikit_learn_draws_them():
    """Weights and biases uniform in ±√(6/(fan_in+fan_out)), ±√(2/(...)) for logistic; biases not all 0."""
    X, y = make_moons(50, noise=0.1, seed=0)
    for activation, factor in (("relu", 6.0), ("logistic", 2.0)):
        clf = MLPClassifier((300,), activation=activation, max_iter=1, learning_rate_init=1e-300, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        assert [coef.shape for coef in clf.coefs_] == [(2, 300), (300, 1)]
        for coef, intercept in zip(clf.coefs_, clf.intercepts_):
            bound = np.sqrt(factor / sum(coef.shape))
            for values in (coef, intercept):
                assert np.abs(values).max() <= bound * 1.0001
                if values.size >= 300:  # enough draws to come near both ends
                    assert values.max() > 0.9 * bound and values.min() < -0.9 * bound


# ---------------------------------------------------------------------- inside scikit-learn's tools
def _moons(n=200, noise=0.25, seed=0):
    X, y = make_moons(n, noise=noise, seed=seed)
    return X * 3.0 + 5.0, y  # off-centre and wide: standardising the inputs matters


def test_cross_validation_grid_search_pipelines_clone_and_pickle_give_finite_scores():
    X, y = _moons()
    pipeline = make_pipeline(SklearnStandardScaler(), MLPClassifier((16,), learning_rate_init=0.01, max_iter=100,
                                                                    random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a failed fit would be turned into NaN with a warning
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(pipeline, X, y, cv=3)
        assert np.all(np.isfinite(scores)) and scores.min() > 0.8
        search = GridSearchCV(pipeline, {"mlpclassifier__alpha": [1e-4, 1e-1]}, cv=3, n_jobs=2).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ > 0.8 and search.score(X, y) > 0.8

    fitted = search.best_estimator_
    copy = clone(fitted)
    assert copy.get_params()["mlpclassifier__alpha"] == fitted.get_params()["mlpclassifier__alpha"]
    assert not hasattr(copy[-1], "model_")
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict_proba(X), fitted.predict_proba(X))

    reg = make_pipeline(SklearnStandardScaler(), MLPRegressor((16,), learning_rate_init=0.01, max_iter=100,
                                                              random_state=0))
    X_plane, y_plane = make_plane(150, noise=0.1, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        r2 = cross_val_score(reg, X_plane, y_plane, cv=3)
    assert np.all(np.isfinite(r2)) and r2.min() > 0.9


def test_grid_search_over_a_pipeline_picks_what_scikit_learn_picks():
    """A grid where the answer is clear: a linear model against a ReLU network on the moons, weak or strong L2."""
    X, y = _moons(300, noise=0.15)
    grid = {"mlp__activation": ["identity", "relu"], "mlp__alpha": [1e-4, 3.0]}
    best = {}
    for name, estimator in (("ours", MLPClassifier), ("scikit-learn", SklearnMLPClassifier)):
        from sklearn.pipeline import Pipeline

        pipeline = Pipeline([("scale", SklearnStandardScaler()),
                             ("mlp", estimator((32,), learning_rate_init=0.01, max_iter=200, random_state=0))])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search = GridSearchCV(pipeline, grid, cv=3).fit(X, y)
        best[name] = search.best_params_
        scores = dict(zip(map(str, search.cv_results_["params"]), search.cv_results_["mean_test_score"]))
        assert max(scores.values()) - min(scores.values()) > 0.05, scores  # the difference is clear
    assert best["ours"] == best["scikit-learn"] == {"mlp__activation": "relu", "mlp__alpha": 1e-4}


# ---------------------------------------------------------------------- fitted attributes, as scikit-learn's
def digits_split(seed):
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=seed, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_digits_accuracy_matches_scikit_learn_with_the_same_settings():
    """64-64-10, ReLU, Adam (lr 1e-3), batch 200, alpha 1e-4, 50 epochs, on three stratified splits.

    The algorithm is scikit-learn's, but the random weights and batch orders differ, and single
    runs then differ by a few test digits either way (over 30 splits the means were 96.6% and
    96.8%, the paired differences ±1 point). So this checks the mean within one point and each
    split within three.
    """
    from threadpoolctl import threadpool_limits

    ours, theirs = [], []
    with threadpool_limits(1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 50 epochs on purpose
        for seed in range(3):
            X_train, X_test, y_train, y_test = digits_split(seed)
            settings = {"hidden_layer_sizes": (64,), "max_iter": 50, "random_state": seed}
            ours.append(MLPClassifier(**settings).fit(X_train, y_train).score(X_test, y_test))
            theirs.append(SklearnMLPClassifier(**settings).fit(X_train, y_train).score(X_test, y_test))
    assert np.mean(ours) >= np.mean(theirs) - 0.01
    assert min(ours) > 0.95
    assert all(a >= b - 0.03 for a, b in zip(ours, theirs))


def test_fitted_attributes_mean_what_they_mean_in_scikit_learn():
    X_train, X_test, y_train, y_test = digits_split(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=20, random_state=0).fit(X_train, y_train)
        theirs = SklearnMLPClassifier(hidden_layer_sizes=(32, 16), max_iter=20, random_state=0).fit(X_train, y_train)
    for name in ("n_layers_", "n_outputs_", "out_activation_", "n_iter_", "t_", "n_features_in_"):
        assert getattr(clf, name) == getattr(theirs, name), name
    assert [c.shape for c in clf.coefs_] == [c.shape for c in theirs.coefs_] == [(64, 32), (32, 16), (16, 10)]
    assert [b.shape for b in clf.intercepts_] == [b.shape for b in theirs.intercepts_]
    assert len(clf.loss_curve_) == 20 and clf.loss_ == clf.loss_curve_[-1] == clf.best_loss_
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    assert clf.t_ == 20 * len(X_train)
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    # coefs_ are views of model_'s weights: the network that predicts.
    first = clf.coefs_[0]
    assert np.shares_memory(first, _linear_layers(clf)[0].weight.data)
    assert isinstance(clf.history_, History) and list(clf.history_.grad_norms) == ["layers.0", "layers.2", "layers.4"]
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]

    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(clf.predict_log_proba(X_test), np.log(proba), rtol=1e-9, atol=1e-12)
    predicted = clf.predict(X_test)
    np.testing.assert_array_equal(predicted, proba.argmax(axis=1))
    assert clf.score(X_test, y_test) == pytest.approx(np.mean(predicted == y_test))
    weights = (y_test % 2) + 0.5
    assert clf.score(X_test, y_test, sample_weight=weights) == pytest.approx(
        np.sum(weights * (predicted == y_test)) / weights.sum())


def test_early_stopping_keeps_the_best_validation_score():
    X, y = make_moons(300, noise=0.3, seed=0)
    clf = MLPClassifier((64, 64), learning_rate_init=0.01, early_stopping=True, validation_fraction=0.2,
                        n_iter_no_change=5, max_iter=300, random_state=0).fit(X, y)
    assert clf.n_iter_ < 300 and len(clf.validation_scores_) == len(clf.loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_) and clf.best_loss_ is None
    assert clf.t_ == 240 * clf.n_iter_  # 240 training examples, 60 held out
    # Stopped after more than n_iter_no_change epochs that failed to beat the best by tol.
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert clf.n_iter_ - 1 - best_epoch >= 5
    with pytest.raises(ValueError, match="early_stopping"):
        clf.partial_fit(X, y)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_binary_classifier_with_string_labels(solver):
    X, y = make_moons(200, noise=0.1, seed=0)
    names = np.array(["circle", "square"])[y]
    settings = {"adam": {"learning_rate_init": 0.01}, "sgd": {"learning_rate_init": 0.1}, "lbfgs": {}}[solver]
    clf = MLPClassifier((16, 16), activation="tanh", solver=solver, batch_size=32, max_iter=200, random_state=0,
                        **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, names)
    assert list(clf.classes_) == ["circle", "square"] and clf.out_activation_ == "logistic"
    assert clf.score(X, names) > 0.97, solver
    proba = clf.predict_proba(X)
    assert proba.shape == (200, 2)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[(proba[:, 1] > 0.5).astype(int)])


def test_lbfgs_stops_at_max_fun_with_a_warning():
    X, y = make_moons(100, noise=0.2, seed=0)
    with pytest.warns(ConvergenceWarning, match="max_fun=10"):
        clf = MLPClassifier((8,), solver="lbfgs", max_fun=10, random_state=0).fit(X, y)
    assert clf.history_.epochs == 1 and clf.n_iter_ <= 10
    loose = MLPClassifier((8,), solver="lbfgs", random_state=0).fit(X, y)
    assert loose.n_iter_ > clf.n_iter_ and loose.loss_ < clf.loss_
    assert not hasattr(loose, "loss_curve_")  # as scikit-learn: L-BFGS keeps no per-epoch curve


def test_training_stops_when_the_loss_stops_improving():
    """scikit-learn's rule: stop once the loss has failed to beat its best by tol for more than n epochs running."""
    X, y = make_moons(100, noise=0.1, seed=0)
    clf = MLPClassifier((8,), learning_rate_init=0.05, tol=1e-2, n_iter_no_change=3, max_iter=500, random_state=0)
    clf.fit(X, y)
    assert clf.n_iter_ < 500
    best, waited, stopped_at = float("inf"), 0, None
    for epoch, loss in enumerate(clf.loss_curve_, start=1):
        waited = waited + 1 if loss > best - 1e-2 else 0
        best = min(best, loss)
        if waited > 3:  # scikit-learn: _no_improvement_count > n_iter_no_change
            stopped_at = epoch
            break
    assert stopped_at == clf.n_iter_


def test_max_iter_reached_warns_as_scikit_learn_does():
    X, y = make_moons(100, noise=0.1, seed=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        MLPClassifier((8,), max_iter=3).fit(X, y)


def test_regressor_fits_planes_and_bumps():
    X, y = make_plane(300, seed=0)
    # The plane is linear: a network with identity activations (a linear model) fits it exactly.
    reg = MLPRegressor((4,), activation="identity", learning_rate_init=0.01, max_iter=200, random_state=0)
    reg.fit(X, y)
    assert reg.predict(X).shape == (300,) and reg.out_activation_ == "identity"
    assert reg.score(X, y) > 0.999
    X, y = make_multi_gaussian(400, seed=0)
    targets = np.column_stack([y, -2 * y])
    reg = MLPRegressor((32, 32), activation="tanh", learning_rate_init=0.01, batch_size=32, max_iter=200,
                       random_state=0)
    reg.fit(X, targets)
    assert reg.predict(X).shape == (400, 2) and reg.n_outputs_ == 2
    assert reg.score(X, targets) > 0.8


def test_poisson_regressor_predicts_positive_counts():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (400, 2))
    rate = np.exp(1.0 + X[:, 0] - 0.5 * X[:, 1])
    y = rng.poisson(rate)
    reg = MLPRegressor((8,), loss="poisson", learning_rate_init=0.01, max_iter=300, random_state=0).fit(X, y)
    predicted = reg.predict(X)
    assert reg.out_activation_ == "exp" and np.all(predicted > 0)
    assert np.corrcoef(predicted, rate)[0, 1] > 0.95
    with pytest.raises(ValueError, match="poisson"):
        MLPRegressor(loss="poisson").fit(X, -y - 1.0)


def test_same_random_state_same_model():
    X, y = make_moons(100, noise=0.2, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
        second = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
        other = MLPClassifier((8,), max_iter=20, random_state=4).fit(X, y)
        from_random_state = MLPClassifier((8,), max_iter=20, random_state=np.random.RandomState(3)).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert not np.array_equal(first.predict_proba(X), other.predict_proba(X))
    assert from_random_state.n_iter_ == 20


# ---------------------------------------------------------------------- what only these estimators give
def test_scalar_engine_fits_the_same_network_as_the_tensor_engine():
    """``engine="scalar"``: an ``nn.MLP`` of Values, the same weights as the tensor engine after 5 epochs."""
    from nn.scalar import MLP

    X, y = make_moons(24, noise=0.2, seed=0)
    labels = np.array([0, 1, 2])[(y + (X[:, 0] > 1)).astype(int)]
    for target in (y, labels):
        settings = {"hidden_layer_sizes": (3,), "activation": "tanh", "batch_size": 8, "learning_rate_init": 0.05,
                    "max_iter": 5, "random_state": 0}
        weights = np.linspace(0.5, 1.5, len(X))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            scalar = MLPClassifier(engine="scalar", **settings).fit(X, target, sample_weight=weights)
            tensor = MLPClassifier(**settings).fit(X, target, sample_weight=weights)
        assert isinstance(scalar.model_, MLP)
        for mine, other in zip(scalar.coefs_ + scalar.intercepts_, tensor.coefs_ + tensor.intercepts_, strict=True):
            np.testing.assert_allclose(mine, other, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(scalar.predict_proba(X), tensor.predict_proba(X), rtol=1e-9)
        np.testing.assert_allclose(scalar.loss_curve_, tensor.loss_curve_, rtol=1e-9)
    with pytest.warns(ConvergenceWarning, match="L-BFGS stopped after 5 iterations"):
        reg = MLPRegressor((3,), engine="scalar", max_iter=5, random_state=0, solver="lbfgs").fit(X, X[:, 0])
    assert reg.predict(X).shape == (len(X),) and reg.n_iter_ >= 1


def test_scalar_engine_model_can_be_drawn_and_stepped_through():
    """The fitted scalar network is an ``nn.MLP``: one example's loss is a graph viz can step through."""
    viz = pytest.importorskip("viz")
    from nn import losses

    X, y = make_moons(12, noise=0.2, seed=0)
    clf = MLPClassifier((2,), engine="scalar", solver="lbfgs", max_iter=20, random_state=0).fit(X, y)
    logit = clf.model_(list(X[0]))
    loss = losses.binary_cross_entropy_with_logits([logit], [float(y[0])])
    stepper = viz.BackpropStepper(loss, model=clf.model_, level="op")
    assert len(stepper) > 5
    weight = clf.model_.layers[0].neurons[0].w[0]
    assert weight.grad != 0.0 and weight.data == clf.coefs_[0][0, 0]


# ---------------------------------------------------------------------- bad input: scikit-learn's messages
def test_bad_input_gets_scikit_learns_errors():
    X, y = make_moons(20, seed=0)
    clf = MLPClassifier((4,), max_iter=2)
    with pytest.raises(NotFittedError):
        clf.predict(X)
    with pytest.raises(NotFittedError):
        _ = clf.coefs_
    with pytest.raises(ValueError, match="1 class"):
        clf.fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clf.fit(X, y[:10])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        clf.fit(np.full((20, 2), np.nan), y)
    with pytest.raises(ValueError, match="Expected 2D array"):
        clf.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="Complex data not supported"):
        clf.fit(X + 1j, y)
    with pytest.raises(ValueError, match="requires y to be passed"):
        clf.fit(X, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but MLPClassifier is expecting 2 features"):
        clf.predict(np.zeros((20, 3)))
    with pytest.raises(ValueError, match="Input y contains infinity"):
        MLPRegressor(max_iter=2).fit(X, np.full(20, np.inf))
    with pytest.raises(ValueError, match="'alpha' parameter of MLPClassifier must be a float in the range"):
        MLPClassifier(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="Invalid parameter 'epochs'"):
        clf.set_params(epochs=5)


def test_float_targets_are_not_taken_as_classes():
    """100 different floats are a regression target, and a NaN label is no class: both refused, as scikit-learn does."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        MLPClassifier(max_iter=2).fit(X, rng.normal(size=100))
    labels = np.where(X[:, 0] > 0, 1.0, 0.0)
    labels[5] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        MLPClassifier(max_iter=2).fit(X, labels)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        MLPClassifier(max_iter=2).partial_fit(X, labels, classes=[0.0, 1.0])


def test_classes_must_agree_across_calls():
    X, y = make_moons(40, noise=0.1, seed=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        MLPClassifier().partial_fit(X, y)
    clf = MLPClassifier((4,)).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in classes_"):
        clf.partial_fit(X, np.where(y == 1, 2, 0))
    warm = MLPClassifier((4,), max_iter=2, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warm.fit(X, y)
        with pytest.raises(ValueError, match="same classes"):
            warm.fit(X, y + 1)
        with pytest.raises(ValueError, match="fitted network has layers"):
            warm.set_params(hidden_layer_sizes=(5,)).fit(X, y)


def test_sample_weights_that_leave_one_class_predict_that_class():
    X, y = make_moons(40, noise=0.1, seed=0)
    clf = MLPClassifier((8,), learning_rate_init=0.01, random_state=0).fit(X, y, sample_weight=(y == 1) * 1.0)
    np.testing.assert_array_equal(clf.predict(X), np.ones(40))
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        clf.fit(X, y, sample_weight=-np.ones(40))
