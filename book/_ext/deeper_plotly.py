"""Interactive plotly figures in the built book, offline and without a kernel.

A chapter displays a plotly figure as HTML made by
``fig.to_html(include_plotlyjs=False, full_html=False)``: a ``plotly-graph-div`` and a
script that calls ``Plotly.newPlot``. This extension serves plotly's JavaScript from the
book itself:

- it copies ``plotly.min.js`` from the installed plotly package (its package data, the
  same version that drew the figure) into the built site's ``_static/``;
- it adds one ``<script src="_static/plotly.min.js">`` to the head of each page that holds
  a plotly figure, and to no other page: loaded once per page, not once per figure, and
  before the figures' own scripts run (not deferred).

No network is needed to read the book, and pages without a figure do not load the 4 MB
library.
"""

import shutil
from importlib import resources
from pathlib import Path

PLOTLY_JS = "plotly.min.js"
MARKER = 'class="plotly-graph-div"'


def plotly_js_source():
    """plotly.min.js as shipped inside the installed plotly package."""
    return Path(str(resources.files("plotly") / "package_data" / PLOTLY_JS))


def add_plotly_to_page(app, pagename, templatename, context, doctree):
    """Put plotly.js in the head of a page that shows a plotly figure."""
    if MARKER in context.get("body", ""):
        # called in html-page-context, add_js_file affects this page only
        app.add_js_file(PLOTLY_JS, priority=100)


def copy_plotly_js(app, exception):
    """Copy plotly.min.js next to the book's other static files."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), static / PLOTLY_JS)


def setup(app):
    app.connect("html-page-context", add_plotly_to_page)
    app.connect("build-finished", copy_plotly_js)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
