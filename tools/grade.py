"""Grade students' notebooks, exercise by exercise, with the book's own checks.

    python tools/grade.py SUBMISSION.ipynb... [--csv results.csv] [--gradescope results.json]
                          [--time-limit 60] [--book notebooks]

For each submission the grader finds its chapter (student versions say so in their metadata),
takes that chapter from the book (notebooks/<chapter>.ipynb) without its solutions and wrong
answers, and puts in the student's code for each exercise: their stub cell and any cells they
added after it. Everything else, the check cells included, is the book's own text, so editing or
deleting a check changes nothing. It runs the result in an empty temporary directory (as Colab
would), cell by cell: an exercise whose code or check fails, crashes or does not finish within the
time limit scores zero and the rest are still graded. Points come from the check cell's metadata
(`{"deeper": {"points": 2}}`, default 1).

Output: a line per exercise (points, maximum, the check's message); with --csv one row per
submission and exercise for a whole class; with --gradescope, Gradescope's results.json (one
submission). The exit status is 0 whenever grading happened, whatever the scores; bad input (not a
notebook, a corrupt file, a notebook that is not a chapter of this book) gets a one-line error and
exit status 2.

Why not nbgrader or otter-grader: both do what this tool does (nbgrader's autograde step restores
the instructor's test cells; otter writes Gradescope's results.json), but each needs the chapters
in its own format: nbgrader's cell metadata and ids with its database and course layout, otter's
assignment syntax and its separate test files. The book's exercises are already tagged cells
(stub, solution, wrong answers, check) that the tests run on every build; converting them would
give every chapter a second format to keep in step. This tool reads the book's own format and is
about 300 lines.
"""

import argparse
import copy
import csv
import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from check_exercises import exercises  # noqa: E402  (tools/ is put on the path just above)

BOOK_ONLY_TAGS = {"solution", "wrong"}
CELL_LIMIT_S = 900  # the book's own cells: generous, they are not the student's


class BadSubmissionError(Exception):
    """Input the grader cannot grade: reported in one line, exit status 2."""


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def load(path):
    path = Path(path)
    if not path.is_file():
        raise BadSubmissionError(f"{path}: no such file")
    if path.suffix != ".ipynb":
        raise BadSubmissionError(f"{path}: not a Jupyter notebook (.ipynb)")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises several kinds for a damaged file
        first = (
            str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
        )
        raise BadSubmissionError(f"{path}: not a readable notebook ({first})") from None


def chapter_of(nb, path, book):
    """The book chapter a submission belongs to."""
    name = nb.metadata.get("deeper", {}).get("chapter") or Path(path).stem
    source = Path(book) / f"{name}.ipynb"
    if not re.fullmatch(r"[a-z_]+", name) or not source.exists():
        raise BadSubmissionError(
            f"{path}: not a chapter of this book (expected a student version of one of: "
            f"{', '.join(sorted(p.stem for p in Path(book).glob('*.ipynb')))})"
        )
    return name, source


def _stub_index(nb, label):
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("deeper", {}).get("exercise") == label:
            return i
    for i, cell in enumerate(
        nb.cells
    ):  # no metadata (e.g. an editor dropped it): by the prompt
        if cell.cell_type == "markdown" and re.search(
            rf":label:\s*{re.escape(label)}\s", cell.source + "\n"
        ):
            return next(
                (
                    j
                    for j in range(i + 1, len(nb.cells))
                    if nb.cells[j].cell_type == "code"
                ),
                None,
            )
    return None


def student_code(sub, label, book_sources):
    """The student's cells for one exercise: the stub cell and the code cells they added after it."""
    start = _stub_index(sub, label)
    if start is None:
        return None
    cells = [sub.cells[start]]
    for cell in sub.cells[start + 1 :]:
        if cell.source in book_sources or tags(cell) & {"check", "exercise"}:
            break
        if cell.cell_type == "code" and "wrong" not in tags(cell):
            cells.append(
                cell
            )  # a solution notebook's solution cells count as the answer
    return cells


def graded_notebook(source_nb, sub):
    """The book's chapter with each exercise's stub replaced by the student's code."""
    groups = exercises(source_nb)
    book = copy.deepcopy(source_nb)
    stubs = {g["stub"]: g for g in groups}
    book_sources = {
        c.source
        for i, c in enumerate(book.cells)
        if i not in stubs and not tags(c) & BOOK_ONLY_TAGS and c.source.strip()
    }
    cells, plan = [], []
    for i, cell in enumerate(book.cells):
        if tags(cell) & BOOK_ONLY_TAGS:
            continue
        if i in stubs:
            g = stubs[i]
            mine = student_code(sub, g["label"], book_sources) or [cell]
            for c in mine:
                new = nbformat.v4.new_code_cell(c.source)
                plan.append(("student", g["label"]))
                cells.append(new)
            continue
        if cell.cell_type == "code":
            g = next((g for g in groups if g["check"] == i), None)
            plan.append(("check", g["label"]) if g else ("book", None))
        else:
            plan.append(("markdown", None))
        cells.append(cell)
    book.cells = cells
    points = {g["label"]: book_points(source_nb.cells[g["check"]]) for g in groups}
    return book, plan, points


def book_points(check_cell):
    return check_cell.get("metadata", {}).get("deeper", {}).get("points", 1)


def _error(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), re.sub(
                r"\x1b\[[0-9;]*m", "", str(out.get("evalue", ""))
            )
    return None


def run(nb, plan, time_limit):
    """Execute cell by cell; returns {cell index: None | (ename, evalue) | 'timeout'}."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    status = {}
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb,
            kernel_name="python3",
            allow_errors=True,
            interrupt_on_timeout=True,
            resources={"metadata": {"path": tmp}},
        )
        with client.setup_kernel():
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                client.timeout = (
                    time_limit if plan[i][0] in ("student", "check") else CELL_LIMIT_S
                )
                try:
                    client.execute_cell(cell, i)
                    err = _error(cell)
                    timed_out = err and err[0] == "KeyboardInterrupt"
                    status[i] = "timeout" if timed_out else err
                except CellTimeoutError:
                    status[i] = "timeout"
                except CellExecutionError as e:
                    status[i] = ("Error", str(e).strip().splitlines()[-1])
    return status


def grade(path, book=ROOT / "notebooks", time_limit=60):
    sub = load(path)
    name, source = chapter_of(sub, path, book)
    source_nb = nbformat.read(source, as_version=4)
    nb, plan, points = graded_notebook(source_nb, sub)
    status = run(nb, plan, time_limit)
    results = []
    for label, max_points in points.items():
        idx = [i for i, (kind, lab) in enumerate(plan) if lab == label]
        problems = [status.get(i) for i in idx if status.get(i)]
        if any(p == "timeout" for p in problems):
            msg, got = f"timed out (time limit {time_limit} s)", 0
        elif any(
            p[0] == "AssertionError" and "not written yet" in p[1] for p in problems
        ) or any(p[0] == "NotImplementedError" for p in problems):
            msg, got = "not attempted (the stub still raises NotImplementedError)", 0
        elif problems:
            ename, evalue = problems[0]
            msg, got = (
                f"{ename}: {evalue.strip().splitlines()[0] if evalue.strip() else ''}"[
                    :300
                ],
                0,
            )
        else:
            msg, got = "passed", max_points
        results.append(
            {
                "submission": str(path),
                "chapter": name,
                "exercise": label,
                "points": got,
                "max_points": max_points,
                "message": msg,
            }
        )
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("submissions", nargs="+", help="students' .ipynb files")
    ap.add_argument(
        "--csv", help="write one row per submission and exercise to this file"
    )
    ap.add_argument(
        "--gradescope", help="write Gradescope's results.json (one submission) here"
    )
    ap.add_argument(
        "--time-limit",
        type=float,
        default=60,
        help="seconds per exercise cell (default 60)",
    )
    ap.add_argument("--book", default=str(ROOT / "notebooks"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.gradescope and len(args.submissions) != 1:
        print(
            "grade.py: --gradescope writes one submission's results; give one notebook",
            file=sys.stderr,
        )
        return 2
    rows = []
    try:
        for path in args.submissions:
            load(path)  # fail fast on bad input, before any grading
            chapter_of(load(path), path, args.book)
        for path in args.submissions:
            results = grade(path, args.book, args.time_limit)
            total, most = (
                sum(r["points"] for r in results),
                sum(r["max_points"] for r in results),
            )
            print(
                f"{path} ({results[0]['chapter'] if results else '?'}): {total}/{most}"
            )
            for r in results:
                print(
                    f"  {r['exercise']:32s} {r['points']}/{r['max_points']}  {r['message']}"
                )
            rows += results
    except BadSubmissionError as e:
        print(f"grade.py: {e}", file=sys.stderr)
        return 2
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(
                f,
                fieldnames=[
                    "submission",
                    "chapter",
                    "exercise",
                    "points",
                    "max_points",
                    "message",
                ],
            )
            w.writeheader()
            w.writerows(rows)
    if args.gradescope:
        tests = [
            {
                "name": r["exercise"],
                "score": r["points"],
                "max_score": r["max_points"],
                "output": r["message"],
            }
            for r in rows
        ]
        Path(args.gradescope).write_text(
            json.dumps(
                {"score": sum(t["score"] for t in tests), "tests": tests}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
