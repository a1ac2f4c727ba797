"""The same code gives the same numbers twice on the same machine: all randomness goes through
explicit JAX keys. Checked on the model chapter up to its first claim that rests on training
(seconds, not a second full run of the chapter)."""

import re
import tempfile

import nbformat
import pytest
from bookcheck import ROOT, read
from nbclient import NotebookClient

pytestmark = pytest.mark.notebooks
CHAPTER = ROOT / "notebooks" / "perceptron.ipynb"


def first_training_claim(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(
            r"claim\([^)]*seeds=(?!None)", cell.source, re.S
        ):
            return i
    raise AssertionError(
        "the chapter makes no claim that rests on training (seeds=...)"
    )


def glued_values(nb):
    nb = nbformat.from_dict(nb)
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(
            nb,
            timeout=900,
            kernel_name="python3",
            resources={"metadata": {"path": tmp}},
        ).execute()
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                values[meta["name"]] = out["data"].get("text/plain")
    return values


def test_same_glued_numbers_twice():
    nb = read(CHAPTER)
    nb.cells = nb.cells[: first_training_claim(nb) + 1]
    first, second = glued_values(nb), glued_values(nb)
    assert first, "the truncated chapter glued nothing"
    assert first == second, {
        k: (first[k], second.get(k)) for k in first if first[k] != second.get(k)
    }
