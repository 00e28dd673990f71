"""IDX files written byte by byte from the format's description (independently of nn.data's reader)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

TYPE_CODES = {np.uint8: (0x08, "B"), np.int16: (0x0B, "h"), np.int32: (0x0C, "i"), np.float32: (0x0D, "f")}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of ``array``: zero, zero, type code, dimensions; big-endian sizes; big-endian values."""
    code, letter = TYPE_CODES[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", size) for size in array.shape)
    values = array.ravel().tolist()
    return header + struct.pack(f">{len(values)}{letter}", *values)


def write_idx(path: Path, array: np.ndarray, compressed: bool) -> None:
    """Write ``array`` to ``path`` as IDX, gzipped when ``compressed``."""
    data = idx_bytes(array)
    path.write_bytes(gzip.compress(data) if compressed else data)


def write_fashion_mnist(folder: Path, compressed: bool, train: int = 6, test: int = 4) -> dict[str, np.ndarray]:
    """A small stand-in for Fashion-MNIST's four files (random pixels, labels 0…9 in turn); returns the arrays."""
    rng = np.random.default_rng(1)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, size=(train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.permutation(np.arange(train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, size=(test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.permutation(np.arange(test) % 10).astype(np.uint8),
    }
    for name, array in arrays.items():
        write_idx(folder / (name + ".gz" if compressed else name), array, compressed)
    return arrays
