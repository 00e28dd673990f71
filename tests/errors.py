"""Checking that bad input is refused with an error whose message names the problem.

Shared by the bad-input tests of every package: ``expect`` calls and checks the error's type
and words, ``shape_pattern`` matches a shape however Python or NumPy writes it, ``ones`` is the
usual Tensor to hand a bad argument to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from autograd import Tensor


def expect(error_type: type[BaseException], call: Callable[[], object], *patterns: str) -> str:
    """Call ``call()``; assert it raises ``error_type`` and the message matches every regex in ``patterns``."""
    with pytest.raises(error_type) as caught:
        call()
    message = str(caught.value)
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not found in the message {message!r}"
    return message


def shape_pattern(shape: tuple) -> str:
    """A regex for ``shape`` written as Python (``(2, 3)``) or as NumPy (``(2,3)``) writes it."""
    return r"\(" + r",\s*".join(str(n) for n in shape) + (r",?" if len(shape) == 1 else "") + r"\)"


def ones(*shape: int, requires_grad: bool = True) -> Tensor:
    """A float32 Tensor of ones of ``shape`` (one that needs grad unless told)."""
    return Tensor(np.ones(shape), requires_grad=requires_grad)
