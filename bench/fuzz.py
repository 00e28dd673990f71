"""Fuzz the expression parser and the model loader for a few minutes, and report what was tried.

    python bench/fuzz.py                     # 3 minutes
    python bench/fuzz.py --minutes 10 --seed 1

The inputs and the checks are those of ``tests/cli/test_fuzz.py``: the parser gets random text,
token soup, valid formulas, mutated formulas and texts past the length and depth limits; the
loader gets random bytes, damaged saved files, archives built from right and wrong names, shapes
and dtypes (pickled objects and headers claiming huge arrays included) and single ``.npy`` files.
The only errors allowed are ``ExpressionError`` (parser) and ``StateDictError`` (loader); any
other exception is a crash, reported with the smallest input Hypothesis could shrink it to.
Exits 1 if anything crashed.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

#: Examples per round; rounds cycle through the input kinds until the time is up.
ROUND_SIZE = 200


def load_fuzz_tests() -> ModuleType:
    """Import ``tests/cli/test_fuzz.py`` by path (``tests`` is not a package)."""
    path = ROOT / "tests" / "cli" / "test_fuzz.py"
    spec = importlib.util.spec_from_file_location("test_fuzz", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def input_kinds(cases: ModuleType, folder: str) -> dict[str, tuple]:
    """name -> (strategy of one input, function running it and returning its outcome)."""
    from hypothesis import strategies as st

    def parse(text_and_numbers):
        return cases.fuzz_expression(*text_and_numbers)

    def load_into(model_name):
        return lambda data: cases.fuzz_load(data, model_name, folder)

    with_numbers = lambda texts: st.tuples(texts, cases.numbers)  # noqa: E731 - a one-line adapter
    kinds = {
        "parser / random unicode text": (with_numbers(st.text(max_size=120)), parse),
        "parser / token soup": (with_numbers(cases.token_soup), parse),
        "parser / valid formulas": (with_numbers(cases.valid_expressions), parse),
        "parser / mutated formulas": (with_numbers(cases.mutated_expressions()), parse),
        "parser / past the limits": (with_numbers(cases.extreme_expressions()), parse),
    }
    for model_name in cases.MODELS:
        engine = "Value MLP" if model_name == "MLP" else "Tensor mlp"
        kinds[f"loader ({engine}) / random bytes"] = (st.binary(max_size=4000), load_into(model_name))
        kinds[f"loader ({engine}) / damaged saved file"] = (cases.damaged_files(model_name), load_into(model_name))
        kinds[f"loader ({engine}) / built archives"] = (cases.npz_files(model_name), load_into(model_name))
    return kinds


def run_round(strategy, run, examples: int, seed_value: int, outcomes: collections.Counter) -> Exception | None:
    """Run ``examples`` inputs through ``run``, counting outcomes; return the crash, if any."""
    from hypothesis import HealthCheck, given, seed, settings

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(one_input) -> None:
        outcomes[run(one_input)] += 1

    try:
        check()
    except Exception as crash:  # Hypothesis re-raises the shrunk failing input's exception
        return crash
    return None


def main(argv: list[str] | None = None) -> int:
    """Fuzz for the given time; print the report; return 1 if anything crashed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="how long to fuzz (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the first round (default 0)")
    args = parser.parse_args(argv)

    cases = load_fuzz_tests()
    crashes: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        kinds = input_kinds(cases, folder)
        outcomes = {name: collections.Counter() for name in kinds}
        deadline = time.perf_counter() + 60.0 * args.minutes
        start = time.perf_counter()
        round_number = 0
        while time.perf_counter() < deadline:
            for name, (strategy, run) in kinds.items():
                crash = run_round(strategy, run, ROUND_SIZE, args.seed + round_number, outcomes[name])
                if crash is not None:
                    crashes.append(f"{name}: {type(crash).__name__}: {crash}")
                if time.perf_counter() >= deadline:
                    break
            round_number += 1
        seconds = time.perf_counter() - start

    total = sum(sum(counter.values()) for counter in outcomes.values())
    print(f"fuzzed for {seconds:.0f} s: {total:,} inputs, seeds {args.seed}..{args.seed + round_number - 1}")
    for name, counter in outcomes.items():
        print(f"\n{name}: {sum(counter.values()):,} inputs")
        for outcome, count in counter.most_common(8):
            print(f"  {count:>8,}  {outcome}")
        if len(counter) > 8:
            print(f"  {sum(counter.values()) - sum(c for _, c in counter.most_common(8)):>8,}  (other outcomes)")
    print(f"\ncrashes (errors other than ExpressionError / StateDictError): {len(crashes)}")
    for crash in crashes:
        print(f"  {crash}", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
