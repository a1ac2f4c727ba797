"""Structure of the book: every chapter in the toc, stored stripped, the skeleton, claims glued and asserted."""

import re

import pytest
from bookcheck import (
    PENDING,
    ROOT,
    chapters,
    exercise_problems,
    problems,
    read,
    toc_files,
)
from strip import stripped

CHAPTERS = chapters()


def test_there_are_chapters():
    assert CHAPTERS, "no notebooks under notebooks/"


def test_toc_lists_exactly_the_pages_that_exist():
    listed = toc_files()
    for f in listed:
        assert any((ROOT / f"{f}{ext}").exists() for ext in (".ipynb", ".md")), (
            f"_toc.yml lists {f}, which does not exist"
        )
    for nb in CHAPTERS:
        assert f"notebooks/{nb.stem}" in listed, f"{nb.name} is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_follows_the_rules(path):
    assert problems(read(path), legacy=path.stem in PENDING) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_exercises_follow_the_convention(path):
    assert exercise_problems(read(path)) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_stored_exactly_as_strip_writes_it(path):
    import nbformat

    nb = read(path)
    assert nbformat.writes(stripped(nb)) == nbformat.writes(nb), (
        f"run: python tools/strip.py {path.relative_to(ROOT)}"
    )


def test_chapter_names():
    for nb in CHAPTERS:
        # no number in the name: chapters are numbered by their place in _toc.yml, so inserting one
        # renames nothing
        assert re.fullmatch(r"[a-z][a-z_]*", nb.stem), (
            f"{nb.name}: chapters are named topic.ipynb (lowercase, no number)"
        )
