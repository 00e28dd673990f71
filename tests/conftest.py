"""Shared test fixtures. Set RETROGRAD_REQUIRE_TORCH=1 (CI does) to fail instead of skip without PyTorch."""

import os

import pytest


@pytest.fixture(scope="session")
def torch():
    """PyTorch, configured for float64; skipped where it is not installed unless it is required."""
    try:
        import torch as _torch
    except ImportError:
        if os.environ.get("RETROGRAD_REQUIRE_TORCH") == "1":
            pytest.fail("PyTorch is required here (RETROGRAD_REQUIRE_TORCH=1): pip install torch==2.13.0")
        pytest.skip("PyTorch not installed")
    _torch.set_default_dtype(_torch.float64)
    return _torch
