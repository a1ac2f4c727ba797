"""Running a training chapter twice on the same machine gives the same glued numbers: all
randomness goes through explicit JAX keys."""
import tempfile

import nbformat
import pytest
from nbclient import NotebookClient

from bookcheck import ROOT

pytestmark = pytest.mark.notebooks

CHAPTER = ROOT / "notebooks" / "perceptron.ipynb"     # trains networks (XOR, width sweep)


def glued_values(path):
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                values[meta["name"]] = out["data"].get("text/plain")
    return values


def test_same_glued_numbers_twice():
    first, second = glued_values(CHAPTER), glued_values(CHAPTER)
    assert len(first) >= 4, f"expected the chapter to glue at least 4 values, got {sorted(first)}"
    assert first == second, {k: (first[k], second.get(k)) for k in first if first[k] != second.get(k)}
