"""Model files: a state dict (arrays by parameter name) written to and read from an ``.npz`` archive.

The archive is what ``np.savez`` writes (a zip of ``.npy`` arrays, one member per name, so
``np.load`` opens it), but the members are written one by one: a parameter may be called
anything, ``file`` and ``allow_pickle`` included.

Writing is atomic and behaves as a plain write would. The arrays go to a temporary file next to
the target, named ``<file>.saving-<pid>-<random>.tmp`` so that one left by a killed program says
what it is; it is flushed to disk and renamed over the target. A symlink is written through to
the file it points to; the file gets the permissions it had, or those the umask gives a new
file. Temporaries left in the folder by a program that no longer runs are removed by the next
save there.

Reading never unpickles anything and reads only what the model expects: the path must be a
regular file (not a FIFO or a device), an archive with far more members than the model has
parameters is refused before its members are listed, and every array's header (name, shape,
dtype) is checked against the model before any numbers are read.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import tempfile
import time
import zipfile
from collections.abc import Mapping
from typing import IO

import numpy as np

__all__ = ["StateDictError", "save_state", "load_state", "describe_names"]

#: The layout a model expects: for each parameter name, its array's shape and dtype.
Layout = Mapping[str, tuple[tuple, np.dtype]]

_TEMPORARY = re.compile(r"\.saving-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")
# What earlier versions named their temporaries (hidden, without a process id); removed once an hour old.
_OLD_TEMPORARY = re.compile(r"^\.tmp-[A-Za-z0-9_]+\.npz$")
_OLD_TEMPORARY_AGE_S = 3600.0


class StateDictError(ValueError):
    """A state dict or a saved file does not fit the model (names, shapes or dtypes), or is damaged."""


def describe_names(names: list[str], limit: int = 5) -> str:
    """A few names for an error message: ``a, b, c and 7 more`` (``none`` for no names)."""
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


# ---------------------------------------------------------------------- writing
def save_state(state: Mapping[str, np.ndarray], path: str | os.PathLike) -> None:
    """Write ``state`` to ``path`` as an ``.npz`` archive, atomically (see the module's docstring).

    An ``OSError`` names ``path`` as it was asked for, not the temporary file.
    """
    asked = os.fspath(path)
    target = os.path.realpath(asked)  # through a symlink, to the file it points to
    folder = os.path.dirname(target)
    temporary = None
    try:
        _remove_stale_temporaries(folder)
        mode = _mode_of_a_plain_write(target)
        handle, temporary = tempfile.mkstemp(
            prefix=f"{os.path.basename(target)}.saving-{os.getpid()}-", suffix=".tmp", dir=folder
        )
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), mode)
            _write_npz(file, state)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise _naming(error, asked) from error
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.remove(temporary)
    _fsync_folder(folder)


def _write_npz(file: IO[bytes], state: Mapping[str, np.ndarray]) -> None:
    """One ``<name>.npy`` member per array, as ``np.savez`` lays them out, names passed as data."""
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in state.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)


def _mode_of_a_plain_write(target: str) -> int:
    """The permission bits ``open(target, "wb")`` would leave: the file's own, or 0o666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale_temporaries(folder: str) -> None:
    """Remove temporaries of ours whose program no longer runs (killed mid-save); others are left alone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return  # the save itself will report the folder
    for name in names:
        match = _TEMPORARY.search(name)
        if match is not None:
            stale = not _process_runs(int(match["pid"]))
        elif _OLD_TEMPORARY.match(name):
            stale = _age_s(os.path.join(folder, name)) > _OLD_TEMPORARY_AGE_S
        else:
            continue
        if stale:
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass  # another save removed it first, or it is not ours to remove


def _process_runs(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this program may be saving
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # it exists (another user's), or we cannot tell: keep the file
    return True


def _age_s(path: str) -> float:
    try:
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return 0.0


def _naming(error: OSError, path: str) -> OSError:
    """The same kind of ``OSError``, its message naming the path the caller asked for."""
    reason = error.strerror or str(error)
    message = f"could not save the model to {path}: {reason}"
    return OSError(error.errno, message) if error.errno is not None else OSError(message)


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable; not every system lets a folder be opened, so best effort."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------- reading
def load_state(path: str | os.PathLike, layout: Layout) -> dict[str, np.ndarray]:
    """The arrays of the archive at ``path``, by name, once they are known to fit ``layout``.

    Raises ``FileNotFoundError`` if nothing is there and ``StateDictError`` (its message starting
    with the path) for anything that is not a readable archive fitting ``layout``.
    """
    path = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileNotFoundError(f"no saved model at {path}") from None
    except OSError as error:
        raise StateDictError(f"{path}: cannot be opened ({error.strerror or error})") from None
    kind = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(kind):
        os.close(descriptor)
        raise StateDictError(f"{path}: is {_kind_of(kind)}, not a regular file; a saved model is a file")
    with os.fdopen(descriptor, "rb") as file:
        try:
            return _read_npz(file, layout)
        except StateDictError as error:
            raise StateDictError(f"{path}: {error}") from None
        except Exception as error:
            # A damaged file makes zipfile or NumPy raise many kinds of error (BadZipFile, a
            # SyntaxError for a garbled header, ...): all of them mean unreadable.
            raise StateDictError(f"{path}: not a readable .npz file ({type(error).__name__}: {error})") from None


def _kind_of(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a plain file"


def _read_npz(file: IO[bytes], layout: Layout) -> dict[str, np.ndarray]:
    """Check the member count, then every header against ``layout``, then read the arrays."""
    count = _member_count(file)
    if count is None:
        file.seek(0)
        if file.read(6) == b"\x93NUMPY":
            raise StateDictError("holds a single array, not an .npz archive of named parameters")
        raise StateDictError("not a readable .npz file: not a zip archive of .npy arrays")
    most = max(2 * len(layout), len(layout) + 64)
    if count > most:
        raise StateDictError(f"holds {count} arrays, far more than the {len(layout)} parameters of the model")
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        members, headers = {}, {}
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if name in members:
                raise StateDictError(f"holds {name!r} twice")
            with archive.open(info) as member:
                shape, dtype = _read_header(member)
            if dtype.hasobject:
                raise StateDictError(f"holds pickled objects ({name}), which are never loaded")
            members[name], headers[name] = info, (shape, dtype)
        missing = [name for name in layout if name not in members]
        unexpected = [name for name in members if name not in layout]
        if missing or unexpected:
            raise StateDictError(
                f"does not fit the model: missing {describe_names(missing)}, unexpected {describe_names(unexpected)}"
            )
        for name, (shape, dtype) in headers.items():
            expected_shape, expected_dtype = layout[name]
            if shape != expected_shape:
                raise StateDictError(f"{name}: shape {shape} in the state dict, the model has {expected_shape}")
            if dtype != expected_dtype:
                raise StateDictError(f"{name}: dtype {dtype} in the state dict, the model has {expected_dtype}")
        arrays = {}
        for name, info in members.items():
            with archive.open(info) as member:
                arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
        return arrays


def _read_header(member: IO[bytes]) -> tuple[tuple, np.dtype]:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    else:
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    return shape, dtype


_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_OF_DIRECTORY = b"PK\x06\x06"


def _member_count(file: IO[bytes]) -> int | None:
    """How many members the zip archive says it holds, from its last 64 KiB; None if it is no zip archive.

    The end-of-central-directory record (and its zip64 form, for archives past 65,535 members)
    states the total, so an archive of a million members is refused before they are listed.
    """
    size = file.seek(0, os.SEEK_END)
    tail_start = max(0, size - (22 + 65535))
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count != 0xFFFF:
        return count
    locator = at - 20
    if locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
        return count
    record_offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
    file.seek(record_offset)
    record = file.read(56)
    if len(record) < 56 or record[:4] != _ZIP64_END_OF_DIRECTORY:
        return None
    return struct.unpack("<Q", record[32:40])[0]
