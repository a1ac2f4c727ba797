"""The built book (_build/html, made by the book build): every chapter page has its figures,
every glued number rendered, no error output, a Colab link to its notebook, hidden solutions, a
student version, and every internal link resolves."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from htmlbook import HTML, ROOT, built_chapters

pytestmark = pytest.mark.built
CHAPTERS = built_chapters()


def page(name):
    path = HTML / f"{name}.html"
    assert path.exists(), f"{path} was not built: run the book build first"
    return path.read_text()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.imgs = [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "img" and a.get("src"):
            self.imgs.append(a["src"])


def parse(html):
    p = Links()
    p.feed(html)
    return p


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_figures_present(chapter):
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    n_fig = sum("plt.show()" in c.source for c in nb.cells if c.cell_type == "code")
    imgs = [s for s in parse(page(f"notebooks/{chapter}")).imgs if "_images/" in s]
    assert len(imgs) >= n_fig, (
        f"{chapter}: {n_fig} figures drawn, {len(imgs)} images on the page"
    )
    for src in imgs:
        assert (HTML / "notebooks" / unquote(src)).resolve().exists(), (
            f"{chapter}: missing image {src}"
        )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glue_rendered_and_no_errors(chapter):
    html = page(f"notebooks/{chapter}")
    assert "{glue" not in html, f"{chapter}: unresolved glue in the page"
    n_pasted = html.count('class="pasted-text"')
    assert n_pasted >= 4, (
        f"{chapter}: expected at least 4 glued numbers in the text, found {n_pasted}"
    )
    for bad in [
        "Traceback (most recent call last)",
        'class="output traceback',
        "output error",
    ]:
        assert bad not in html, f"{chapter}: the page shows an error output ({bad!r})"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_colab_link_opens_a_notebook_of_this_repository(chapter):
    """Checked independently of how the theme builds the URL: the launch link names the repository
    set in _config.yml, and its path is this chapter's notebook, committed at that path."""
    import subprocess

    from htmlbook import config

    links = [
        h
        for h in parse(page(f"notebooks/{chapter}")).hrefs
        if "colab.research.google.com" in h
    ]
    assert links, f"{chapter}: no Colab launch link"
    repo = urlsplit(config()["repository"]["url"]).path.strip("/")
    tracked = set(
        subprocess.run(
            ["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
    )
    for link in links:
        m = re.fullmatch(
            r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/(.+)",
            link,
        )
        assert m, f"{chapter}: not a Colab GitHub link: {link}"
        assert m.group(1) == repo, (
            f"{chapter}: the link names {m.group(1)}, _config.yml {repo}"
        )
        assert m.group(3) == f"notebooks/{chapter}.ipynb", (
            f"{chapter}: the link opens {m.group(3)}"
        )
        assert m.group(3) in tracked or not tracked, (
            f"{chapter}: {m.group(3)} is not in the repository"
        )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_hidden_and_student_version_linked(chapter):
    html = page(f"notebooks/{chapter}")
    assert html.count('class="solution dropdown admonition"') >= 2, (
        f"{chapter}: solutions are not in dropdowns"
    )
    assert f"../_static/student/{chapter}.ipynb" in html, (
        f"{chapter}: no link to the student version"
    )
    student = HTML / "_static" / "student" / f"{chapter}.ipynb"
    assert student.exists(), f"{student} was not written"
    nb = nbformat.read(student, as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells), (
        "the student version has solutions"
    )
    assert any("exercise" in c.metadata.get("tags", []) for c in nb.cells), (
        "the student version lost its stubs"
    )


@pytest.mark.zh  # the language switch links every page to its Chinese counterpart
def test_internal_links_resolve():
    broken, ids = [], {}  # ids[page]: its anchors, each page parsed once

    def anchors(target):
        if target not in ids:
            ids[target] = parse(target.read_text()).ids
        return ids[target]

    for path in HTML.rglob("*.html"):
        if "_static" in path.parts:
            continue
        for href in parse(path.read_text()).hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "//", "javascript:")):
                continue
            target = (
                (path.parent / unquote(parts.path)).resolve() if parts.path else path
            )
            if not target.exists():
                broken.append(f"{path.relative_to(HTML)} -> {href}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in anchors(target)
            ):
                broken.append(f"{path.relative_to(HTML)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:30])


def test_bibliography_and_front_pages():
    for name in [
        "book/intro",
        "book/how_to_use",
        "book/notation",
        "book/bibliography",
        "book/instructors",
        "book/speed",
        "book/execution_stats",
    ]:
        page(name)
    assert page("book/intro").count("_images/") >= 1, (
        "the landing page should show the ImageNet figure"
    )
