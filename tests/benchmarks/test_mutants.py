"""The mutation-testing list stays in step with the code: every mutant applies, once, and names real tests."""

from pathlib import Path

import pytest

from bench.mutant_list import EQUIVALENT, MUTANTS
from bench.mutants import ROOT, Mutant, stale_reason

MUTANT_OBJECTS = [Mutant(**spec) for spec in MUTANTS]


@pytest.mark.parametrize("mutant", MUTANT_OBJECTS, ids=[m.name for m in MUTANT_OBJECTS])
def test_each_mutant_applies_once_and_changes_its_file(mutant):
    assert stale_reason(mutant, ROOT) is None
    assert mutant.mutated != mutant.original
    for test in mutant.tests:
        assert (Path(ROOT) / test).exists(), test


def test_names_are_unique_and_every_equivalent_mutant_exists():
    names = [m.name for m in MUTANT_OBJECTS]
    assert len(names) == len(set(names)) >= 60
    assert set(EQUIVALENT) <= set(names)
