"""The book's interactive figure (the loss-landscape chapter's plotly surfaces) in a real
headless browser, offline: served from a local HTTP server with every non-local request
aborted, as in test_browser.py. The figure must render from the plotly.js the book serves
itself (one copy per page), respond to the mouse (a drag turns the camera, a hover shows a
label), and leave a static image in its place where JavaScript cannot run.

Skipped when the book has not been built (tools/build.sh or tools/test.sh build it).
"""

import functools
import http.server
import os
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from htmlbook import HTML

CHAPTER = "notebooks/loss_landscape"
FIGURE = "landscape-planes"  # the id the chapter gives its figure (show_interactive)
# The page loads plotly.js (about 5 MB) and MathJax: slow on a busy CPU.
LOAD_MS = 120_000
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# WebGL (plotly's 3-D surfaces) without a GPU: Chromium's software renderer, SwiftShader.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]

pytestmark = [
    pytest.mark.built,
    pytest.mark.browser,
    pytest.mark.skipif(
        not (HTML / f"{CHAPTER}.html").exists(),
        reason="the built book is absent: build it first (tools/build.sh)",
    ),
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
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


def _offline_page(browser, **context_options):
    """A page whose requests to anything but the local server are aborted."""
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 900}, **context_options
    )
    page = ctx.new_page()
    page.aborted = []

    def offline(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.aborted.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    return ctx, page


@pytest.fixture
def page(browser, server):
    ctx, pg = _offline_page(browser)
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(f"{server}/{CHAPTER}.html", wait_until="load", timeout=LOAD_MS)
    yield pg
    ctx.close()


def _plot(page):
    """The figure's plotly div once plotly has drawn it (it adds .js-plotly-plot)."""
    selector = f"#{FIGURE}-plot.js-plotly-plot"
    page.wait_for_selector(selector, state="attached", timeout=LOAD_MS)
    return page.locator(selector)


def test_plotly_served_once_from_the_book(page):
    scripts = page.eval_on_selector_all(
        "script[src*='plotly']", "els => els.map(e => e.src)"
    )
    assert len(scripts) == 1, f"plotly.js should be loaded once per page: {scripts}"
    assert scripts[0].startswith(page.url.split("/notebooks/")[0]), scripts
    assert not [u for u in page.aborted if "plotly" in u], page.aborted
    loaded = page.evaluate("() => typeof window.Plotly === 'object'")
    assert loaded, "window.Plotly is not defined: plotly.min.js did not load"


def test_figure_renders(page):
    plot = _plot(page)
    plot.scroll_into_view_if_needed()
    assert plot.is_visible(), "the interactive figure is hidden"
    n_scenes = page.evaluate(
        f"() => document.getElementById('{FIGURE}-plot').querySelectorAll("
        "'.gl-container canvas, svg.main-svg').length"
    )
    assert n_scenes >= 2, "no canvas or svg drawn inside the plotly figure"
    static = page.locator(f"#{FIGURE}-static")
    assert not static.is_visible(), "the static image should give way to the live one"
    ours = [e for e in page.errors if "plotly" in e.lower() or FIGURE in e]
    assert ours == [], f"JavaScript errors from the figure: {ours}"


def test_figure_responds_to_drag_and_hover(page):
    plot = _plot(page)
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    div = f"document.getElementById('{FIGURE}-plot')"
    page.evaluate(
        f"() => {{ window.hovers = 0; {div}.on('plotly_hover', () => hovers++); }}"
    )
    camera = f"() => JSON.stringify({div}._fullLayout.scene.camera)"
    before = page.evaluate(camera)
    box = plot.bounding_box()
    x, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    for dx in (
        -10,
        0,
        10,
    ):  # over the left surface: plotly picks what is under the mouse
        page.mouse.move(x + dx, y, steps=3)
        page.wait_for_timeout(300)
    hovers = page.evaluate("() => window.hovers")
    labels = page.locator(f"#{FIGURE}-plot .hovertext").count()
    page.mouse.down()
    page.mouse.move(x + 120, y + 40, steps=8)
    page.mouse.up()
    page.wait_for_timeout(500)
    after = page.evaluate(camera)
    assert hovers > 0 and labels > 0, "hovering over the surface showed no label"
    assert after != before, "dragging the surface did not turn the camera"


def test_static_image_without_javascript(browser, server):
    ctx, page = _offline_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{server}/{CHAPTER}.html", wait_until="load", timeout=LOAD_MS)
        static = page.locator(f"#{FIGURE}-static")
        static.scroll_into_view_if_needed()
        assert static.is_visible(), "without JavaScript the static image must show"
        width = page.evaluate(
            f"() => document.getElementById('{FIGURE}-static').naturalWidth"
        )
        assert width > 100, "the static image did not load"
    finally:
        ctx.close()
