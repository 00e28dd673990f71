"""The IDX files of MNIST and Fashion-MNIST: read one (``load_idx``), or the four of Fashion-MNIST.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian 32-bit size per dimension, then the numbers themselves, big-endian, row-major.
The files are usually distributed gzipped; both forms are read, recognised by their first bytes
rather than by their names.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

#: The IDX type codes and the NumPy types they stand for (big-endian, as stored).
IDX_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

GZIP_MAGIC = b"\x1f\x8b"

#: The four files of Fashion-MNIST, as https://github.com/zalandoresearch/fashion-mnist names them.
FASHION_MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

#: Fashion-MNIST's ten classes, in label order (0 = T-shirt/top … 9 = ankle boot).
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot",
)


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise ValueError(f"{path}: not a readable gzip file ({error}); is the download complete?") from None


def load_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in the IDX file at ``path`` (gzipped or not), with the shape its header gives.

    Raises ``ValueError`` naming the file when it is not IDX (wrong magic number or type code),
    or when it is shorter or longer than its header says (a truncated download, say).
    """
    path = Path(path)
    content = _read_bytes(path)
    if len(content) < 4:
        raise ValueError(f"{path}: {len(content)} bytes is too short for an IDX file (it starts with a 4-byte header)")
    zeros, type_code, ndim = content[:2], content[2], content[3]
    if zeros != b"\x00\x00" or type_code not in IDX_TYPES:
        raise ValueError(
            f"{path}: not an IDX file: its magic number is 0x{content[:4].hex()}, expected 0x0000 followed by a "
            f"type code ({', '.join(f'0x{code:02x}' for code in IDX_TYPES)}) and the number of dimensions"
        )
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise ValueError(f"{path}: truncated in its header ({len(content)} bytes; the header needs {header_size})")
    shape = tuple(int(size) for size in np.frombuffer(content, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_TYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(content) - header_size
    if found != expected:
        problem = "truncated" if found < expected else "longer than its header says"
        raise ValueError(
            f"{path}: {problem}: the header gives shape {shape} of {dtype.name} ({expected} bytes of data), "
            f"the file holds {found}"
        )
    data = np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))  # native byte order, and a writable copy


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.is_file():
            return candidate
    return None


def load_fashion_mnist(
    folder: str | os.PathLike, *, flatten: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fashion-MNIST from the four standard files in ``folder``: ``X_train, X_test, y_train, y_test``.

    The files (``train-images-idx3-ubyte.gz`` and the three others, gzipped or not) come from
    https://github.com/zalandoresearch/fashion-mnist; nothing is downloaded here. The images are
    28 × 28 uint8 pixels (0 = background … 255), flattened to 784 numbers per row as an MLP
    takes them (``flatten=False`` keeps them 28 × 28); 60,000 for training and 10,000 for test.
    The labels are 0…9, named by ``FASHION_MNIST_CLASSES``. The order is that of
    ``train_test_split``.

    Raises ``FileNotFoundError`` naming the missing files, and ``ValueError`` when a file is not
    what it should be.
    """
    folder = Path(folder)
    paths = {key: _find(folder, name) for key, name in FASHION_MNIST_FILES.items()}
    missing = [FASHION_MNIST_FILES[key] + ".gz" for key, path in paths.items() if path is None]
    if missing:
        which = "none of its four files is" if len(missing) == 4 else f"missing: {', '.join(missing)}; it needs"
        raise FileNotFoundError(
            f"Fashion-MNIST not found in {folder}: {which} there "
            f"({', '.join(f + '.gz' for f in FASHION_MNIST_FILES.values())}, gzipped or not). "
            "Download them from https://github.com/zalandoresearch/fashion-mnist"
        )
    arrays = {key: load_idx(path) for key, path in paths.items()}
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if images.ndim != 3 or images.dtype != np.uint8:
            raise ValueError(f"{paths[f'{part}_images']}: expected uint8 images (N, rows, columns), "
                             f"got {images.dtype.name} of shape {images.shape}")
        if labels.ndim != 1 or len(labels) != len(images):
            raise ValueError(f"{paths[f'{part}_labels']}: expected {len(images)} labels, one per image, "
                             f"got shape {labels.shape}")
        if labels.size and labels.max() >= len(FASHION_MNIST_CLASSES):
            raise ValueError(f"{paths[f'{part}_labels']}: labels must be 0…9, found {int(labels.max())}")
    X_train, X_test = arrays["train_images"], arrays["test_images"]
    if flatten:
        X_train, X_test = X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1)
    return X_train, X_test, arrays["train_labels"].astype(np.int64), arrays["test_labels"].astype(np.int64)
