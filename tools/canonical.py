"""The cells every chapter copies (Colab needs each notebook self-contained), kept in one place.

tools/canonical/*.py hold the canonical text of the setup cell, the book's helpers, the
exercise-check helpers and the trainer. A chapter's copy is found by its first line and must
equal the canonical text, except for lines the chapter declares as its own:

- a line ending in `# this chapter: <why>`, or a block that starts with a comment line
  `# this chapter: <why>` and runs to the next blank line, is the chapter's addition;
- the REQUIRES list of the setup cell holds each chapter's own packages.

    python tools/canonical.py notebooks/*.ipynb          # report the cells that differ
    python tools/canonical.py --fix notebooks/x.ipynb    # rewrite undeclared copies
"""

import difflib
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent / "canonical"
NAMES = ["setup", "helpers", "exercise_helpers", "trainer"]
OWN = "# this chapter:"
NOT_TRAINER = "# not the book's trainer:"


def canonical():
    return {n: (HERE / f"{n}.py").read_text().rstrip("\n") for n in NAMES}


def _chapter_lines(text):
    """The lines of a chapter's copy, without the ones it declares as its own."""
    out, in_block = [], False
    for line in text.splitlines():
        if line.strip().startswith(OWN):
            in_block = True
            continue
        if in_block and not line.strip():
            in_block = False
            continue
        if in_block or OWN in line:
            continue
        out.append(line)
    return out


PER_CHAPTER = re.compile(r"^(REQUIRES) = \[.*?\][^\n]*", flags=re.M | re.S)


def _normal(text):
    """The text with each chapter's own values (REQUIRES, however formatted) blanked out."""
    return PER_CHAPTER.sub(r"\1 = <per chapter>", text)


def _match(canon_lines, got_lines):
    if len(canon_lines) != len(got_lines):
        return False
    for c, g in zip(canon_lines, got_lines, strict=True):
        if "# per chapter" in c:
            if not g.startswith(c.split("=")[0] + "="):
                return False
        elif c != g:
            return False
    return True


def which(cell_source, canon=None):
    canon = canon or canonical()
    first = cell_source.split("\n", 1)[0]
    return next((n for n, t in canon.items() if t.split("\n", 1)[0] == first), None)


def problems(nb, canon=None):
    """What differs from the canonical cells in one chapter (empty if nothing)."""
    canon = canon or canonical()
    out, seen = [], set()
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        name = which(cell.source, canon)
        if name is None:
            trains = "optimizer.update" in cell.source and "scan(" in cell.source
            if trains and NOT_TRAINER not in cell.source:
                out.append(
                    f"code cell {i} has its own training loop: use the book's trainer "
                    f"(tools/canonical/trainer.py) or say why with '{NOT_TRAINER} ...'"
                )
            continue
        seen.add(name)
        want = _normal(canon[name]).splitlines()
        got = _normal("\n".join(_chapter_lines(cell.source.rstrip("\n")))).splitlines()
        if not _match(want, got):
            diff = "\n".join(
                difflib.unified_diff(
                    want, got, "canonical", "chapter", n=0, lineterm=""
                )
            )
            out.append(f"code cell {i} differs from tools/canonical/{name}.py:\n{diff}")
    if code and which(code[0].source, canon) != "setup":
        out.append("the first code cell must be the canonical setup cell")
    if len(code) > 1 and which(code[1].source, canon) != "helpers":
        out.append("the second code cell must be the canonical helpers cell")
    if "exercise_helpers" not in seen:
        out.append(
            "no canonical exercise-helpers cell (tools/canonical/exercise_helpers.py)"
        )
    return out


def fix(nb, canon=None):
    canon = canon or canonical()
    for cell in nb.cells:
        name = cell.cell_type == "code" and which(cell.source, canon)
        if name and OWN not in cell.source and "# per chapter" not in canon[name]:
            cell.source = canon[name]
    return nb


def main(argv):
    do_fix = "--fix" in argv
    bad = 0
    for path in [a for a in argv if not a.startswith("--")]:
        nb = nbformat.read(path, as_version=4)
        if do_fix:
            nbformat.write(fix(nb), path)
        for p in problems(nb):
            bad += 1
            print(f"{path}: {p}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
