"""Write the course notebooks, in Spanish (``notebooks/es/``) and English (``notebooks/en/``), from one source.

The source of each notebook is a module of ``notebooks/course/`` whose ``CELLS`` list holds, in order:

- ``md(es=..., en=...)``: a text cell, written in both languages beside each other. Spanish is the
  language of the course: write it as a lecturer would, with the English term in brackets where
  students meet it in code and papers (*tasa de aprendizaje* (learning rate)). Both are required.
- ``code(...)``: a code cell, one source for both notebooks. Names in code stay English. A comment,
  a printed string or a plot label that should read differently is written ``«español|English»``
  inside the code: ``ax.set(xlabel="«época|epoch»")`` becomes ``xlabel="época"`` in ``es/`` and
  ``xlabel="epoch"`` in ``en/``. (No ``«``, ``»`` or ``|`` inside either half.)

For example::

    CELLS = [
        md(es="## El sesgo", en="## The bias"),
        code('''
        b = Value(-1.2, "b")    # «sesgo|bias»
        print(f"«sesgo|bias»: {b.data}")
        '''),
    ]

The first code cell of every notebook calls ``viz.set_language(«"es"|"en"»)``, so the library's
pictures speak the notebook's language (a test checks it). The notebooks are generated so that they
can be reviewed as Python and regenerated after an API change; they are saved without outputs (run
them in Jupyter, or let the tests execute them)::

    python notebooks/build.py            # rewrite every notebook, both languages
    python notebooks/build.py --check    # exit 1 if a committed notebook differs from its source
    python notebooks/build.py 03_perceptron_and_mlp      # one notebook, both languages
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from course import LANGUAGES, Cell  # noqa: E402  (needs HERE on the path)

#: Notebook file stem -> module of ``notebooks/course`` holding its cells, in course order.
NOTEBOOKS = {
    "01_neuron_and_chain_rule": "course.neuron_and_chain_rule",
    "02_activations_and_losses": "course.activations_and_losses",
    "03_perceptron_and_mlp": "course.perceptron_and_mlp",
    "04_training_pathologies": "course.training_pathologies",
    "05_mlp_on_images": "course.mlp_on_images",
    "06_scalar_vs_tensor": "course.scalar_vs_tensor",
    "07_playground": "course.playground",
}

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def cells(stem: str) -> list[Cell]:
    """The cell list of notebook ``stem``, as its module in ``notebooks/course`` defines it."""
    return importlib.import_module(NOTEBOOKS[stem]).CELLS


def notebook_path(stem: str, language: str) -> Path:
    """Where notebook ``stem`` in ``language`` is committed: ``notebooks/<language>/<stem>.ipynb``."""
    return HERE / language / f"{stem}.ipynb"


def make_notebook(stem: str, language: str) -> nbformat.NotebookNode:
    """The notebook ``stem`` in ``language``, built from its cell list, with stable cell ids and no outputs."""
    notebook_cells = []
    for index, cell in enumerate(cells(stem)):
        cell_id = f"{stem[:2]}-{index:03d}"
        source = cell.source(language)
        if cell.kind == "markdown":
            notebook_cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        else:
            notebook_cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
    notebook = nbformat.v4.new_notebook(cells=notebook_cells)
    notebook.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    nbformat.validate(notebook)
    return notebook


def notebook_text(stem: str, language: str) -> str:
    """The JSON text of notebook ``stem`` in ``language`` exactly as it is written to disk."""
    return nbformat.writes(make_notebook(stem, language)) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write every notebook in both languages, or with ``--check`` report the ones that differ from their source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a notebook is stale")
    parser.add_argument("stems", nargs="*", metavar="STEM", help="notebooks to build, e.g. 01_neuron_and_chain_rule")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.stems) - set(NOTEBOOKS))
    if unknown:
        parser.error(f"unknown notebook {', '.join(unknown)}; choose from {', '.join(NOTEBOOKS)}")
    stale = []
    for stem in args.stems or NOTEBOOKS:
        for language in LANGUAGES:
            path = notebook_path(stem, language)
            text = notebook_text(stem, language)
            if args.check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(str(path.relative_to(HERE)))
            else:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run python notebooks/build.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
