"""The course notebooks run top to bottom, show what they teach, and are committed up to date without outputs.

Every notebook exists in Spanish (``notebooks/es/``) and English (``notebooks/en/``), built from one
source in which each text cell is written in both languages. Each notebook, in each language, is
executed in a fresh ``python3`` kernel with nbclient, as a student would run it; a cell that raises
fails the test with the cell's traceback. A notebook that differs from its source, or that carries
outputs, fails.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from idx_files import write_fashion_mnist

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
_spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOKS / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)
course = sys.modules["course"]  # the cell helpers md and code, imported by build.py

CELL_TIMEOUT_S = 300  # generous: the tests share a busy machine

# The kernel's environment: figures shown inline whatever MPLBACKEND the tests run with.
KERNEL_ENV = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}

# Run before a notebook's own cells: one BLAS thread, since the networks are small and tests run
# side by side (several threads per kernel made training five times slower on a busy two-core
# machine). threadpoolctl changes the running library, not the environment.
SETUP = """
try:
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
except ImportError:
    pass
"""

#: Notebook 1 prints each backprop step as the picture's edges write it.
FIRST_STEP = "∂x1·w1/∂w1 = 1.5   w1.grad += 1.5 × "

#: Per notebook: per language, texts its outputs must contain; and the least number of pictures (PNG or SVG).
EXPECTED = {
    "01_neuron_and_chain_rule": ({"en": ["gradcheck passes: True", "PyTorch agrees", "∂c/∂a = 6.0", FIRST_STEP],
                                  "es": ["gradcheck pasa: True", "PyTorch coincide", "∂c/∂a = 6.0", FIRST_STEP]}, 7),
    "02_activations_and_losses": ({"en": ["sum of probabilities: 1.0", "gradient reaching the logit"],
                                   "es": ["suma de las probabilidades: 1.0", "gradiente que llega al logit"]}, 3),
    "03_perceptron_and_mlp": ({"en": ["XOR, one hidden layer", "training accuracy"],
                               "es": ["XOR, una capa oculta", "exactitud en entrenamiento"]}, 8),
    "04_training_pathologies": ({"en": ["TrainingDiverged", "stopped early"],
                                 "es": ["TrainingDiverged", "parada temprana"]}, 8),
    "05_mlp_on_images": ({"en": ["test accuracy", "pixels shuffled", "retrograd's MLPClassifier"],
                          "es": ["exactitud en prueba", "píxeles barajados", "el MLPClassifier de retrograd"]}, 4),
    "06_scalar_vs_tensor": ({"en": ["largest difference between the engines' gradients", "faster"],
                             "es": ["mayor diferencia entre los gradientes de los dos motores", "más rápido"]}, 2),
    "07_playground": ({"en": ["Playground(xor, 2-4-1 tanh, epoch 40", "✓ Solved", "→ Choose the Gaussian"],
                       "es": ["Playground(xor, 2-4-1 tanh, epoch 40", "✓ Resuelto", "→ Elige primero"]}, 0),
}


#: Code run after a notebook's own cells, in its kernel: the teaching claims its text makes, checked on the
#: numbers its own cells computed (so that a change of settings that breaks a claim fails here), and the
#: playground's controls worked as a student would click them.
CHECKS = {
    "03_perceptron_and_mlp": """
# Universal approximation: the median error over the seeds falls with every doubling of the width.
assert all(later < earlier for earlier, later in zip(median_errors, median_errors[1:])), median_errors
assert median_errors[-1] < median_errors[0] / 50, median_errors
# Schedules: in every seed, every decaying schedule ends below the constant rate and bounces less.
constant, *decaying = schedules
for name in decaying:
    assert all(mine < theirs for mine, theirs in zip(final_loss[name], final_loss[constant])), (name, final_loss)
    assert np.median(bounce[name]) < np.median(bounce[constant]) / 3, (name, bounce)
print("claims of notebook 3 hold")
""",
    "04_training_pathologies": """
# Regularisation, in every seed: L2 and L1 lower the test loss; dropout raises the test accuracy while its
# test loss stays as high as without; dropout with L2 has both: better accuracy, a loss near L2's.
none, l2, l1, dropout, dropout_l2 = settings
for seed in range(len(seeds)):
    loss = {name: final_test_loss[name][seed] for name in settings}
    accuracy = {name: final_test_accuracy[name][seed] for name in settings}
    assert loss[l2] < loss[none] / 2 and loss[l1] < loss[none] / 1.5, (seed, loss)
    assert accuracy[dropout] > accuracy[none] and loss[dropout] > loss[none], (seed, loss, accuracy)
    assert accuracy[dropout_l2] > accuracy[none] and loss[dropout_l2] < loss[none] / 2, (seed, loss, accuracy)
assert np.median(final_test_loss[dropout_l2]) < np.median(final_test_loss[l2]) + 0.05, final_test_loss
print("claims of notebook 4 hold")
""",
    "05_mlp_on_images": """
# Shuffled pixels: the same training, epoch by epoch, and the same weights in pixel order; a shift hurts.
assert gap == 0.0 and weight_gap < 1e-9, (gap, weight_gap)
assert shifted_accuracy < ordered_history.val_accuracy[-1] - 0.2, shifted_accuracy
print("claims of notebook 5 hold")
""",
    "07_playground": """
page = lambda **changes: playground.set_state({"controls": {**playground.controls, **changes}})
page(data_set="xor")
assert playground.state.data_set == "xor" and playground.epoch == 0, "changing the data set starts a new run"
before = playground.grids
playground.set_state({"playing": True})
for _ in range(11):
    playground._handle_custom_msg({"type": "tick"}, [])
assert playground.epoch == 11 and playground.frame["epoch"] == 11, playground.epoch
assert playground.grids != before
page(learning_rate=0.1)
assert playground.run.optimizer.lr == 0.1 and playground.epoch == 11
page(hidden=[4, 9])
assert playground.controls["hidden"] == [4, 2] and playground.notice, playground.notice
print("the controls retrain and redraw")
""",
}


def execute(
    stem: str, language: str, check: str | None = None, env: dict[str, str] | None = None
) -> tuple[nbformat.NotebookNode, float]:
    """Run notebook ``stem`` in ``language`` (then ``check``) in a fresh kernel; returns it run, and its seconds."""
    path = build.notebook_path(stem, language)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(SETUP, id="setup"))
    if check is not None:
        notebook.cells.append(nbformat.v4.new_code_cell(check, id="check"))
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute(env={**KERNEL_ENV, **(env or {})})
    return notebook, time.perf_counter() - start


#: Notebooks that must display an interactive widget (the playground) or the stepper's viewer (an iframe).
WITH_WIDGETS = ("07_playground",)
WITH_VIEWER = ("01_neuron_and_chain_rule",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def viewer_count(notebook: nbformat.NotebookNode) -> int:
    """How many of the notebook's outputs show the stepper's in-browser viewer."""
    return sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type in ("execute_result", "display_data")
        and "rg-viewer-frame" in output.data.get("text/html", "")
    )


def cell_seconds(notebook: nbformat.NotebookNode) -> list[tuple[int, float]]:
    """``(cell index, seconds)`` for every executed cell, from the timings nbclient records in the metadata."""
    timings = []
    for index, cell in enumerate(notebook.cells):
        execution = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in execution and "shell.execute_reply" in execution:
            start, end = (datetime.fromisoformat(execution[key].replace("Z", "+00:00"))
                          for key in ("iopub.execute_input", "shell.execute_reply"))
            timings.append((index, (end - start).total_seconds()))
    return timings


def timing_report(stem: str, notebook: nbformat.NotebookNode, seconds: float) -> str:
    """One line: the notebook's total time, the time spent in its cells, and its slowest cell."""
    timings = cell_seconds(notebook)
    in_cells = sum(s for _, s in timings)
    slowest, slowest_seconds = max(timings, key=lambda t: t[1], default=(None, 0.0))
    return f"{stem}: {seconds:.1f} s ({in_cells:.1f} s in cells; slowest: cell {slowest}, {slowest_seconds:.1f} s)"


def output_texts(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook printed or displayed as text, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                parts.append(output.data.get("text/plain", ""))
            elif output.output_type == "error":
                parts.append("\n".join(output.traceback))
    return "\n".join(parts)


def displayed_count(notebook: nbformat.NotebookNode, *mime_types: str) -> int:
    """How many of the notebook's displayed outputs hold one of ``mime_types``."""
    return sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type in ("execute_result", "display_data") and any(m in output.data for m in mime_types)
    )


def picture_count(notebook: nbformat.NotebookNode) -> int:
    """How many PNG or SVG pictures the notebook's cells displayed."""
    return displayed_count(notebook, "image/png", "image/svg+xml")


BOTH = [(stem, language) for stem in build.NOTEBOOKS for language in build.LANGUAGES]
BOTH_IDS = [f"{language}/{stem}" for stem, language in BOTH]

#: Words of English prose; none may appear in a Spanish text cell outside code, maths and links.
ENGLISH_WORDS = {"the", "and", "is", "are", "with", "which", "this", "that", "of", "it", "to", "when", "from"}


def prose_words(markdown: str) -> list[str]:
    """The words of a markdown text outside `code`, $maths$ and link targets, in lower case."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)", " ", markdown, flags=re.DOTALL)
    return re.findall(r"[a-záéíóúñü]+", text.lower())


def test_every_notebook_is_listed():
    assert list(build.LANGUAGES) == ["es", "en"]
    for language in build.LANGUAGES:
        on_disk = sorted(path.stem for path in (NOTEBOOKS / language).glob("*.ipynb"))
        assert on_disk == sorted(build.NOTEBOOKS) == sorted(EXPECTED), language
    assert not list(NOTEBOOKS.glob("*.ipynb")), "notebooks live in notebooks/es/ and notebooks/en/"


@pytest.mark.parametrize("stem", list(build.NOTEBOOKS))
def test_every_text_cell_is_written_in_both_languages(stem):
    for index, cell in enumerate(build.cells(stem)):
        if cell.kind != "markdown":
            continue
        spanish, english = cell.texts["es"], cell.texts["en"]
        assert spanish and english and spanish != english, f"{stem} cell {index}: the same text in both languages"
        english_in_spanish = sorted(set(prose_words(spanish)) & ENGLISH_WORDS)
        assert not english_in_spanish, f"{stem} cell {index}: English words in the Spanish text: {english_in_spanish}"


def test_the_notebooks_draw_by_level_and_step_through_the_moons_network():
    """Notebook 1 and the tensor notebook use the levels; notebook 3 steps through backprop of the
    2-16-16-1 moons MLP; notebook 4 colours a deep net by gradient to show it vanishing."""

    def code_of(stem: str) -> str:
        return "\n".join(cell.source("en") for cell in build.cells(stem) if cell.kind == "code")

    stems = ("01_neuron_and_chain_rule", "03_perceptron_and_mlp", "04_training_pathologies", "06_scalar_vs_tensor")
    first, mlp, pathologies, tensor = (code_of(stem) for stem in stems)
    assert 'level="neuron"' in first and "expand=" in first and "BackpropStepper(network_loss" in first
    assert 'level="layer"' in tensor
    assert "[16, 16, 1]" in mlp and "make_moons" in mlp and "viz.BackpropStepper(point_loss, model=model)" in mlp
    assert "color_by_grad=True" in pathologies and "[4] * 6" in pathologies


def test_the_english_word_check_can_fail():
    assert set(prose_words("The learning rate is `the_rate` and $the$")) & ENGLISH_WORDS == {"the", "is", "and"}
    assert not set(prose_words("La tasa de aprendizaje (learning rate) es [enlace](the_file.ipynb)")) & ENGLISH_WORDS


def test_a_code_cell_reads_each_language_from_its_markers():
    cell = course.code('''print("«hola|hello»")  # «un comentario|a comment»''')
    assert cell.source("es") == 'print("hola")  # un comentario'
    assert cell.source("en") == 'print("hello")  # a comment'
    with pytest.raises(ValueError, match="unbalanced"):
        course.code('print("«hola|hello")')
    with pytest.raises(ValueError, match="unbalanced"):
        course.code('print("«a|b|c»")')
    with pytest.raises(ValueError, match="empty half"):
        course.code('# «un comentario|»')
    with pytest.raises(ValueError, match="without its es text"):
        course.md(es=" ", en="text")


@pytest.mark.parametrize(("stem", "language"), BOTH, ids=BOTH_IDS)
def test_notebook_is_committed_from_its_source_without_outputs(stem, language):
    text = build.notebook_path(stem, language).read_text(encoding="utf-8")
    stale = f"{language}/{stem}.ipynb is stale: run python notebooks/build.py"
    assert text == build.notebook_text(stem, language), stale
    notebook = nbformat.reads(text, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert f'viz.set_language("{language}")' in code_cells[0].source, f"{stem}: its first code cell sets the language"
    for cell in code_cells:
        assert cell.outputs == [] and cell.execution_count is None
        long_lines = [line for line in cell.source.splitlines() if len(line) > 120]
        assert not long_lines, f"{language}/{stem}: code lines over 120 characters: {long_lines}"


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "language"), BOTH, ids=BOTH_IDS)
def test_notebook_runs_top_to_bottom(stem, language):
    notebook, seconds = execute(stem, language, CHECKS.get(stem))
    print(timing_report(f"{language}/{stem}", notebook, seconds))
    texts = output_texts(notebook)
    expected_texts, least_pictures = EXPECTED[stem]
    for expected in expected_texts[language]:
        assert expected in texts, f"{language}/{stem}: no output contains {expected!r}"
    pictures = picture_count(notebook)
    assert pictures >= least_pictures, f"{language}/{stem}: {pictures} pictures, expected at least {least_pictures}"
    if stem in WITH_WIDGETS:
        assert displayed_count(notebook, WIDGET_VIEW) >= 1, f"{language}/{stem}: no widget was displayed"
    if stem in WITH_VIEWER:
        assert viewer_count(notebook) >= 1, f"{language}/{stem}: the stepper's viewer was not displayed"
    if stem in CHECKS:
        assert notebook.cells[-1].outputs, f"{language}/{stem}: the check after the notebook printed nothing"
    assert "Traceback" not in texts


@pytest.mark.slow
def test_the_images_notebook_uses_fashion_mnist_when_its_files_are_there(tmp_path):
    write_fashion_mnist(tmp_path, compressed=True, train=300, test=100)
    notebook, _ = execute("05_mlp_on_images", "en", env={"FASHION_MNIST_DIR": str(tmp_path)})
    texts = output_texts(notebook)
    assert "Fashion-MNIST: MLP 784-64-10, 300 training images" in texts, texts
    assert "Without Fashion-MNIST" not in texts and "Traceback" not in texts


def main(argv: list[str]) -> None:
    """``python tests/course/test_notebooks.py OUT [STEM ...]``: run notebooks in both languages, save them to OUT."""
    out = Path(argv[0]) if argv else Path("/tmp/notebooks-executed")
    for stem in argv[1:] or list(build.NOTEBOOKS):
        for language in build.LANGUAGES:
            notebook, seconds = execute(stem, language)
            (out / language).mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, out / language / f"{stem}.ipynb")
            print(f"{timing_report(f'{language}/{stem}', notebook, seconds)}, {picture_count(notebook)} pictures")


if __name__ == "__main__":
    main(sys.argv[1:])
