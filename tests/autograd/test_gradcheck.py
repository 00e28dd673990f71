"""gradcheck itself: it must pass right rules on any input layout and fail wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, gradcheck, numerical_grads


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.arange(1.0, 7.0).reshape(2, 3).T,  # transposed: not contiguous
        lambda: np.arange(1.0, 13.0).reshape(3, 4)[:, ::2],  # a strided slice
        lambda: np.asfortranarray(np.arange(1.0, 7.0).reshape(2, 3)),
        lambda: np.broadcast_to(np.arange(1.0, 4.0), (2, 3)),  # read-only
    ],
    ids=["transposed", "strided", "fortran", "read-only broadcast"],
)
def test_gradcheck_passes_a_right_rule_on_any_layout_of_float64_data(make) -> None:
    data = make()
    x = Tensor(data, dtype=np.float64, requires_grad=True)
    assert x.data.dtype == np.float64
    assert gradcheck(lambda x: (x * x).sum() + x.tanh().sum(), [x])
    numeric = numerical_grads(lambda x: (x * x).sum(), [x])[0]
    np.testing.assert_allclose(numeric, 2 * np.asarray(data), rtol=1e-7)
    np.testing.assert_array_equal(x.data, data)  # perturbed in place and restored


def test_gradcheck_still_fails_a_wrong_rule_on_a_non_contiguous_input() -> None:
    x = Tensor(np.arange(1.0, 7.0).reshape(2, 3).T, dtype=np.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda x: _with_wrong_rule(x), [x])


def _with_wrong_rule(x: Tensor) -> Tensor:
    out = x.tanh()
    out._vjps = (lambda g: g * 2.0,)  # d tanh/dx is 1 - tanh², not 2
    return out.sum()
