"""IDX files (MNIST, Fashion-MNIST): written here byte by byte, read back by nn.data; broken files are refused."""

import gzip

import numpy as np
import pytest
from idx_files import idx_bytes, write_fashion_mnist, write_idx

from nn.data import FASHION_MNIST_CLASSES, load_fashion_mnist, load_idx


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_uint8_images_and_labels_round_trip(tmp_path, compressed):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    labels = np.array([0, 9, 3, 3, 7], dtype=np.uint8)
    write_idx(tmp_path / "images", images, compressed)
    write_idx(tmp_path / "labels", labels, compressed)
    read_images, read_labels = load_idx(tmp_path / "images"), load_idx(tmp_path / "labels")
    assert read_images.dtype == np.uint8 and read_images.shape == (5, 28, 28)
    np.testing.assert_array_equal(read_images, images)
    np.testing.assert_array_equal(read_labels, labels)
    assert read_images.flags.writeable


def test_the_first_pixels_sit_where_the_format_puts_them(tmp_path):
    # Row-major: byte 16 is image 0 row 0 column 0, byte 17 is column 1, byte 16 + 28 is row 1.
    content = bytearray(idx_bytes(np.zeros((2, 28, 28), dtype=np.uint8)))
    content[16], content[17], content[16 + 28], content[16 + 784] = 1, 2, 3, 4
    (tmp_path / "images").write_bytes(bytes(content))
    images = load_idx(tmp_path / "images")
    assert (images[0, 0, 0], images[0, 0, 1], images[0, 1, 0], images[1, 0, 0]) == (1, 2, 3, 4)


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.float32])
def test_wider_types_are_big_endian(tmp_path, dtype):
    array = np.array([[1, -2, 300], [4, 5, -70000 if dtype == np.int32 else 6]], dtype=dtype)
    write_idx(tmp_path / "wide", array, compressed=False)
    read = load_idx(tmp_path / "wide")
    np.testing.assert_array_equal(read, array)
    assert read.dtype.isnative


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_a_truncated_file_is_refused_by_name(tmp_path, compressed):
    content = idx_bytes(np.zeros((3, 4, 4), dtype=np.uint8))
    path = tmp_path / "short-images"
    path.write_bytes(gzip.compress(content)[:-9] if compressed else content[:-5])
    expected = "not a readable gzip file" if compressed else r"truncated: the header gives shape \(3, 4, 4\)"
    with pytest.raises(ValueError, match=expected) as caught:
        load_idx(path)
    assert "short-images" in str(caught.value)
    path.write_bytes(content[:10])
    with pytest.raises(ValueError, match="truncated in its header"):
        load_idx(path)


def test_extra_bytes_are_refused_rather_than_dropped(tmp_path):
    (tmp_path / "long").write_bytes(idx_bytes(np.zeros(4, dtype=np.uint8)) + b"\x00")
    with pytest.raises(ValueError, match="longer than its header says"):
        load_idx(tmp_path / "long")


@pytest.mark.parametrize(
    "start", [b"\x01\x00\x08\x01", b"\x00\x00\x07\x01", b"PK\x03\x04", b"\x00"], ids=["zeros", "type", "zip", "tiny"]
)
def test_a_wrong_magic_number_is_refused(tmp_path, start):
    (tmp_path / "not-idx").write_bytes(start + bytes(8))
    with pytest.raises(ValueError, match=r"not-idx: (not an IDX file|1 bytes is too short)"):
        load_idx(tmp_path / "not-idx")


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_fashion_mnist_reads_the_four_standard_files(tmp_path, compressed):
    arrays = write_fashion_mnist(tmp_path, compressed)
    X_train, X_test, y_train, y_test = load_fashion_mnist(tmp_path)
    assert X_train.shape == (6, 784) and X_test.shape == (4, 784) and X_train.dtype == np.uint8
    np.testing.assert_array_equal(X_train[2], arrays["train-images-idx3-ubyte"][2].ravel())
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    images, _, _, _ = load_fashion_mnist(tmp_path, flatten=False)
    assert images.shape == (6, 28, 28)
    assert len(FASHION_MNIST_CLASSES) == 10


def test_fashion_mnist_names_the_missing_files(tmp_path):
    write_fashion_mnist(tmp_path, compressed=True)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=r"missing: t10k-labels-idx1-ubyte\.gz; it needs") as caught:
        load_fashion_mnist(tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(caught.value) and str(tmp_path) in str(caught.value)
    with pytest.raises(FileNotFoundError, match="none of its four files is there"):
        load_fashion_mnist(tmp_path / "nowhere")


def test_fashion_mnist_refuses_labels_that_do_not_match_the_images(tmp_path):
    write_fashion_mnist(tmp_path, compressed=False)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5, dtype=np.uint8), compressed=False)
    with pytest.raises(ValueError, match="expected 6 labels, one per image"):
        load_fashion_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.full(6, 10, dtype=np.uint8), compressed=False)
    with pytest.raises(ValueError, match="labels must be 0…9, found 10"):
        load_fashion_mnist(tmp_path)
