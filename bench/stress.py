"""Stress the gradients: thousands of random expression graphs, four ways, and a report.

    python bench/stress.py                      # 10,000 graphs (about 2 minutes on one core)
    python bench/stress.py --examples 50000 --seed 1

Each graph is drawn by ``tests/autograd/test_random_graphs.py`` (random ops, reused nodes, broadcast
shapes) and checked there: the ``Value`` engine, the ``Tensor`` engine, central finite
differences and PyTorch in float64 must give the same output and the same grad for every leaf
element. Graphs evaluated too close to a kink (relu at 0, a tie in max) or with huge
intermediate values are discarded, not counted. Prints how many graphs were checked, what
they contained, and any failure (the smallest failing graph Hypothesis could find); exits 1
on a failure.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_random_graph_tests() -> ModuleType:
    """Import ``tests/autograd/test_random_graphs.py`` by path (``tests`` is not a package).

    ``tests`` goes on the path, as pytest's ``pythonpath`` puts it, for the shared engine
    adapters (``tests/engines.py``); the root goes before it, so that ``autograd`` is the
    package and not the folder ``tests/autograd``.
    """
    for folder in (ROOT / "tests", ROOT):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    path = ROOT / "tests" / "autograd" / "test_random_graphs.py"
    spec = importlib.util.spec_from_file_location("test_random_graphs", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def describe(program) -> tuple[bool, bool]:
    """Whether a program reuses a node (reads it twice or more) and whether it broadcasts a leaf."""
    reads = collections.Counter(i for _, inputs in program.ops for i in inputs)
    reuses = any(count > 1 for count in reads.values())
    broadcasts = any(leaf.shape != program.broadcast_shape for leaf in program.leaves)
    return reuses, broadcasts


def main(argv: list[str] | None = None) -> int:
    """Run the stress test; returns the exit status (0: no failure)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="graphs to check (default 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed, for a reproducible run (default 0)")
    parser.add_argument("--max-ops", type=int, default=10, help="most ops in one graph (default 10)")
    args = parser.parse_args(argv)

    try:
        import torch
    except ImportError:
        print("PyTorch is needed as the reference: pip install torch==2.13.0", file=sys.stderr)
        return 2
    torch.set_default_dtype(torch.float64)

    from hypothesis import HealthCheck, assume, given, seed, settings

    cases = load_random_graph_tests()
    tried = 0
    op_counts: collections.Counter = collections.Counter()
    with_reuse = with_broadcasting = 0
    node_total = 0

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(program=cases.programs(max_ops=args.max_ops))
    def check(program) -> None:
        nonlocal tried, with_reuse, with_broadcasting, node_total
        tried += 1
        checked = cases.check_program(program, torch)
        if checked:
            op_counts.update(name for name, _ in program.ops)
            reuses, broadcasts = describe(program)
            with_reuse += reuses
            with_broadcasting += broadcasts
            node_total += len(program.leaves) + len(program.ops)
        assume(checked)

    start = time.perf_counter()
    failure = None
    try:
        check()
    except Exception as error:  # Hypothesis re-raises the smallest failing example's error
        failure = error
    seconds = time.perf_counter() - start

    checked = cases.STATS["checked"]
    print(
        f"random graphs checked: {checked:,} (drawn {tried:,}; discarded near a kink or too large: {tried - checked:,})"
    )
    print(f"time: {seconds:.1f} s, seed {args.seed}")
    if checked:
        print(f"graphs reusing a node: {with_reuse:,}; broadcasting a leaf: {with_broadcasting:,}")
        print(f"nodes per graph: {node_total / checked:.1f} on average")
        print("ops used: " + ", ".join(f"{name} {count:,}" for name, count in sorted(op_counts.items())))
    if failure is None:
        print("failures: 0")
        return 0
    print("failures: 1 (Hypothesis stops at the first and shrinks it):", file=sys.stderr)
    print(f"{type(failure).__name__}: {failure}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
