"""Mutation testing: would the test suite notice a realistic bug? ``python -m bench.mutants``.

Each mutant is one small edit a developer could plausibly make by mistake (a derivative of 1 at a
kink, an input's local rule on the other input's edge, a missing fsync, an escape removed …). The
harness copies the repository's tracked files into a scratch folder, applies one mutant at a time,
runs the tests that cover that code, and counts the mutant *killed* when they fail. A mutant the
suite lets through *survives*: either a test is missing, or the mutant does not change behaviour
(an *equivalent* mutant, listed in ``EQUIVALENT`` with the reason).

    python -m bench.mutants                 # every mutant, two at a time
    python -m bench.mutants --only abs,relu # a selection, by name prefix
    python -m bench.mutants --list          # the mutants, without running them

A mutant whose original text is not found exactly once in its file is reported as *stale*: the
code moved, and the mutant must be updated; stale mutants make the run fail.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .mutant_list import EQUIVALENT, MUTANTS

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    """One edit: in ``path``, the text ``original`` (found exactly once) becomes ``mutated``."""

    name: str
    path: str
    original: str
    mutated: str
    tests: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the tests said of one mutant: killed, survived or stale, and how long it took."""

    mutant: Mutant
    status: str
    seconds: float
    detail: str = ""


def tracked_files(root: Path) -> list[str]:
    """The repository's files as git knows them (committed or staged, and untracked but not ignored)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root, capture_output=True, check=True,
    ).stdout.decode()
    return [name for name in listing.split("\0") if name and (root / name).is_file()]


def copy_tree(root: Path, into: Path) -> None:
    """Copy the tracked files of ``root`` into ``into`` (a scratch checkout to mutate)."""
    for name in tracked_files(root):
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)


def stale_reason(mutant: Mutant, root: Path) -> str | None:
    """Why ``mutant`` cannot be applied to the tree at ``root`` (None when it can)."""
    path = root / mutant.path
    if not path.is_file():
        return f"{mutant.path} does not exist"
    count = path.read_text(encoding="utf-8").count(mutant.original)
    if count != 1:
        return f"its original text occurs {count} times in {mutant.path}, not once"
    return None


def run_mutant(mutant: Mutant, timeout: float) -> Outcome:
    """Apply ``mutant`` to a fresh copy of the repository and run its tests there."""
    start = time.perf_counter()
    reason = stale_reason(mutant, ROOT)
    if reason:
        return Outcome(mutant, "stale", 0.0, reason)
    with tempfile.TemporaryDirectory(prefix="retrograd-mutant-") as scratch:
        copy = Path(scratch)
        copy_tree(ROOT, copy)
        path = copy / mutant.path
        path.write_text(path.read_text(encoding="utf-8").replace(mutant.original, mutant.mutated), encoding="utf-8")
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RETROGRAD_HYPOTHESIS_EXAMPLES": "30"}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                   *mutant.tests]
        try:
            result = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=timeout,
                                    env=environment)
        except subprocess.TimeoutExpired:
            return Outcome(mutant, "killed", time.perf_counter() - start, "the tests timed out")
        seconds = time.perf_counter() - start
        if result.returncode == 0:
            return Outcome(mutant, "survived", seconds)
        if result.returncode in (1,):
            failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
            return Outcome(mutant, "killed", seconds, failed[0] if failed else "a test failed")
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return Outcome(mutant, "error", seconds, " | ".join(tail))


def baseline_is_green(tests: set[str], timeout: float) -> str | None:
    """None when the unmutated tests all pass; otherwise the failure (a score would mean nothing)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *sorted(tests)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout * 3)
    return None if result.returncode == 0 else (result.stdout + result.stderr).strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    """Run the mutants, print one line each and the score; exit 1 on a stale mutant or a low score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated name prefixes")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's tests")
    parser.add_argument("--target", type=float, default=0.95, help="the killed share to reach")
    args = parser.parse_args(argv)
    mutants = [Mutant(**spec) for spec in MUTANTS]
    if args.only:
        prefixes = tuple(item.strip() for item in args.only.split(","))
        mutants = [mutant for mutant in mutants if mutant.name.startswith(prefixes)]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.name:36s} {mutant.path}: {mutant.why}")
        return 0
    names = [mutant.name for mutant in mutants]
    if len(set(names)) != len(names):
        raise SystemExit("two mutants share a name")
    failure = baseline_is_green({test for mutant in mutants for test in mutant.tests}, args.timeout)
    if failure:
        print(f"the unmutated tests fail ({failure}): fix them first", file=sys.stderr)
        return 2
    outcomes: list[Outcome] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for outcome in pool.map(lambda mutant: run_mutant(mutant, args.timeout), mutants):
            outcomes.append(outcome)
            note = EQUIVALENT.get(outcome.mutant.name, "") if outcome.status == "survived" else outcome.detail
            print(f"{outcome.status:9s} {outcome.seconds:6.1f} s  {outcome.mutant.name:36s} {note}", flush=True)
    counted = [outcome for outcome in outcomes if outcome.status in ("killed", "survived")]
    killed = sum(outcome.status == "killed" for outcome in counted)
    stale = [outcome for outcome in outcomes if outcome.status in ("stale", "error")]
    score = killed / len(counted) if counted else 0.0
    print(f"\n{killed} of {len(counted)} mutants killed ({score:.0%}); {len(stale)} stale or in error")
    unexplained = [o.mutant.name for o in counted if o.status == "survived" and o.mutant.name not in EQUIVALENT]
    if unexplained:
        print("survivors without a reason: " + ", ".join(unexplained))
    return 1 if stale or score < args.target else 0


if __name__ == "__main__":
    sys.exit(main())
