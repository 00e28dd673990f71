"""Saving and loading models: round trips, atomic writes, refusing pickles and mismatched files."""

import os
import re
import signal
import stat
import subprocess
import sys
import zipfile
from contextlib import contextmanager

import numpy as np
import pytest
from errors import expect, shape_pattern

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
        monkeypatch.setattr(np.lib.format, "write_array", broken)
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


# ---------------------------------------------------------------------- files that do not fit the model
def test_a_nan_in_a_saved_model_is_refused(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    state = model.state_dict()
    first = next(iter(state))
    state[first] = np.array(np.nan)
    np.savez(tmp_path / "nan.npz", **state)
    expect(StateDictError, lambda: MLP(2, [3, 1], seed=0).load(tmp_path / "nan.npz"), re.escape(first), "NaN")


def test_integer_parameters_in_a_file_are_refused(tmp_path):
    model = nn.mlp(2, [3, 1], seed=0)
    np.savez(tmp_path / "int.npz", **{name: a.astype(np.int64) for name, a in model.state_dict().items()})
    expect(StateDictError, lambda: nn.mlp(2, [3, 1]).load(tmp_path / "int.npz"), "dtype int64", "float32")


@pytest.mark.parametrize(
    "saved,loader,patterns",
    [
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: MLP(2, [4, 1], seed=1), ["missing", r"layers\.0"], id="MLP-width"
        ),
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: MLP(2, [3, 3, 1], seed=1), ["missing", r"layers\.1"], id="MLP-depth"
        ),
        pytest.param(
            lambda: nn.mlp(2, [3, 1], seed=0),
            lambda: nn.mlp(2, [4, 1], seed=1),
            [r"layers\.0\.weight", shape_pattern((3, 2)), shape_pattern((4, 2))],
            id="mlp-width",
        ),
        pytest.param(
            lambda: MLP(2, [3, 1], seed=0), lambda: nn.mlp(2, [3, 1], seed=1), ["missing", "unexpected"], id="engine"
        ),
        pytest.param(
            lambda: nn.mlp(2, [3, 1], seed=0),
            lambda: nn.mlp(2, [3, 1], seed=1, dtype=np.float64),
            ["dtype float32", "float64"],
            id="mlp-dtype",
        ),
    ],
)
def test_a_model_loaded_from_a_file_of_another_architecture_is_refused_and_unchanged(tmp_path, saved, loader, patterns):
    path = tmp_path / "model.npz"
    saved().save(path)
    model = loader()
    before = {name: array.copy() for name, array in model.state_dict().items()}
    expect(StateDictError, lambda: model.load(path), re.escape(str(path)), *patterns)
    after = model.state_dict()
    assert all(np.array_equal(before[name], after[name]) for name in before)


def test_load_state_dict_of_a_non_mapping_is_named():
    model = nn.mlp(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"load_state_dict takes a dict.*list"):
        model.load_state_dict([1, 2])


# ---------------------------------------------------------------------- what a save writes
class _Named(nn.Module):
    """A module whose parameters carry the names np.savez takes as its own keywords."""

    def __init__(self, seed):
        from autograd import Tensor

        rng = np.random.default_rng(seed)
        self.allow_pickle = Tensor(rng.normal(size=3), requires_grad=True)
        self.file = Tensor(rng.normal(size=(2, 2)), requires_grad=True)
        self.args = Tensor(rng.normal(size=1), requires_grad=True)


def test_parameters_named_like_savez_keywords_round_trip(tmp_path):
    path = tmp_path / "model.npz"
    source = _Named(seed=0)
    source.save(path)
    restored = _Named(seed=1).load(path)
    for name, array in source.state_dict().items():
        np.testing.assert_array_equal(restored.state_dict()[name], array)
    with np.load(path, allow_pickle=False) as archive:  # still a plain .npz archive
        assert sorted(archive.files) == ["allow_pickle", "args", "file"]


def test_save_errors_name_the_path_asked_for(tmp_path, monkeypatch):
    path = tmp_path / "no such folder" / "model.npz"
    with pytest.raises(FileNotFoundError) as error:
        MLP(2, [1], seed=0).save(path)
    assert str(path) in str(error.value) and ".tmp" not in str(error.value)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    path = tmp_path / "model.npz"
    with pytest.raises(OSError, match="No space left") as error:
        MLP(2, [1], seed=0).save(path)
    assert str(path) in str(error.value) and ".tmp" not in str(error.value)
    assert error.value.errno == 28
    assert os.listdir(tmp_path) == []


def test_save_gives_a_new_file_the_permissions_of_the_umask_and_keeps_an_old_files(tmp_path):
    path = tmp_path / "model.npz"
    old_umask = os.umask(0o027)
    try:
        MLP(2, [1], seed=0).save(path)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    os.chmod(path, 0o604)
    MLP(2, [1], seed=1).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_save_writes_through_a_symlink_to_its_target(tmp_path):
    (tmp_path / "runs").mkdir()
    target = tmp_path / "runs" / "model.npz"
    link = tmp_path / "latest.npz"
    MLP(2, [3, 1], seed=0).save(target)
    link.symlink_to(target)
    newer = MLP(2, [3, 1], seed=1)
    newer.save(link)
    assert link.is_symlink()
    assert _numbers(MLP(2, [3, 1], seed=2).load(target)) == _numbers(newer)
    assert sorted(os.listdir(tmp_path / "runs")) == ["model.npz"]


_KILLED_MID_SAVE = """
import os, signal, sys
import numpy as np
import nn
write_array = np.lib.format.write_array
def write_then_die(*args, **kwargs):
    write_array(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
np.lib.format.write_array = write_then_die
nn.MLP(2, [3, 1], seed=1).save(sys.argv[1])
"""


def test_a_save_killed_midway_leaves_a_named_temporary_that_the_next_save_removes(tmp_path):
    path = tmp_path / "model.npz"
    old = MLP(2, [3, 1], seed=0)
    old.save(path)
    run = subprocess.run([sys.executable, "-c", _KILLED_MID_SAVE, str(path)], cwd=os.getcwd(), timeout=60)
    assert run.returncode == -signal.SIGKILL
    left = sorted(os.listdir(tmp_path))
    assert len(left) == 2 and left[0] == "model.npz"
    assert left[1].startswith("model.npz.saving-") and left[1].endswith(".tmp"), "the name says what it is"
    assert _numbers(MLP(2, [3, 1], seed=5).load(path)) == _numbers(old), "the old file is intact"

    running = tmp_path / f"other.npz.saving-{os.getppid()}-abc123.tmp"  # a save still running: left alone
    running.write_bytes(b"partial")
    MLP(2, [3, 1], seed=2).save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.npz", running.name]


# ---------------------------------------------------------------------- what a load reads
@contextmanager
def _at_most(seconds):
    def give_up(*args):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_load_refuses_a_device_a_fifo_and_a_folder_at_once(tmp_path):
    model = MLP(2, [1], seed=0)
    before = _numbers(model)
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    for path, kind in (("/dev/zero", "character device"), (fifo, "FIFO"), (tmp_path, "folder")):
        with _at_most(10), pytest.raises(StateDictError, match=kind) as error:
            model.load(path)
        assert str(path) in str(error.value)
    assert _numbers(model) == before


@pytest.mark.parametrize("members", [1_000, 70_000])  # 70,000 needs the zip64 record
def test_an_archive_of_very_many_members_is_refused_before_they_are_listed(tmp_path, monkeypatch, members):
    path = tmp_path / "many.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(members):
            archive.writestr(f"a{i}.npy", b"")

    def listing(*args, **kwargs):
        raise AssertionError("the members were listed")

    monkeypatch.setattr(zipfile, "ZipFile", listing)
    with pytest.raises(StateDictError, match=f"holds {members} arrays"):
        MLP(2, [1], seed=0).load(path)


def test_a_failed_load_leaves_every_parameter_unchanged():
    model = nn.tensor_mlp(2, [3, 1], seed=0)
    before = [a.copy() for a in model.state_dict().values()]
    model.parameters()[-1].data.flags.writeable = False  # the last parameter cannot take new numbers
    with pytest.raises(StateDictError, match="read-only"):
        model.load_state_dict(nn.tensor_mlp(2, [3, 1], seed=1).state_dict())
    for array, old in zip(model.state_dict().values(), before):
        np.testing.assert_array_equal(array, old)


def test_intermediates_and_constants_stored_on_a_module_are_not_parameters():
    from autograd import Tensor, Value

    class Scaled(nn.Module):
        def __init__(self):
            self.weight = Tensor(np.ones((2, 2)), requires_grad=True)
            self.mask = Tensor(np.array([1.0, 0.0]))  # a constant: needs no gradient
            self.gain = Value(2.0)
            self.doubled = self.gain * 2  # computed by an op

        def forward(self, x):
            self.last_output = (x @ self.weight) * self.mask  # an intermediate kept for inspection
            return self.last_output

    model = Scaled()
    model(Tensor(np.ones((3, 2))))
    assert [name for name, _ in model.named_parameters()] == ["weight", "gain"]
    assert list(model.state_dict()) == ["weight", "gain"]
    assert nn.is_parameter(model.weight) and not nn.is_parameter(model.last_output)


def test_save_flushes_the_file_and_its_folder_to_disk(tmp_path, monkeypatch):
    """A crash right after save must not leave an empty or missing file: both are fsynced before it returns."""
    import nn.serialization as serialization

    synced = []
    real_fsync = os.fsync

    def recording_fsync(descriptor):
        synced.append(os.path.realpath(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(serialization.os, "fsync", recording_fsync)
    path = tmp_path / "model.npz"
    MLP(2, [3, 1], seed=0).save(path)
    assert str(tmp_path) in synced, synced
    assert any(name.startswith(str(path) + ".saving-") or name == str(path) for name in synced), synced
