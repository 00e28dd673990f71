"""Write the course notebooks (``notebooks/*.ipynb``) from the cell lists in ``notebooks/course/``.

The notebooks are generated so that they can be reviewed as Python and regenerated after an API
change; they are saved without outputs (run them in Jupyter, or let the tests execute them)::

    python notebooks/build.py            # rewrite every notebook
    python notebooks/build.py --check    # exit 1 if a committed notebook differs from its source

Each module in ``notebooks/course/`` defines ``CELLS``: a list of ``md(...)`` and ``code(...)``.
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


def make_notebook(stem: str) -> nbformat.NotebookNode:
    """The notebook ``stem`` built from its cell list, with stable cell ids and no outputs."""
    module = importlib.import_module(NOTEBOOKS[stem])
    cells = []
    for index, (kind, source) in enumerate(module.CELLS):
        cell_id = f"{stem[:2]}-{index:03d}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        else:
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    nbformat.validate(notebook)
    return notebook


def notebook_text(stem: str) -> str:
    """The JSON text of notebook ``stem`` exactly as it is written to disk."""
    return nbformat.writes(make_notebook(stem)) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write every notebook, or with ``--check`` report the ones that differ from their source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a notebook is stale")
    parser.add_argument("stems", nargs="*", metavar="STEM", help="notebooks to build, e.g. 01_neuron_and_chain_rule")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.stems) - set(NOTEBOOKS))
    if unknown:
        parser.error(f"unknown notebook {', '.join(unknown)}; choose from {', '.join(NOTEBOOKS)}")
    stale = []
    for stem in args.stems or NOTEBOOKS:
        path = HERE / f"{stem}.ipynb"
        text = notebook_text(stem)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run python notebooks/build.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
