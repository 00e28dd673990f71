"""``nn.data``: data sets (generated, bundled, from CSV and IDX files) and the tools that prepare them."""

from .datasets import (
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
    to_plus_minus_one,
)
from .idx import FASHION_MNIST_CLASSES, load_fashion_mnist, load_idx
from .preprocessing import Centerer, DataLoader, MinMaxScaler, StandardScaler, one_hot, train_test_split

__all__ = [
    "FASHION_MNIST_CLASSES",
    "Centerer",
    "DataLoader",
    "MinMaxScaler",
    "StandardScaler",
    "from_plus_minus_one",
    "load_csv",
    "load_digits",
    "load_fashion_mnist",
    "load_idx",
    "load_wine",
    "make_circle",
    "make_gaussian",
    "make_moons",
    "make_multi_gaussian",
    "make_plane",
    "make_spiral",
    "make_xor",
    "one_hot",
    "to_plus_minus_one",
    "train_test_split",
]
