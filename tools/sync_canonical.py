"""Rewrite each chapter's copies of the canonical cells from tools/canonical/ (after a change there).

    python tools/sync_canonical.py notebooks/*.ipynb

A copy is recognized by the start of its first line; the setup cell keeps its chapter's REQUIRES;
a copy with lines the chapter declares as its own (`# this chapter:`) is reported, not rewritten.
"""

import sys

import nbformat
from canonical import OWN, PER_CHAPTER, canonical

PREFIXES = {
    "setup": "# Setup:",
    "helpers": "# The book's helpers",
    "exercise_helpers": "# Exercise-check helpers",
    "trainer": "# The book's trainer",
}


def sync(path):
    nb = nbformat.read(path, as_version=4)
    canon, changed = canonical(), 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        name = next((n for n, p in PREFIXES.items() if cell.source.startswith(p)), None)
        if name is None or cell.source == canon[name]:
            continue
        if OWN in cell.source:
            print(f"{path}: its {name} cell has lines of its own: update it by hand")
            continue
        new = canon[name]
        if name == "setup":
            mine = PER_CHAPTER.search(cell.source)
            if mine:
                start, stop = PER_CHAPTER.search(new).span()
                new = new[:start] + mine.group(0) + new[stop:]
        if new != cell.source:
            cell.source, changed = new, changed + 1
    if changed:
        nbformat.write(nb, path)
        print(f"{path}: {changed} cells rewritten")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        sync(p)
