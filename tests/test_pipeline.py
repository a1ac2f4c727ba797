"""The test command itself: a broken chapter fails it loudly (chapter, cell, error text); the lock
file pins everything requirements.txt asks for; the repository URL is one setting."""

import re
import subprocess

import nbformat
import pytest
from bookcheck import ROOT
from packaging.requirements import Requirement


@pytest.mark.notebooks
def test_a_broken_chapter_fails_the_test_command_with_chapter_cell_and_error(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A broken chapter"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("Then it breaks."),
        nbformat.v4.new_code_cell("raise ValueError('the broken chapter fails here')"),
    ]
    path = tmp_path / "chapter_x9.ipynb"
    nbformat.write(nb, path)
    res = subprocess.run(
        ["bash", "tools/test.sh", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = res.stdout + res.stderr
    assert res.returncode != 0, (
        f"the test command passed a broken chapter:\n{out[-3000:]}"
    )
    line = next((l for l in out.splitlines() if l.startswith("chapter_x9 ")), "")
    assert "FAILED at cell 3" in line, (
        f"no summary line naming the chapter and cell:\n{out[-3000:]}"
    )
    assert "ValueError: the broken chapter fails here" in line, line


def _pins(text):
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            out[req.name.lower().replace("_", "-")] = str(req.specifier)
    return out


def test_lock_file_pins_what_requirements_ask_for():
    wanted = _pins((ROOT / "requirements.txt").read_text())
    locked = _pins((ROOT / "requirements.lock").read_text())
    for name, spec in wanted.items():
        assert name in locked, (
            f"{name} is in requirements.txt but not in requirements.lock"
        )
        assert locked[name] == spec, (
            f"{name}: requirements.txt says {spec}, the lock {locked[name]}; regenerate the lock "
            "(see CONTRIBUTING.md)"
        )
    assert all(s.startswith("==") for s in locked.values()), (
        "the lock must pin exact versions"
    )


def test_repository_url_is_one_setting():
    names = re.findall(
        r"github\.com/[\w.-]+/[\w.-]+",
        "\n".join(
            p.read_text()
            for p in [
                ROOT / "_config.yml",
                *ROOT.glob("book/*.md"),
                *ROOT.glob("book/_ext/*.py"),
            ]
        ),
    )
    assert len(set(names)) <= 1, (
        f"the repository is named in more than one way: {set(names)}"
    )
