"""Exercises must bite: every check cell fails on the student's stub and passes on the solution.

An exercise is a group of cells: prompt (markdown `{exercise}`), stub (tag `exercise`), solution
(cells tagged `solution`), check (tag `check`). `instrument()` returns a copy of a chapter in which,
before each solution, the following check runs once against the stub inside a guard that requires
it to fail with an AssertionError (a readable message) and raises if it passes. Running the
instrumented copy top to bottom therefore runs the whole chapter once and checks every exercise
both ways. The test suite runs these copies with nbval; this script does it for one chapter:

    python tools/check_exercises.py notebooks/perceptron.ipynb      # execute here, report
    python tools/check_exercises.py --write _build/nbval notebooks/*.ipynb  # write copies for nbval
"""
import copy
import re
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat

GUARD = '''\
# [instrumented by tools/check_exercises.py] the check for {label!r}, run against the stub
try:
{body}
except AssertionError as _stub_error:
    print("stub rejected as it should be:", _stub_error)
else:
    raise AssertionError("the check for exercise {label!r} passed on the stub: it cannot fail")
'''


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def exercises(nb):
    """List of dicts (label, stub, solution, check: cell indices); raises ValueError on a malformed group."""
    found, label, stub, solution = [], None, None, []
    for i, cell in enumerate(nb.cells):
        t = tags(cell)
        if cell.cell_type == "markdown" and "{exercise}" in cell.source:
            m = re.search(r":label:\s*(\S+)", cell.source)
            label, stub, solution = (m.group(1) if m else f"cell {i}"), None, []
        elif "exercise" in t:
            stub = i
        elif "solution" in t:
            solution.append(i)
        elif "check" in t:
            if stub is None or not solution:
                raise ValueError(f"check cell {i} ({label}) needs a stub cell tagged 'exercise' and solution cells before it")
            found.append({"label": label, "stub": stub, "solution": solution, "check": i})
            stub, solution = None, []
    return found


def instrument(nb):
    nb = copy.deepcopy(nb)
    groups = exercises(nb)
    for g in reversed(groups):
        code = nb.cells[g["check"]].source
        guard = GUARD.format(label=g["label"], body=textwrap.indent(code, "    ") or "    pass")
        nb.cells.insert(g["solution"][0], nbformat.v4.new_code_cell(guard))
    return nb


def main(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    groups = exercises(nb)
    print(f"{path}: {len(groups)} exercises: {', '.join(g['label'] for g in groups)}")
    inst = instrument(nb)
    with tempfile.TemporaryDirectory() as tmp:            # run from an empty directory, as in Colab
        t0 = time.time()
        NotebookClient(inst, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
    print(f"OK: every check failed on its stub and passed on its solution ({time.time() - t0:.0f} s)")


def write(out_dir, paths):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        nbformat.write(instrument(nb), out / Path(p).name)
        print(f"instrumented {p}: {len(exercises(nb))} exercises")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--write":
        write(args[1], args[2:])
    else:
        for p in args:
            main(p)
