"""The grader (tools/grade.py) on a small chapter made here: full marks for the solutions, zero for
an untouched or check-tampered student version, exactly one exercise's points for one solved
exercise, a time-out confined to its exercise, and one-line errors for bad input."""

import csv
import json
import subprocess
import sys

import nbformat
import pytest
from bookcheck import ROOT

pytestmark = pytest.mark.notebooks
v4 = nbformat.v4
HELPERS = """def _call(fn, *args):
    try:
        return fn(*args)
    except NotImplementedError:
        raise AssertionError(f"`{fn.__name__}` is not written yet") from None
"""


def exercise(label, stub, solution, wrong, check, points=None):
    meta = {"tags": ["check"]}
    if points:
        meta["deeper"] = {"points": points}
    return [
        v4.new_markdown_cell(
            f":::{{exercise}} {label}\n:label: {label}\n\nDo it.\n:::"
        ),
        v4.new_code_cell(stub, metadata={"tags": ["exercise"]}),
        v4.new_markdown_cell(
            f":::{{solution-start}} {label}\n:class: dropdown\n:::",
            metadata={"tags": ["solution"]},
        ),
        v4.new_code_cell(solution, metadata={"tags": ["solution"]}),
        v4.new_markdown_cell(":::{solution-end}\n:::", metadata={"tags": ["solution"]}),
        v4.new_code_cell(wrong, metadata={"tags": ["wrong", "remove-cell"]}),
        v4.new_code_cell(check, metadata=meta),
    ]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    d = tmp_path_factory.mktemp("book")
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [v4.new_markdown_cell("# A small chapter"), v4.new_code_cell(HELPERS)]
    nb.cells += exercise(
        "ex-mini-double",
        "def double(x):\n    raise NotImplementedError",
        "def double(x):\n    return 2 * x",
        'WRONG_ANSWERS = {"adds": lambda x: x + 2, "squares": lambda x: x * x}',
        "assert _call(double, 3) == 6, 'double(3) should be 6'\nassert double(5) == 10",
    )
    nb.cells += exercise(
        "ex-mini-square",
        "def square(x):\n    raise NotImplementedError",
        "def square(x):\n    return x * x",
        'WRONG_ANSWERS = {"doubles": lambda x: 2 * x, "cubes": lambda x: x ** 3}',
        "assert _call(square, 3) == 9, 'square(3) should be 9'\nassert square(-2) == 4",
        points=2,
    )
    nb.cells.append(v4.new_markdown_cell("## The end"))
    nbformat.write(nb, d / "mini.ipynb")
    sys.path.insert(0, str(ROOT / "tools"))
    from student_versions import student_version

    student = student_version(d / "mini.ipynb")
    return d, student


def grade(book_dir, *paths, extra=()):
    res = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "grade.py"),
            *map(str, paths),
            "--book",
            str(book_dir),
            "--time-limit",
            "5",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return res


def scores(res):
    assert res.returncode == 0, res.stderr[-2000:]
    out = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("ex-"):
            out[parts[0]] = int(parts[1].split("/")[0])
    return out, res.stdout


def write(tmp_path, nb, name="submission.ipynb"):
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def answer(nb, label, source):
    for cell in nb.cells:
        if cell.get("metadata", {}).get("deeper", {}).get("exercise") == label:
            cell.source = source
    return nb


def test_solutions_score_full_marks(book):
    got, out = scores(grade(book[0], book[0] / "mini.ipynb"))
    assert got == {"ex-mini-double": 1, "ex-mini-square": 2}, out


def test_untouched_student_version_scores_zero(book, tmp_path):
    got, out = scores(grade(book[0], write(tmp_path, book[1])))
    assert got == {"ex-mini-double": 0, "ex-mini-square": 0}, out
    assert "not attempted" in out


def test_deleting_the_checks_changes_nothing(book, tmp_path):
    nb = nbformat.from_dict(json.loads(json.dumps(book[1])))
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []):
            cell.source = "pass"
    got, out = scores(grade(book[0], write(tmp_path, nb)))
    assert got == {"ex-mini-double": 0, "ex-mini-square": 0}, out


def test_one_solved_exercise_scores_exactly_its_points(book, tmp_path):
    nb = answer(
        nbformat.from_dict(json.loads(json.dumps(book[1]))),
        "ex-mini-square",
        "def square(x):\n    return x ** 2",
    )
    got, out = scores(grade(book[0], write(tmp_path, nb)))
    assert got == {"ex-mini-double": 0, "ex-mini-square": 2}, out


def test_an_endless_loop_times_out_in_its_exercise_only(book, tmp_path):
    nb = nbformat.from_dict(json.loads(json.dumps(book[1])))
    answer(nb, "ex-mini-double", "def double(x):\n    while True:\n        pass")
    answer(nb, "ex-mini-square", "def square(x):\n    return x * x")
    res = grade(
        book[0], write(tmp_path, nb), extra=("--csv", str(tmp_path / "class.csv"))
    )
    got, out = scores(res)
    assert got == {"ex-mini-double": 0, "ex-mini-square": 2}, out
    assert "timed out" in out
    with open(tmp_path / "class.csv") as f:
        rows = list(csv.DictReader(f))
    assert [(r["exercise"], r["points"]) for r in rows] == [
        ("ex-mini-double", "0"),
        ("ex-mini-square", "2"),
    ]


def test_gradescope_results(book, tmp_path):
    res = grade(
        book[0],
        book[0] / "mini.ipynb",
        extra=("--gradescope", str(tmp_path / "r.json")),
    )
    assert res.returncode == 0, res.stderr
    results = json.loads((tmp_path / "r.json").read_text())
    assert results["score"] == 3 and {t["name"] for t in results["tests"]} == {
        "ex-mini-double",
        "ex-mini-square",
    }


@pytest.mark.parametrize(
    "content,name,why",
    [
        ("{ this is not json", "corrupt.ipynb", "not a readable notebook"),
        ("hello", "essay.txt", "not a Jupyter notebook"),
        (None, "other_chapter.ipynb", "not a chapter of this book"),
    ],
)
def test_bad_input_gets_one_line_and_status_2(book, tmp_path, content, name, why):
    path = tmp_path / name
    if content is None:
        nbformat.write(v4.new_notebook(), path)
    else:
        path.write_text(content)
    res = grade(book[0], path)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert (
        why in res.stderr
        and "Traceback" not in res.stderr
        and len(res.stderr.strip().splitlines()) == 1
    )
