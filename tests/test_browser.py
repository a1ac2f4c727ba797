"""The built book in a real headless browser (Debian's chromium driven by Playwright), served
from a local HTTP server with every non-local request blocked: figures load, no error output or
unresolved glue, the launch menu's Colab link points to the chapter's notebook, solutions open and
close, and search finds a chapter."""

import functools
import http.server
import os
import re
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from bookcheck import PENDING
from htmlbook import HTML, built_chapters, built_pages, colab_url

pytestmark = [pytest.mark.built, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    assert (HTML / "index.html").exists(), "build the book first (tools/build.sh)"
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which("chromium") or os.path.exists(CHROMIUM)):
        message = (
            "the browser tests need Debian's chromium: sudo apt-get install chromium"
        )
        if os.environ.get("DEEPER_CI") == "1":
            pytest.fail(message)
        pytest.skip(message + " (skipped locally; CI requires it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _offline(route):
    # the book must work with no network
    local = urlsplit(route.request.url).hostname == "127.0.0.1"
    return route.continue_() if local else route.abort()


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.route("**/*", _offline)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    yield pg
    pg.close()


@pytest.fixture(scope="module", params=built_chapters(), ids=built_chapters())
def chapter_page(request, context, server):
    """One chapter, loaded once for all the tests below that look at it (pytest groups them)."""
    pg = context.new_page()
    open_page(pg, server, f"notebooks/{request.param}")
    yield request.param, pg
    pg.close()


def open_page(page, server, name):
    page.goto(f"{server}/{name}.html", wait_until="load")
    page.wait_for_timeout(200)


def _check_renders(page, name):
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => i.src.startsWith(location.origin) && (!i.complete || i.naturalWidth === 0)).map(i => i.src)""")
    assert broken == [], f"{name}: images that did not load: {broken}"
    text = (
        page.inner_text("main")
        if page.query_selector("main")
        else page.inner_text("body")
    )
    assert "{glue" not in text, f"{name}: unresolved glue placeholder on the page"
    assert "Traceback (most recent call last)" not in text, (
        f"{name}: an error output is shown"
    )
    assert page.query_selector_all(".output.traceback, .output.error") == [], (
        f"{name}: an error output is shown"
    )


@pytest.mark.parametrize(
    "name", [n for n in built_pages() if not n.startswith("notebooks/")]
)
def test_page_renders(page, server, name):
    open_page(page, server, name)
    _check_renders(page, name)


def test_chapter_renders(chapter_page):
    chapter, page = chapter_page
    _check_renders(page, chapter)
    n_img = page.evaluate(
        "() => Array.from(document.images).filter(i => i.src.includes('_images/')).length"
    )
    assert n_img >= 1, f"{chapter}: no figure on the page"


def test_colab_launch_link(chapter_page):
    chapter, page = chapter_page
    links = page.eval_on_selector_all(
        "a[href*='colab.research.google.com']", "els => els.map(e => e.href)"
    )
    assert colab_url(chapter) in links, f"{chapter}: Colab links on the page: {links}"


def test_no_code_cell_scrolls_sideways(chapter_page):
    """At a 1280-pixel-wide window every line of code is visible without scrolling."""
    chapter, page = chapter_page
    if chapter in PENDING:
        pytest.skip(f"pending conversion: {PENDING[chapter]}")
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cell_input pre'))
            .filter(p => p.offsetParent !== null && p.scrollWidth > p.clientWidth + 1)
            .map(p => [p.scrollWidth, p.clientWidth, p.innerText.split('\\n')
                .reduce((a, b) => (b.length > a.length ? b : a), '')])"""
    )
    assert not wide, (
        f"{chapter}: code cells that scroll sideways (scroll, visible, widest line): {wide}"
    )


def test_solution_toggles(chapter_page):
    chapter, page = chapter_page
    solution = page.locator(".solution.dropdown").first
    body = solution.locator("section, .cell").first  # the solution's content
    button = solution.locator("button.toggle-button").first  # what a reader clicks
    assert not body.is_visible(), (
        f"{chapter}: the first solution is visible before it is opened"
    )
    button.click()
    page.wait_for_timeout(300)
    assert body.is_visible(), f"{chapter}: the solution did not open"
    button.click()
    page.wait_for_timeout(300)
    assert not body.is_visible(), f"{chapter}: the solution did not close"


def test_search(page, server):
    page.goto(f"{server}/search.html?q=perceptron", wait_until="load")
    page.wait_for_selector("#search-results li, ul.search li", timeout=15000)
    hits = page.eval_on_selector_all(
        "#search-results li a, ul.search li a", "els => els.map(e => e.href)"
    )
    assert any("perceptron" in h for h in hits), (
        f"search for 'perceptron' did not find chapter 1: {hits[:5]}"
    )


CJK_FONTS = re.compile(
    r"WenQuanYi|Noto (Sans|Serif) CJK|Source Han|Droid Sans Fallback|AR PL|PingFang|"
    r"Hiragino|Microsoft YaHei|SimSun|SimHei|Heiti|Songti",
    flags=re.I,
)


@pytest.mark.zh
def test_chinese_edition(page, server):
    """A Chinese chapter offline: its text is drawn with a Chinese font, formulas and figures
    render, the Colab link opens the Chinese notebook, and the language switch works both ways."""
    chapter = "notebooks/backprop"
    open_page(page, server, f"zh/{chapter}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    para = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main section p"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": para["nodeId"]})["fonts"]
    used = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
    assert any(CJK_FONTS.search(f) for f in used), (
        f"no Chinese font draws the Chinese text (fonts used: {used}); "
        "install one, e.g. sudo apt-get install fonts-wqy-microhei"
    )
    page.wait_for_selector("main mjx-container", state="attached", timeout=60_000)
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)""")
    assert broken == [], f"images that did not load: {broken}"
    assert page.locator("img[src*='_images/']").count() >= 1
    links = page.eval_on_selector_all(
        "a[href*='colab.research.google.com']", "els => els.map(e => e.href)"
    )
    zh_colab = colab_url("backprop").replace("/notebooks/", "/locale/zh_CN/notebooks/")
    assert zh_colab in links, f"Colab links on the Chinese page: {links}"
    page.click("a.deeper-lang-switch")
    page.wait_for_load_state("load")
    assert page.url == f"{server}/{chapter}.html"
    assert page.get_attribute("html", "lang").startswith("en")
    page.click("a.deeper-lang-switch")
    page.wait_for_load_state("load")
    assert page.url == f"{server}/zh/{chapter}.html"
    assert page.get_attribute("html", "lang") == "zh-CN"
