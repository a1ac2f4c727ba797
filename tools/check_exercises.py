"""Exercises must bite: every check cell fails on the student's stub and passes on the solution.

An exercise is a group of cells: prompt (markdown `{exercise}`), stub (tag `exercise`), solution
(cells tagged `solution`), wrong answers (one code cell tagged `wrong` and `remove-cell` that
defines `WRONG_ANSWERS = {"what is wrong": wrong_version, ...}`, at least two), check (tag
`check`). `instrument()` returns a copy of a chapter in which, before each solution, the following
check runs once against the stub inside a guard that requires it to fail with an AssertionError
(a readable message) and raises if it passes; and after the wrong-answers cell the check runs once
per wrong answer (the stub's name rebound to it) and must fail on each, then the solution is
restored. Running the
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

ROOT = Path(__file__).resolve().parent.parent

GUARD = """\
# [instrumented by tools/check_exercises.py] the check for {label!r}, run against the stub
try:
{body}
except AssertionError as _stub_error:
    print("stub rejected as it should be:", _stub_error)
else:
    raise AssertionError("the check for exercise {label!r} passed on the stub: it cannot fail")
"""


WRONG_GUARD = """\
# [instrumented by tools/check_exercises.py] the check for {label!r}, run on each wrong answer
assert len(WRONG_ANSWERS) >= 2, "exercise {label!r} needs at least two plausible wrong answers"
_solution = {name}
for _what, {name} in WRONG_ANSWERS.items():
    try:
{body}
    except AssertionError as _wrong_error:
        print(f"wrong answer rejected ({{_what}}):", _wrong_error)
    else:
        raise AssertionError(f"the check for {label!r} accepted a wrong answer: {{_what}}")
{name} = _solution
del _solution
"""


def stub_name(source):
    """The name the stub defines (its first `def` or assignment): what the check exercises."""
    import ast

    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            return node.name
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    raise ValueError(f"the stub defines no name:\n{source}")


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def exercises(nb, require_solution=True):
    """List of dicts (label, stub, solution, check: cell indices); raises ValueError on a malformed group."""
    found, label, stub, solution, wrong = [], None, None, [], None
    for i, cell in enumerate(nb.cells):
        t = tags(cell)
        if cell.cell_type == "markdown" and "{exercise}" in cell.source:
            m = re.search(r":label:\s*(\S+)", cell.source)
            label, stub, solution, wrong = (
                (m.group(1) if m else f"cell {i}"),
                None,
                [],
                None,
            )
        elif "wrong" in t:
            wrong = i
        elif "exercise" in t:
            stub = i
        elif "solution" in t:
            solution.append(i)
        elif "check" in t:
            if stub is None or (require_solution and not solution):
                raise ValueError(
                    f"check cell {i} ({label}) needs a stub cell tagged 'exercise' and solution cells before it"
                )
            found.append(
                {
                    "label": label,
                    "stub": stub,
                    "solution": solution,
                    "wrong": wrong,
                    "check": i,
                }
            )
            stub, solution, wrong = None, [], None
    return found


def _inserted(source):
    """A cell added by the instrumentation (the test pipeline drops it from the book's copy)."""
    return nbformat.v4.new_code_cell(source, metadata={"deeper": {"inserted": True}})


def instrument(nb):
    nb = copy.deepcopy(nb)
    groups = exercises(nb)
    for g in reversed(groups):
        code = nb.cells[g["check"]].source
        if g["wrong"] is not None:
            name = stub_name(nb.cells[g["stub"]].source)
            body = textwrap.indent(code, "        ") or "        pass"
            wrong_guard = WRONG_GUARD.format(label=g["label"], name=name, body=body)
            nb.cells.insert(g["wrong"] + 1, _inserted(wrong_guard))
        guard = GUARD.format(
            label=g["label"], body=textwrap.indent(code, "    ") or "    pass"
        )
        nb.cells.insert(g["solution"][0], _inserted(guard))
    return nb


def main(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    groups = exercises(nb)
    print(f"{path}: {len(groups)} exercises: {', '.join(g['label'] for g in groups)}")
    inst = instrument(nb)
    with (
        tempfile.TemporaryDirectory() as tmp
    ):  # run from an empty directory, as in Colab
        t0 = time.time()
        NotebookClient(
            inst,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": tmp}},
        ).execute()
    print(
        f"OK: every check failed on its stub and passed on its solution ({time.time() - t0:.0f} s)"
    )


def write(out_dir, paths):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        for i, cell in enumerate(
            nb.cells
        ):  # where each cell came from, for error reports
            cell.metadata.setdefault("deeper", {})["cell"] = i
        src = Path(p).resolve()
        inside = src.is_relative_to(
            ROOT / "notebooks"
        )  # only the book's chapters are cached
        nb.metadata["deeper"] = (
            {"source": src.relative_to(ROOT).as_posix()} if inside else {}
        )
        nbformat.write(instrument(nb), out / Path(p).name)
        print(f"instrumented {p}: {len(exercises(nb))} exercises")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--write":
        write(args[1], args[2:])
    else:
        for p in args:
            main(p)
