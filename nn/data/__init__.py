"""``nn.data``: data sets (generated, bundled and from CSV files) and the tools that prepare them."""

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
from .preprocessing import Centerer, DataLoader, MinMaxScaler, StandardScaler, one_hot, train_test_split

__all__ = [
    "Centerer",
    "DataLoader",
    "MinMaxScaler",
    "StandardScaler",
    "from_plus_minus_one",
    "load_csv",
    "load_digits",
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
