"""The Chinese edition stays in step with the English one.

Rules (no build needed): every message of the book has a Chinese translation that is neither
missing nor fuzzy and keeps its English original's glue roles, math, citations, references, code
and emphasis; the Chinese notebooks (for Colab and the student versions) are generated from the
current catalogues. Built book: both editions exist, every page links to its counterpart, and a
chapter shows the same glued numbers in both.
"""

import re
import sys
from pathlib import Path

import pytest
from htmlbook import HTML, built_chapters, built_pages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402

ZH = HTML / "zh"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("gettext")
    return i18n.extract(out)


def test_every_message_is_translated(extracted):
    found = i18n.problems(extracted)
    report = "\n".join(f"{rel}: {what}" for rel, what in found[:40])
    assert not found, (
        f"{len(found)} messages of the Chinese edition need work "
        "(python tools/i18n.py update; translate; python tools/i18n.py check):\n"
        + report
    )


def test_chinese_notebooks_are_generated_from_the_catalogues():
    stale, left = i18n.notebooks(check=True)
    assert not stale, f"out of date (run `python tools/i18n.py notebooks`): {stale}"
    assert not left, "English prose left in the Chinese notebooks: " + "; ".join(
        f"{name}: {lines[0][:60]!r}" for name, lines in left.items()
    )


@pytest.mark.parametrize(
    "english, chinese",
    [
        (
            "It reaches {glue:text}`acc:.2f`.",
            "它达到 0.93。",
        ),  # a glued number typed in
        ("See {cite:t}`he2016deep`.", "见 He et al.。"),
        ("As $x^2$ grows.", "随着 x^2 增长。"),
        ("See {numref}`fig-a`.", "见 {numref}`fig-b`。"),
        ("Call `train`.", "调用 train。"),
        (
            "**Takeaway:** depth helps.",
            "**要点：**深度有帮助。",
        ),  # bold lost (CommonMark)
    ],
)
def test_the_check_catches_a_bad_translation(english, chinese):
    assert i18n.message_problem(english, chinese) is not None


def test_the_check_accepts_a_faithful_translation():
    english = (
        "Depth {glue:text}`d` reaches {glue:text}`acc:.2f` ({numref}`fig-a`, $L$)."
    )
    chinese = "深度 {glue:text}`d` 达到 {glue:text}`acc:.2f`（{numref}`fig-a`，$L$）。"
    assert i18n.message_problem(english, chinese) is None
    assert (
        i18n.message_problem("See {ref}`the table <tbl-x>`.", "见{ref}`该表 <tbl-x>`。")
        is None
    )


# --- the built editions ---------------------------------------------------------------------


def _built():
    if not (ZH / "index.html").exists():
        pytest.fail("the Chinese edition is not built (bash tools/build.sh)")


def _switch(path):
    m = re.search(r'class="deeper-lang-switch" href="([^"]+)"', path.read_text())
    assert m, f"{path}: no language switch"
    return (path.parent / m.group(1)).resolve()


@pytest.mark.built
@pytest.mark.zh
@pytest.mark.parametrize("name", built_pages())
def test_every_page_links_to_its_counterpart(name):
    _built()
    en, zh = HTML / f"{name}.html", ZH / f"{name}.html"
    assert zh.exists(), f"{name}: missing from the Chinese edition"
    if 'http-equiv="Refresh"' in en.read_text():  # the site's front door: a redirect
        assert zh.read_text() == en.read_text()
        return
    assert _switch(en) == zh.resolve(), f"{name}: the English page's switch misses"
    assert _switch(zh) == en.resolve(), f"{name}: the Chinese page's switch misses"
    assert 'lang="zh-CN"' in zh.read_text()


GLUED = re.compile(r'<span class="pasted-text">(.*?)</span>', flags=re.S)


@pytest.mark.built
@pytest.mark.zh
@pytest.mark.parametrize("chapter", built_chapters())
def test_a_chapter_shows_the_same_numbers_in_both_editions(chapter):
    _built()
    en = GLUED.findall((HTML / "notebooks" / f"{chapter}.html").read_text())
    zh = GLUED.findall((ZH / "notebooks" / f"{chapter}.html").read_text())
    assert en, f"{chapter}: no glued numbers found in the English page"
    # the same numbers (each message keeps its own glue roles: test_every_message_is_translated)
    assert sorted(zh) == sorted(en), (
        f"{chapter}: the glued numbers differ between the editions"
    )
    text = re.sub(r"<[^>]+>", "", (ZH / "notebooks" / f"{chapter}.html").read_text())
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 1000, (
        f"{chapter}: not in Chinese"
    )
