"""Saving and loading models: round trips, atomic writes, refusing pickles and mismatched files."""

import os
import zipfile

import numpy as np
import pytest

import nn
from nn import MLP, StateDictError


def _numbers(model):
    return [float(v) for v in np.concatenate([a.reshape(-1) for a in model.state_dict().values()])]


def test_state_dict_round_trip_between_models_with_different_seeds():
    source, target = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    assert _numbers(source) != _numbers(target)
    target.load_state_dict(source.state_dict())
    assert _numbers(target) == _numbers(source)
    x = [0.3, -1.2]
    assert target(x).data == source(x).data


def test_state_dict_is_a_copy():
    model = MLP(2, [2, 1], seed=0)
    state = model.state_dict()
    first = next(iter(state))
    state[first][...] = 123.0
    assert dict(model.named_parameters())[first].data != 123.0


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "model.npz"
    source = MLP(2, [4, 4, 1], activation="relu", seed=3)
    source.save(path)
    restored = MLP(2, [4, 4, 1], activation="relu", seed=99).load(path)
    assert _numbers(restored) == _numbers(source)
    assert sorted(os.listdir(tmp_path)) == ["model.npz"], "no temporary file is left behind"


def test_saved_file_holds_one_named_array_per_parameter(tmp_path):
    path = tmp_path / "model.npz"
    model = MLP(2, [3, 1], seed=0)
    model.save(path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(name for name, _ in model.named_parameters())
        assert archive["layers.0.neurons.0.w.1"] == model.layers[0].neurons[0].w[1].data


@pytest.mark.parametrize("failing", ["savez", "replace"])
def test_a_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch, failing):
    path = tmp_path / "model.npz"
    old = MLP(2, [3, 1], seed=1)
    old.save(path)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full (simulated)")

    if failing == "savez":
        monkeypatch.setattr(np, "savez", broken)
    else:
        monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="simulated"):
        MLP(2, [3, 1], seed=2).save(path)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.npz"], "the temporary file is removed"
    assert _numbers(MLP(2, [3, 1], seed=5).load(path)) == _numbers(old)


def test_a_file_holding_pickled_objects_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    model = MLP(2, [1], seed=0)
    arrays = {name: np.array(p.data) for name, p in model.named_parameters()}
    arrays["layers.0.neurons.0.b"] = np.array([{"payload": "not an array"}], dtype=object)
    np.savez(path, **arrays)
    before = _numbers(model)
    with pytest.raises(StateDictError, match="pickled objects"):
        model.load(path)
    assert _numbers(model) == before


def test_a_corrupted_file_raises_and_leaves_the_model_unchanged(tmp_path):
    path = tmp_path / "model.npz"
    model = MLP(2, [3, 1], seed=0)
    MLP(2, [3, 1], seed=1).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated mid-write
    before = _numbers(model)
    with pytest.raises(StateDictError, match="not a readable .npz"):
        model.load(path)
    assert _numbers(model) == before

    path.write_bytes(b"this is not a zip file")
    with pytest.raises(StateDictError):
        model.load(path)
    assert _numbers(model) == before


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        MLP(2, [1]).load(tmp_path / "absent.npz")


def test_a_different_architecture_raises_and_leaves_the_model_unchanged(tmp_path):
    path = tmp_path / "model.npz"
    MLP(2, [4, 1], seed=0).save(path)
    model = MLP(2, [3, 1], seed=1)
    before = _numbers(model)
    with pytest.raises(StateDictError, match="missing .*unexpected") as error:
        model.load(path)
    assert "layers.0.neurons.3" in str(error.value), "the message names the parameters that do not fit"
    assert _numbers(model) == before


def test_wrong_shape_or_dtype_raises_before_anything_is_written():
    model = MLP(2, [2, 1], seed=0)
    before = _numbers(model)
    good = model.state_dict()
    names = list(good)

    wrong_shape = dict(good)
    wrong_shape[names[0]] = np.ones(1)
    wrong_shape[names[-1]] = np.array(42.0)  # a good entry after the bad one: must not be written either
    with pytest.raises(StateDictError, match=r"shape \(1,\).*\(\)"):
        model.load_state_dict(wrong_shape)
    assert _numbers(model) == before

    wrong_dtype = dict(good)
    wrong_dtype[names[-1]] = np.array(1, dtype=np.int64)
    with pytest.raises(StateDictError, match="dtype int64"):
        model.load_state_dict(wrong_dtype)
    assert _numbers(model) == before

    not_finite = dict(good)
    not_finite[names[1]] = np.array(np.nan)
    with pytest.raises(StateDictError, match="NaN"):
        model.load_state_dict(not_finite)
    assert _numbers(model) == before


def test_zip_with_a_bad_member_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("layers.0.neurons.0.b.npy", b"\x93NUMPY garbage")
    with pytest.raises(StateDictError):
        MLP(1, [1]).load(path)


def test_module_finds_parameters_in_attributes_lists_and_submodules():
    from autograd import Value

    class Pair(nn.Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.inner = MLP(1, [1], seed=0)
            self.extras = [Value(1.0), Value(3.0)]

        def forward(self, x):
            return self.scale * self.inner([x]) + self.extras[0]

    model = Pair()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scale", "inner.layers.0.neurons.0.w.0", "inner.layers.0.neurons.0.b", "extras.0", "extras.1"]
    out = model(1.5)
    out.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert model.eval() is model and not model.inner.training
    assert model.train().inner.layers[0].training
