"""The code a reader reads: formatted and linted (ruff), short cells, the canonical copied cells."""

import subprocess
import sys

import pytest
from bookcheck import PENDING, ROOT, chapter_params, chapters, code, read

sys.path.insert(0, str(ROOT / "tools"))
import canonical  # noqa: E402  (tools/ is put on the path just above)

CHAPTERS = chapters()
MAX_LINES = 25
RUFF = [sys.executable, "-m", "ruff"]


def _ruff(*args):
    pending = [f"notebooks/{name}.ipynb" for name in PENDING]
    excludes = ["--extend-exclude", ",".join(pending)] if pending else []
    res = subprocess.run(
        [*RUFF, *args, "--no-cache", *excludes],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return res.returncode, (res.stdout + res.stderr)[-4000:]


def test_formatted_with_ruff():
    rc, out = _ruff("format", "--check", "notebooks", "tools", "tests", "book/_ext")
    assert rc == 0, f"run: .venv/bin/ruff format notebooks tools tests book/_ext\n{out}"


def test_linted_with_ruff():
    rc, out = _ruff("check", "notebooks", "tools", "tests", "book/_ext")
    assert rc == 0, f"fix these (ruff check), or say on the line why not:\n{out}"


def _exempt(source):
    """Model and trainer definitions and the canonical copies may be longer."""
    return (
        "(nnx.Module)" in source
        or canonical.which(source) is not None
        or canonical.NOT_TRAINER in source
    )


@pytest.mark.parametrize("path", chapter_params())
def test_short_cells(path):
    long = [
        (i, n)
        for i, c in enumerate(code(read(path)))
        if (n := len(c.source.splitlines())) > MAX_LINES and not _exempt(c.source)
    ]
    assert not long, (
        f"{path.name}: code cells over {MAX_LINES} lines (index, lines): {long}"
    )


@pytest.mark.parametrize("path", chapter_params())
def test_canonical_cells(path):
    found = canonical.problems(read(path))
    assert not found, f"{path.name}:\n" + "\n".join(found)
