"""Smoke tests of the benchmark suite: every case runs in quick mode, its rows are well formed and its
correctness checks hold. No timing is asserted (the machine may be busy); only the shape of the results.
"""

import math
import subprocess
import sys
from pathlib import Path

import pytest

import bench
from bench.report import HEADER, NOT_INSTALLED, PEERS, Row, markdown_table, table_cells
from bench.run import CASES, results_section, select_cases, update_readme

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_rows() -> list[Row]:
    return bench.run(list(CASES), quick=True)


def _is_number(x) -> bool:
    return isinstance(x, float) and math.isfinite(x) and x > 0


def test_every_case_gives_rows(quick_rows):
    numbers = {row.case.split()[0] for row in quick_rows}
    assert numbers == {number for number, _ in CASES.values()}


def test_every_correctness_check_passes(quick_rows):
    failed = [f"{row.case}: {row.ours} / {row.check}" for row in quick_rows if not row.passed]
    assert not failed, "\n".join(failed)


def test_measurements_are_positive_numbers_or_reasons(quick_rows):
    for row in quick_rows:
        # A browser measurement without a browser says so instead.
        assert _is_number(row.ours) or (row.ours == NOT_INSTALLED and "Chromium" in row.case), (row.case, row.ours)
        for peer, measured in row.peers.items():
            assert peer in PEERS, peer
            reason = isinstance(measured, str) and measured.startswith((NOT_INSTALLED, "fails", "not usable"))
            assert _is_number(measured) or reason, (peer, measured)


def test_ratios_are_ours_over_the_peer(quick_rows):
    # Quick mode times each contender once, so the median of paired ratios is exactly ours/peer.
    compared = 0
    for row in quick_rows:
        for peer, ratio in row.ratios.items():
            assert _is_number(row.peers[peer]), (row.case, peer)
            assert ratio == pytest.approx(row.ours / row.peers[peer], rel=1e-9), (row.case, peer)
            compared += 1
    assert compared > 0


def test_tensor_cases_have_a_gemm_floor_below_our_time(quick_rows):
    tensor_rows = [row for row in quick_rows if row.case.startswith(("3 ", "4 ")) and row.unit == "ms"]
    batches = sorted(int(row.case.split("batch ")[1].split()[0].rstrip(",").replace(",", "")) for row in tensor_rows)
    assert batches == [1, 32, 100, 128, 1024]
    for row in tensor_rows:
        assert _is_number(row.floor) and row.floor < row.ours, (row.case, row.floor, row.ours)


def test_distance_to_the_floor_is_our_time_over_the_floor(quick_rows):
    [step] = [row for row in quick_rows if row.case.startswith("3 ") and "batch 128" in row.case]
    [distance] = [row for row in quick_rows if row.case.startswith("3 ") and row.unit == "×"]
    assert distance.ours == pytest.approx(step.ours / step.floor, rel=1e-12)


def test_quick_mode_claims_no_target(quick_rows):
    assert all(met is None for row in quick_rows for _, met in row.verdicts())


def test_tensor_steps_are_checked_against_every_installed_peer(quick_rows):
    tensor_rows = [row for row in quick_rows if row.case.startswith(("3 ", "4 ")) and row.unit == "ms"]
    for row in tensor_rows:
        assert set(row.peers) == {"PyTorch", "JAX", "tinygrad", "NumPy"}, row.case
        for peer, measured in row.peers.items():
            if _is_number(measured):
                assert peer in row.check and peer in row.ratios, (row.case, peer)


def test_a_row_shows_each_of_its_targets_and_verdicts():
    row = Row("x", "ms", 1.0, target="≤ 1.0× PyTorch", met=True, more_targets=[("≤ 1.5× JAX", False)])
    assert table_cells(row)[HEADER.index("target")] == "≤ 1.0× PyTorch: met; ≤ 1.5× JAX: MISSED"
    row.withhold_verdicts()
    assert [met for _, met in row.verdicts()] == [None, None]


def test_deep_chain_reports_micrograd_failing_at_a_thousand_nodes(quick_rows):
    pytest.importorskip("micrograd")
    row = next(row for row in quick_rows if row.case.startswith("2 deep chain backward, 1,000"))
    assert row.peers["micrograd"] == "fails (RecursionError)"


def test_table_has_one_line_per_row_and_equal_columns(quick_rows):
    lines = markdown_table(quick_rows).splitlines()
    assert len(lines) == len(quick_rows) + 2
    assert len({line.count("|") for line in lines}) == 1
    assert all(row.case in line for row, line in zip(quick_rows, lines[2:]))


def test_missing_peers_are_reported_not_fatal(monkeypatch):
    from bench import scalar_cases, tensor_cases

    monkeypatch.setitem(sys.modules, "micrograd", None)  # makes `import micrograd` raise ImportError
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.setitem(sys.modules, "tinygrad", None)
    fused, node_for_node = scalar_cases.demo_step(quick=True)
    for demo in (fused, node_for_node):
        assert demo.peers == {"micrograd": NOT_INSTALLED} and demo.ratios == {} and _is_number(demo.ours)
    [tiny] = tensor_cases.mlp_2(quick=True)
    for peer in ("PyTorch", "JAX", "tinygrad"):
        assert tiny.peers[peer] == NOT_INSTALLED and peer not in tiny.ratios
    assert tiny.passed and _is_number(tiny.peers["NumPy"])


def test_digits_without_scikit_learn_says_so(monkeypatch):
    from bench import digits_case

    for name in [name for name in sys.modules if name.split(".")[0] == "sklearn"] + ["sklearn"]:
        monkeypatch.setitem(sys.modules, name, None)  # `import sklearn...` now raises ImportError
    [row] = digits_case.digits(quick=True)
    assert row.peers == {"scikit-learn": NOT_INSTALLED} and "scikit-learn" in row.ours


def test_demo_step_has_micrograd_loss_and_grads():
    pytest.importorskip("micrograd")
    from bench import scalar_cases

    demo, without_gc, node_for_node, node_for_node_without_gc = scalar_cases.demo_step(quick=True)
    assert demo.passed and "worst rel. diff" in demo.check
    assert "garbage collector paused" in without_gc.case and _is_number(without_gc.peers["micrograd"])
    assert "fused=False" in node_for_node.case and node_for_node.passed and "worst rel. diff" in node_for_node.check
    assert "garbage collector paused" in node_for_node_without_gc.case and node_for_node_without_gc.target


def test_scalar_costs_compare_forward_and_backward_with_a_floor_of_the_same_graph():
    from bench import scalar_costs_case

    forward, backward, *_ = scalar_costs_case.scalar_costs(quick=True)
    assert forward.case.startswith("9 scalar forward") and backward.case.startswith("9 scalar backward")
    for row in (forward, backward):
        assert _is_number(row.floor) and row.target.endswith("the floor")
    assert backward.passed and "same leaf grads as the floor" in backward.check


def test_scalar_floor_builds_the_same_numbers_as_the_engine():
    from autograd import Value, topological_order
    from bench.scalar_costs_case import _expression, _FloorNode

    ours, floor = _expression(Value, 50), _expression(_FloorNode, 50)
    assert [n.data for n in topological_order(ours)] == [n.data for n in topological_order(floor)]
    assert [n._local_grads for n in topological_order(ours)] == [n._local_grads for n in topological_order(floor)]


def test_cases_are_chosen_by_name_or_number():
    assert select_cases("1,chain") == ["demo", "chain"]
    assert select_cases(None) == list(CASES)
    with pytest.raises(ValueError, match="unknown case 'nine'.*1=demo"):
        select_cases("nine")


def test_update_readme_replaces_only_the_results(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- results: start -->\nold table\n<!-- results: end -->\noutro\n")
    update_readme("new table\n", readme)
    assert readme.read_text() == "intro\n<!-- results: start -->\nnew table\n<!-- results: end -->\noutro\n"
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="no '<!-- results: start -->'"):
        update_readme("x", readme)


def test_each_setting_has_its_own_readme_section():
    assert results_section(None, "wall") == "results"
    assert results_section(1, "cpu") == "results (threads=1, clock=cpu)"
    readme = (REPOSITORY / "bench" / "README.md").read_text()
    for section in (results_section(None, "wall"), results_section(1, "cpu")):
        assert f"<!-- {section}: start -->" in readme and f"<!-- {section}: end -->" in readme


@pytest.mark.parametrize("command", [["-m", "bench"], ["bench/run.py"]])
def test_command_line_runs_and_prints_the_table(command):
    result = subprocess.run(
        [sys.executable, *command, "--quick", "--cases", "memory"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "| case" in result.stdout and "6 memory" in result.stdout and "Measured on:" in result.stdout


def test_command_line_refuses_an_unknown_case():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--cases", "nine"], cwd=REPOSITORY, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "unknown case 'nine'" in result.stderr


def test_update_readme_refuses_a_partial_run():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--update-readme"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "without --quick or --cases" in result.stderr
