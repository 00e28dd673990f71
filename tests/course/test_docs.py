"""The project's own text reads as written: no file carries an unresolved merge."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFLICT_MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    suffixes = {".py", ".md", ".toml", ".js", ".css", ".ipynb", ".txt", ""}
    return [ROOT / name for name in listed.splitlines() if Path(name).suffix in suffixes and (ROOT / name).is_file()]


def test_no_file_carries_merge_conflict_markers():
    marked = [str(path.relative_to(ROOT)) for path in tracked_text_files()
              if CONFLICT_MARKER.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert not marked, f"unresolved merge in {marked}"
