"""Run the benchmark suite and print the table: ``python -m bench`` (or ``python bench/run.py``).

    python -m bench                      # every case, full size
    python -m bench --quick              # every case, tiny, one thread each (seconds; what the tests run)
    python -m bench --cases demo,chain   # a selection, by name or number (1-10)
    python -m bench --threads 1 --clock cpu   # one thread each, CPU time: steadier on a busy machine
    python -m bench --update-readme      # also write the table into bench/README.md

Nothing is installed: a peer that is missing gets "not installed" in its column
(``pip install -e '.[bench]'`` installs them all).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"  # noqa: A001 - lets the relative imports below work

from .report import Row, machine_description, markdown_table  # noqa: E402
from .timing import CLOCKS, limit_threads, one_thread_each, use_clock  # noqa: E402

#: name -> (number, "module:function"); each function takes ``quick`` and returns rows.
CASES: dict[str, tuple[str, str]] = {
    "demo": ("1", "scalar_cases:demo_step"),
    "chain": ("2", "scalar_cases:deep_chain"),
    "mlp784": ("3", "tensor_cases:mlp_784"),
    "mlp2": ("4", "tensor_cases:mlp_2"),
    "digits": ("5", "digits_case:digits"),
    "memory": ("6", "scalar_cases:memory_per_node"),
    "render": ("7", "render_case:render"),
    "playground": ("8", "playground_case:playground"),
    "scalarcost": ("9", "scalar_costs_case:scalar_costs"),
    "stepper": ("10", "stepper_case:stepper"),
}

README = Path(__file__).resolve().parent / "README.md"


def results_section(threads: int | None, clock: str) -> str:
    """The name of the README section a run's table goes to: one per combination of settings."""
    settings = ([f"threads={threads}"] if threads else []) + ([f"clock={clock}"] if clock != "wall" else [])
    return "results" + (f" ({', '.join(settings)})" if settings else "")


def select_cases(selection: str | None) -> list[str]:
    """Case names from a comma-separated list of names or numbers (all cases when None)."""
    if not selection:
        return list(CASES)
    by_number = {number: name for name, (number, _) in CASES.items()}
    chosen = []
    for item in selection.split(","):
        item = item.strip()
        name = by_number.get(item, item)
        if name not in CASES:
            known = ", ".join(f"{number}={name}" for name, (number, _) in CASES.items())
            raise ValueError(f"unknown case {item!r}; the cases are {known}")
        chosen.append(name)
    return chosen


def case_function(name: str) -> Callable[[bool], list[Row]]:
    """The function that measures case ``name``."""
    module_name, function_name = CASES[name][1].split(":")
    module = importlib.import_module(f".{module_name}", __package__)
    return getattr(module, function_name)


def run_case(name: str, quick: bool) -> list[Row]:
    """Measure one case; an error becomes a failed row rather than ending the run."""
    try:
        return case_function(name)(quick)
    except Exception as error:  # noqa: BLE001 - one broken case must not hide the others
        traceback.print_exc(file=sys.stderr)
        number = CASES[name][0]
        return [Row(f"{number} {name}", "", f"error: {type(error).__name__}: {error}", check="ran", passed=False)]


def run(case_names: list[str], quick: bool = False, progress: bool = False) -> list[Row]:
    """Measure the chosen cases in order and return every row."""
    rows = []
    for name in case_names:
        start = time.perf_counter()
        uses_torch = CASES[name][1].startswith("tensor_cases")
        with one_thread_each(with_torch=uses_torch) if quick else contextlib.nullcontext():
            new_rows = run_case(name, quick)
        if progress:
            print(f"  {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        if quick:  # one tiny repeat says nothing about targets
            for row in new_rows:
                row.withhold_verdicts()
        rows += new_rows
    return rows


def results_markdown(rows: list[Row], settings: dict[str, str] | None = None) -> str:
    """The table followed by the machine it was measured on (and the settings of the run)."""
    described = {**(settings or {}), **machine_description()}
    machine = "\n".join(f"- {key}: {value}" for key, value in described.items())
    return f"{markdown_table(rows)}\n\nMeasured on:\n\n{machine}\n"


def update_readme(results: str, readme: Path = README, section: str = "results") -> None:
    """Replace the part of ``readme`` between ``<!-- section: start -->`` and ``<!-- section: end -->``."""
    start_marker, end_marker = f"<!-- {section}: start -->", f"<!-- {section}: end -->"
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no '{start_marker}' ... '{end_marker}' section to replace")
    before, after = text[: start + len(start_marker)], text[end:]
    readme.write_text(f"{before}\n{results}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns 1 if a correctness check failed, else 0."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one repeat (a smoke test)")
    parser.add_argument("--cases", help="comma-separated names or numbers: " + ", ".join(
        f"{number}={name}" for name, (number, _) in CASES.items()))
    parser.add_argument("--threads", type=int, help="threads for every library (BLAS and PyTorch); default: theirs")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="wall time (default), or this process's CPU time (steadier on a busy machine)")
    parser.add_argument("--update-readme", action="store_true", help="write the table into bench/README.md")
    args = parser.parse_args(argv)
    if args.update_readme and (args.quick or args.cases):
        parser.error("--update-readme keeps full measurements: run every case, without --quick or --cases")
    try:
        names = select_cases(args.cases)
        if args.threads is not None:
            limit_threads(args.threads)
    except (ValueError, RuntimeError) as error:
        parser.error(str(error))
    if args.clock == "cpu" and args.threads != 1:
        print("warning: CPU time adds up every thread's time; use --clock cpu with --threads 1", file=sys.stderr)
    use_clock(args.clock)
    rows = run(names, quick=args.quick, progress=True)
    settings = {"clock": args.clock, "threads per library": str(args.threads or "each library's default")}
    results = results_markdown(rows, settings)
    print(results)
    if args.update_readme:
        update_readme(results, section=results_section(args.threads, args.clock))
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
