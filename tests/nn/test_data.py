"""Data sets, scalers, splits and mini-batches."""

import builtins
import math

import numpy as np
import pytest

from nn.data import (
    Centerer,
    DataLoader,
    MinMaxScaler,
    StandardScaler,
    from_plus_minus_one,
    load_csv,
    load_digits,
    load_wine,
    make_circle,
    make_gaussian,
    make_moons,
    make_multi_gaussian,
    make_plane,
    make_spiral,
    make_xor,
    one_hot,
    to_plus_minus_one,
    train_test_split,
)

CLASSIFICATION = [make_moons, make_circle, make_xor, make_gaussian, make_spiral]
REGRESSION = [make_plane, make_multi_gaussian]


# ---------------------------------------------------------------------- generated sets
@pytest.mark.parametrize("make", CLASSIFICATION + REGRESSION)
def test_generators_reproduce_from_a_seed(make):
    X1, y1 = make(60, noise=0.2, seed=7)
    X2, y2 = make(60, noise=0.2, seed=np.random.default_rng(7))
    X3, _ = make(60, noise=0.2, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (60, 2) and X1.dtype == np.float64 and np.all(np.isfinite(X1))


@pytest.mark.parametrize("make", CLASSIFICATION)
@pytest.mark.parametrize("n", [2, 51, 200])
def test_classification_sets_are_balanced_labels_0_and_1(make, n):
    X, y = make(n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [n // 2, n - n // 2]
    if n >= 51:
        assert 0 < np.mean(y[: n // 2]) < 1  # shuffled: the classes are mixed, not in two blocks


@pytest.mark.parametrize("make,bound", [(make_plane, 1.2), (make_multi_gaussian, 1.0)])
def test_regression_targets_are_floats_in_range(make, bound):
    X, y = make(300, seed=0)
    assert y.shape == (300,) and y.dtype == np.float64
    assert -bound <= y.min() < -0.8 and 0.8 < y.max() <= bound


def test_geometry_of_the_noiseless_sets():
    """Each set is what its name says, checked from its defining rule."""
    X, y = make_circle(400, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.all(radius[y == 1] <= 2.5) and np.all(radius[y == 0] >= 3.5)
    X, y = make_xor(400, seed=0)
    assert np.all((X[:, 0] * X[:, 1] > 0) == (y == 1)) and np.all(np.abs(X) >= 0.3)
    X, y = make_gaussian(400, seed=0)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.2)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.2)
    X, y = make_plane(100, seed=0)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10)
    X, y = make_moons(100, seed=0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0)
    X, y = make_spiral(200, seed=0)
    assert np.max(np.hypot(*X.T)) < 5.0
    # The two arms are point-symmetric: arm 0 is arm 1 turned by half a turn.
    np.testing.assert_allclose(np.sort(np.hypot(*X[y == 0].T)), np.sort(np.hypot(*X[y == 1].T)))
    X, y = make_multi_gaussian(2000, seed=0)
    near = np.hypot(X[:, 0] + 4, X[:, 1] - 2.5) < 0.5  # around the bump of sign + at (-4, 2.5)
    assert np.all(y[near] > 0.7)


def test_noise_moves_points():
    clean, _ = make_circle(200, noise=0.0, seed=3)
    noisy, _ = make_circle(200, noise=0.5, seed=3)
    assert np.abs(clean - noisy).max() > 0.5
    X, y = make_xor(400, noise=0.5, seed=0)
    assert np.mean((X[:, 0] * X[:, 1] > 0) == (y == 1)) < 0.95  # some points crossed an axis


@pytest.mark.parametrize("make", CLASSIFICATION + REGRESSION)
def test_generator_arguments_are_checked(make):
    with pytest.raises(ValueError, match="n_samples"):
        make(0)
    with pytest.raises(ValueError, match="n_samples"):
        make(10.5)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-0.1)
    with pytest.raises(TypeError, match="rng"):
        make(10, seed="seven")


def test_plus_minus_one_round_trip():
    y = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(to_plus_minus_one(y), [-1.0, 1.0, 1.0, -1.0])
    np.testing.assert_array_equal(from_plus_minus_one(to_plus_minus_one(y)), y)
    with pytest.raises(ValueError, match="0 and 1"):
        to_plus_minus_one([0, 2])
    with pytest.raises(ValueError, match="-1 and"):
        from_plus_minus_one([0, 1])


# ---------------------------------------------------------------------- bundled and CSV sets
def test_digits_and_wine_load_from_scikit_learn():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and sorted(set(y.tolist())) == list(range(10))
    X, y = load_wine()
    assert X.shape == (178, 13) and np.bincount(y).tolist() == [59, 71, 48]


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def without_sklearn(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_sklearn)
    with pytest.raises(ImportError, match=r"pip install retrograd\[data\]"):
        load_digits()
    with pytest.raises(ImportError, match="load_wine"):
        load_wine()


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_header_and_class_names(tmp_path):
    path = write(tmp_path, "length,width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n\n6.3,3.3,setosa\n")
    X, y, features, classes = load_csv(path, target_column="species", return_names=True)
    np.testing.assert_array_equal(X, [[5.1, 3.5], [7.0, 3.2], [6.3, 3.3]])
    np.testing.assert_array_equal(y, [0, 1, 0])
    assert features == ["length", "width"] and classes == ["setosa", "versicolor"]


def test_csv_numeric_targets_without_header_and_other_delimiter(tmp_path):
    path = write(tmp_path, "1;0.5;2\n3;1.5;0\n4;2.5;1\n")
    X, y = load_csv(path, target_column=0, delimiter=";")
    np.testing.assert_array_equal(X, [[0.5, 2], [1.5, 0], [2.5, 1]])
    assert y.dtype == np.int64 and y.tolist() == [1, 3, 4]
    X, y = load_csv(path, target_column=1, delimiter=";")
    assert y.dtype == np.float64 and y.tolist() == [0.5, 1.5, 2.5]
    _, y = load_csv(path, target_column=0, delimiter=";", target_type="number")
    assert y.dtype == np.float64
    _, y = load_csv(path, target_column=-1, delimiter=";", target_type="class")
    assert y.tolist() == [2, 0, 1]


def test_csv_round_trips_a_generated_set(tmp_path):
    X, y = make_moons(40, noise=0.1, seed=0)
    path = tmp_path / "moons.csv"
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header="x,y,label", comments="", fmt="%.17g")
    X_read, y_read = load_csv(path, target_column="label")
    np.testing.assert_array_equal(X_read, X)
    np.testing.assert_array_equal(y_read, y)


@pytest.mark.parametrize(
    "text,kwargs,error,match",
    [
        ("a,b\n1,2,3\n", {}, ValueError, "line 2: 3 columns"),
        ("a,b,c\n1,x,0\n", {}, ValueError, r"line 2, column 'b': 'x' is not a number"),
        ("a,b,c\n1,,0\n", {}, ValueError, "line 2, column 'b': empty cell"),
        ("a,b,c\n1,2,\n", {}, ValueError, "line 2: the target cell is empty"),
        ("a,b,c\n1,2,0\n", {"target_column": "d"}, ValueError, "no column named 'd'"),
        ("a,b,c\n1,2,0\n", {"target_column": 5}, ValueError, "out of range"),
        ("a,b,c\n", {}, ValueError, "no examples"),
        ("", {}, ValueError, "no rows"),
        ("1\n2\n", {}, ValueError, "at least one feature"),
        ("a,b,c\n1,2,x\n", {"target_type": "number"}, ValueError, "'x' is not a number"),
        ("1,2,0\n", {"target_column": "a", "header": False}, ValueError, "header=False"),
        ("1,2,0\n", {"target_column": 1.5}, TypeError, "column index or name"),
    ],
)
def test_csv_errors_name_line_and_column(tmp_path, text, kwargs, error, match):
    with pytest.raises(error, match=match):
        load_csv(write(tmp_path, text), **kwargs)


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity"])
def test_load_csv_refuses_a_non_finite_feature_naming_line_and_column(tmp_path, cell):
    """A "NaN" cell is a missing value: it must be refused like an empty cell, not read as a float NaN."""
    path = tmp_path / "data.csv"
    path.write_text(f"a,b,label\n1.0,2.0,0\n3.0,{cell},1\n")
    with pytest.raises(ValueError, match=r"line 3, column 'b'.*not a finite number"):
        load_csv(path)


def test_load_csv_refuses_a_non_finite_numeric_target(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1.0,2.0,0.5\n3.0,4.0,nan\n")
    with pytest.raises(ValueError, match=r"line 2.*target.*not a finite number"):
        load_csv(path, target_type="number")


def test_csv_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "nowhere.csv")


# ---------------------------------------------------------------------- one-hot
def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0, 1], 4), [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert one_hot(np.array([1.0, 0.0])).shape == (2, 2)
    assert one_hot([1], 3, dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize(
    "labels,classes,error,match",
    [
        ([0, 3], 3, ValueError, r"label 3 is outside \[0, 3\)"),
        ([-1, 0], 3, ValueError, "label -1"),
        ([0.5], 3, ValueError, "whole numbers"),
        ([[0, 1]], 3, ValueError, "one-dimensional"),
        (["a"], 3, TypeError, "integers"),
        ([0, 1], 0, ValueError, "num_classes"),
        ([], None, ValueError, "num_classes"),
    ],
)
def test_one_hot_checks_its_labels(labels, classes, error, match):
    with pytest.raises(error, match=match):
        one_hot(labels, classes)


# ---------------------------------------------------------------------- scalers
def train_and_test(seed=0):
    rng = np.random.default_rng(seed)
    train = rng.normal([10.0, -3.0, 0.0], [5.0, 0.1, 2.0], size=(200, 3))
    test = rng.normal([12.0, -3.5, 1.0], [5.0, 0.1, 2.0], size=(50, 3))
    return train, test


def test_standard_scaler_fits_on_train_only():
    train, test = train_and_test()
    scaler = StandardScaler().fit(train)
    scaled_train, scaled_test = scaler.transform(train), scaler.transform(test)
    np.testing.assert_allclose(scaled_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(scaled_train.std(axis=0), 1, atol=1e-12)
    # The test set uses the training mean and std, so it is not itself centred.
    np.testing.assert_allclose(scaled_test, (test - train.mean(axis=0)) / train.std(axis=0))
    assert abs(scaled_test[:, 1].mean()) > 1
    np.testing.assert_allclose(scaler.inverse_transform(scaled_test), test)


def test_standard_scaler_matches_scikit_learn():
    from sklearn import preprocessing

    train, test = train_and_test(1)
    ours, theirs = StandardScaler().fit(train), preprocessing.StandardScaler().fit(train)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), rtol=1e-12)
    ours, theirs = MinMaxScaler((-1, 1)).fit(train), preprocessing.MinMaxScaler((-1, 1)).fit(train)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), rtol=1e-12)


def test_centerer_and_constant_features():
    X = np.array([[1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_array_equal(Centerer().fit_transform(X), [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(StandardScaler().fit_transform(X), [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(MinMaxScaler().fit_transform(X), [[0.0, 0.0], [1.0, 0.0]])


def test_min_max_scaler_maps_train_range_and_inverts():
    train, test = train_and_test()
    scaler = MinMaxScaler(feature_range=(-1, 1)).fit(train)
    scaled = scaler.transform(train)
    np.testing.assert_allclose(scaled.min(axis=0), -1)
    np.testing.assert_allclose(scaled.max(axis=0), 1)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(test)), test)


@pytest.mark.parametrize("make", [StandardScaler, MinMaxScaler, Centerer])
def test_scaler_errors(make):
    scaler = make()
    with pytest.raises(RuntimeError, match="not fitted"):
        scaler.transform(np.ones((2, 3)))
    scaler.fit(np.arange(6.0).reshape(3, 2))
    with pytest.raises(ValueError, match=r"\(4, 3\).*2 features"):
        scaler.transform(np.ones((4, 3)))
    with pytest.raises(ValueError, match="2-D"):
        scaler.fit(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        scaler.fit(np.array([[1.0], [math.nan]]))
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler((1, 1))


def test_scaler_of_strings_is_a_clear_error():
    with pytest.raises(TypeError, match=r"StandardScaler.fit: X must hold numbers"):
        StandardScaler().fit([["a", "b"]])
    with pytest.raises(TypeError, match=r"MinMaxScaler.fit: X must hold numbers"):
        MinMaxScaler().fit([["a", "b"]])


# ---------------------------------------------------------------------- splitting
def test_split_sizes_and_reproducibility():
    X, y = np.arange(100).reshape(50, 2), np.arange(50)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=3)
    assert len(X_train) == 40 and len(X_test) == 10
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)  # rows stay paired
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(50))
    again = train_test_split(X, y, test_size=0.2, seed=3)
    np.testing.assert_array_equal(again[3], y_test)
    _, last = train_test_split(X, test_size=5, shuffle=False)
    np.testing.assert_array_equal(last, X[45:])


def test_stratified_split_keeps_proportions():
    y = np.array([0] * 70 + [1] * 20 + [2] * 10)
    X = np.arange(100.0)[:, None]
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0, stratify=y)
    assert np.bincount(y_test).tolist() == [21, 6, 3]
    assert np.bincount(y_train).tolist() == [49, 14, 7]
    # Unstratified splits of a small set drift from the proportions for some seeds.
    drift = [np.bincount(train_test_split(X, y, test_size=0.3, seed=s)[3], minlength=3)[2] for s in range(20)]
    assert any(count != 3 for count in drift)
    _, _, _, y_test = train_test_split(X, y, test_size=0.3, seed=5, stratify=True)
    assert np.bincount(y_test).tolist() == [21, 6, 3]


def test_split_errors():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(ValueError, match="10 examples but y has 9"):
        train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(X, y, test_size=10)
    with pytest.raises(ValueError, match="single example"):
        train_test_split(X, y, stratify=[0] * 9 + [1])
    with pytest.raises(ValueError, match="shuffle"):
        train_test_split(X, y, stratify=y, shuffle=False)


# ---------------------------------------------------------------------- mini-batches
def test_loader_covers_every_example_once_per_epoch():
    X, y = np.arange(23).reshape(23, 1), np.arange(23)
    loader = DataLoader(X, y, batch_size=5, seed=0)
    assert len(loader) == 5
    epochs = []
    for _ in range(2):
        batches = list(loader)
        assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
        for xb, yb in batches:
            np.testing.assert_array_equal(xb[:, 0], yb)
        seen = np.concatenate([yb for _, yb in batches])
        assert sorted(seen.tolist()) == list(range(23))
        epochs.append(seen)
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled each epoch
    replay = DataLoader(X, y, batch_size=5, seed=0)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in replay]), epochs[0])


def test_loader_in_order_drop_last_and_without_labels():
    X = np.arange(10.0)[:, None]
    loader = DataLoader(X, batch_size=4, shuffle=False, drop_last=True)
    batches = list(loader)
    assert len(loader) == 2 and [b[:, 0].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_loader_errors():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(np.zeros((3, 1)), batch_size=0)
    with pytest.raises(ValueError, match="3 examples but y has 2"):
        DataLoader(np.zeros((3, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="at least one example"):
        DataLoader(np.zeros((0, 1)))
