"""Rows of the results table, how they are printed, and a description of the machine they came from."""

from __future__ import annotations

import datetime
import os
import platform
from dataclasses import dataclass, field
from importlib import metadata

#: The peers, in the order of the table's columns.
PEERS = ("micrograd", "PyTorch", "JAX", "tinygrad", "NumPy", "scikit-learn")

NOT_INSTALLED = "not installed"


@dataclass
class Row:
    """One line of the table: our measurement, each peer's, and the ratios ours/peer.

    ``ours`` and each peer's entry are numbers in ``unit``, or a short reason instead of a
    number ("not installed", "fails (RecursionError)"). ``ratios[peer]`` is ours/peer (the
    median of paired runs for times). ``floor`` is the lower limit the row is held to, in ``unit``:
    the GEMM-bound time of a tensor step, the CPython floor of a scalar case (case 9).
    ``check`` says what correctness check was made and ``passed`` whether it held; ``target``
    states the goal for this row and ``met`` whether the measurement reaches it (None: not
    judged); ``more_targets`` holds further (goal, met) pairs of the same row.
    """

    case: str
    unit: str
    ours: float | str
    peers: dict[str, float | str] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    floor: float | None = None
    target: str = ""
    met: bool | None = None
    more_targets: list[tuple[str, bool | None]] = field(default_factory=list)
    check: str = ""
    passed: bool = True

    def verdicts(self) -> list[tuple[str, bool | None]]:
        """Every (goal, met) pair of the row, the first one ``(target, met)``."""
        return ([(self.target, self.met)] if self.target else []) + list(self.more_targets)

    def withhold_verdicts(self) -> None:
        """Judge no goal (a quick run's single tiny repeat says nothing about targets)."""
        self.met = None
        self.more_targets = [(goal, None) for goal, _ in self.more_targets]


def format_number(x: float) -> str:
    """Three significant figures, without scientific notation for everyday sizes."""
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 100:
        return f"{x:,.0f}"
    if magnitude >= 10:
        return f"{x:.1f}"
    if magnitude >= 1:
        return f"{x:.2f}"
    if magnitude >= 0.001:
        return f"{x:.3g}"
    return f"{x:.2e}"


def _quantity(value: float | str, unit: str) -> str:
    if isinstance(value, str):
        return value
    return f"{format_number(value)} {unit}".strip()


def _peer_cell(row: Row, peer: str) -> str:
    if peer not in row.peers:
        return ""
    cell = _quantity(row.peers[peer], row.unit)
    if peer in row.ratios:
        cell += f" (ours {format_number(row.ratios[peer])}×)"
    return cell


def _target_cell(row: Row) -> str:
    words = {True: "met", False: "MISSED", None: "n/a"}
    return "; ".join(f"{goal}: {words[met]}" for goal, met in row.verdicts())


def _check_cell(row: Row) -> str:
    if not row.check:
        return ""
    return row.check if row.passed else f"FAILED: {row.check}"


HEADER = ("case", "ours", *PEERS, "floor", "target", "check")


def table_cells(row: Row) -> tuple[str, ...]:
    """The row as the strings of the table's columns (``HEADER``)."""
    floor = ""
    if row.floor is not None:
        floor = _quantity(row.floor, row.unit)
        if not isinstance(row.ours, str):
            floor += f" (ours {format_number(row.ours / row.floor)}×)"
    peers = (_peer_cell(row, peer) for peer in PEERS)
    return (row.case, _quantity(row.ours, row.unit), *peers, floor, _target_cell(row), _check_cell(row))


def markdown_table(rows: list[Row]) -> str:
    """The rows as a Markdown table, padded so that it also reads well as plain text."""
    cells = [HEADER] + [table_cells(row) for row in rows]
    keep = [j for j in range(len(HEADER)) if any(line[j] for line in cells[1:])]
    cells = [tuple(line[j] for j in keep) for line in cells]
    widths = [max(len(line[j]) for line in cells) for j in range(len(keep))]

    def line(items: tuple[str, ...]) -> str:
        return "| " + " | ".join(item.ljust(width) for item, width in zip(items, widths)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(items) for items in cells[1:])])


# ---------------------------------------------------------------------- the machine
def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for text in cpuinfo:
                if text.startswith("model name"):
                    return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def _blas_description() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    import numpy  # noqa: F401 - loads the BLAS library that threadpoolctl then finds

    libraries = [
        f"{info['internal_api']} {info['version']} ({info.get('architecture')}, {info['num_threads']} threads)"
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]
    return "; ".join(libraries) or "no BLAS library found"


def machine_description() -> dict[str, str]:
    """Where and with what the table was measured: CPU, cores, versions, BLAS, date."""
    import numpy

    description = {
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "NumPy": f"{numpy.__version__}, BLAS: {_blas_description()}",
        "PyTorch": _version("torch"),
        "JAX": _version("jax"),
        "tinygrad": _version("tinygrad"),
        "micrograd": _version("micrograd"),
        "scikit-learn": _version("scikit-learn"),
        "retrograd": _version("retrograd"),
    }
    try:
        import torch

        description["PyTorch"] += f" ({torch.get_num_threads()} threads)"
    except ImportError:
        pass
    blas_names = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    blas_settings = [f"{name}={os.environ[name]}" for name in blas_names if name in os.environ]
    description["OpenBLAS settings"] = ", ".join(blas_settings) or "none"
    if hasattr(os, "getloadavg"):  # other programs running at the same time make times noisy
        description["load average (1, 5, 15 min) at the end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return description
