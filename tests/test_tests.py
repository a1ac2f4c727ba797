"""The tests bite: a chapter with a flipped claim, outputs, missing asserts or a toothless exercise
check must make them fail. (Run as part of the structure stage.)"""

import ast
import subprocess
import sys

import nbformat
import pytest
from bookcheck import ROOT, code, exercise_problems, problems, read
from check_exercises import instrument

pytestmark = pytest.mark.notebooks

MODEL = ROOT / "notebooks" / "perceptron.ipynb"


def _first_claim(nb):
    """Index of the first cell with a claim(...) call, and that call (an ast.Call)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "claim(" in cell.source:
            for node in ast.walk(ast.parse(cell.source)):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", "") == "claim"
                ):
                    return i, node
    raise AssertionError("the model chapter makes no claim")


def _flipped(source, call):
    """The cell's source with the call's test (third argument) negated."""
    holds = call.args[2]
    lines = source.splitlines(keepends=True)
    start = sum(len(l) for l in lines[: holds.lineno - 1]) + holds.col_offset
    stop = sum(len(l) for l in lines[: holds.end_lineno - 1]) + holds.end_col_offset
    return source[:start] + "not (" + source[start:stop] + ")" + source[stop:]


def test_the_model_chapter_passes_the_rules():
    assert problems(read(MODEL)) == [] and exercise_problems(read(MODEL)) == []


def test_outputs_are_caught():
    nb = read(MODEL)
    code(nb)[2].outputs = [nbformat.v4.new_output("stream", text="hello")]
    assert any("outputs" in p for p in problems(nb))


def test_missing_claims_and_unresolved_glue_are_caught():
    nb = read(MODEL)
    i, call = _first_claim(nb)
    name = call.args[0].value
    for c in code(nb):
        c.source = c.source.replace("claim(", "print(").replace(
            f'"{name}"', '"renamed"'
        )
    found = problems(nb)
    assert any("claims" in p for p in found) and any(
        "never glued" in p for p in found
    ), found


def test_uncaptioned_figure_and_missing_setup_are_caught():
    nb = read(MODEL)
    for c in code(nb):
        c.metadata.pop("mystnb", None)
    code(nb)[0].source = "import jax"
    found = problems(nb)
    assert any("caption" in p for p in found) and any(
        "setup cell" in p for p in found
    ), found


def _nbval(nb, tmp_path):
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            str(path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return res.returncode, res.stdout[-3000:]


def test_nbval_fails_when_a_claim_is_flipped(tmp_path):
    """The model chapter up to its first claim passes; with that claim's test negated it fails."""
    nb = read(MODEL)
    i, call = _first_claim(nb)
    nb.cells = nb.cells[: i + 1]
    rc, out = _nbval(nb, tmp_path)
    assert rc == 0, f"the unmodified part of the chapter should pass:\n{out}"
    nb.cells[i].source = _flipped(nb.cells[i].source, call)
    rc, out = _nbval(nb, tmp_path)
    assert rc != 0 and "claim" in out, (
        f"nbval passed a chapter whose claim was flipped:\n{out}"
    )


def _exercise_nb(stub_body, check=None):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = [
        nbformat.v4.new_markdown_cell(
            ":::{exercise} Double\n:label: ex-00-double\nDouble it.\n:::"
        ),
        nbformat.v4.new_code_cell(
            f"def double(x):\n    {stub_body}", metadata={"tags": ["exercise"]}
        ),
        nbformat.v4.new_markdown_cell(
            ":::{solution-start} ex-00-double\n:class: dropdown\n:::",
            metadata={"tags": ["solution"]},
        ),
        nbformat.v4.new_code_cell(
            "def double(x):\n    return 2 * x", metadata={"tags": ["solution"]}
        ),
        nbformat.v4.new_markdown_cell(
            ":::{solution-end}\n:::", metadata={"tags": ["solution"]}
        ),
        nbformat.v4.new_code_cell(
            'WRONG_ANSWERS = {"adds two": lambda x: x + 2, "squares": lambda x: x * x}',
            metadata={"tags": ["wrong", "remove-cell"]},
        ),
        nbformat.v4.new_code_cell(
            check
            or "try:\n    got = double(3)\nexcept NotImplementedError:\n"
            "    raise AssertionError('double is not written yet') from None\n"
            "assert got == 6, f'double(3) should be 6, got {got}'",
            metadata={"tags": ["check"]},
        ),
    ]
    nb.cells = cells
    return nb


def test_exercise_check_must_fail_on_the_stub(tmp_path):
    rc, out = _nbval(instrument(_exercise_nb("raise NotImplementedError")), tmp_path)
    assert rc == 0, (
        f"a check that fails on the stub and passes on the solution should pass:\n{out}"
    )
    rc, out = _nbval(instrument(_exercise_nb("return 2 * x")), tmp_path)
    assert rc != 0, f"a check that passes on the stub was not caught:\n{out}"


def test_a_check_that_asserts_nothing_is_caught(tmp_path):
    """It fails on the stub (the call raises), but it accepts the wrong answers: caught."""
    toothless = (
        "try:\n    got = double(3)\nexcept NotImplementedError:\n"
        "    raise AssertionError('double is not written yet') from None\nprint(got)"
    )
    rc, out = _nbval(
        instrument(_exercise_nb("raise NotImplementedError", check=toothless)), tmp_path
    )
    assert rc != 0 and "accepted a wrong answer" in out, (
        f"a check that asserts nothing passed:\n{out}"
    )


def test_claims_index_reads_each_claim_with_its_own_words():
    """The claims index (book/_ext/deeper_book.py) names every claim and what it is checked
    against, also for claims made in a loop over a literal list with f-string names."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from deeper_book import _claim_calls

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("THRESHOLD = 0.5\nexpected = 'above 0.5'"),
        nbformat.v4.new_code_cell(
            "for name, label in [('L2', 'l2'), ('dropout', 'drop')]:\n"
            "    claim(f'test_{label}', 1.0, True, f'{name} helps', seeds=3)\n"
            "claim('test_x', 1.0, True, expected)\n"
            "for k in range(3):\n"
            "    claim(f'run_{k}', 1.0, True, 'holds')\n"
        ),
    ]
    assert _claim_calls(nb) == [
        ("test_l2", None, "L2 helps", "3"),
        ("test_drop", None, "dropout helps", "3"),
        ("test_x", None, "above 0.5", "–"),
        (
            "f'run_{k}'",
            "run_.+",
            "holds",
            "–",
        ),  # not literal: matched against the glued names
    ]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        names = [c[0] for c in _claim_calls(read(path))]
        assert len(names) == len(set(names)), f"{path.name}: a claim is listed twice"
