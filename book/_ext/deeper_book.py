"""A small Sphinx extension for Deeper's chapter pages.

- Puts a line under each chapter's title: its measured run time (from book/benchmark.json,
  written by tools/benchmark.py) and a link to the chapter's student version.
- Writes the student versions (solution cells removed, by tools/student_versions.py) into the
  built site at _static/student/, so the links work from the HTML book.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _benchmark():
    path = ROOT / "book" / "benchmark.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _run_info(chapter, bench):
    parts = []
    cpu = bench.get("cpu", {}).get("chapters", {}).get(chapter)
    if cpu:
        parts.append(f"runs in {cpu['seconds']:.0f} s on a {bench['cpu']['machine']}")
    gpu = bench.get("gpu", {}).get("chapters", {}).get(chapter)
    parts.append(f"{gpu['seconds']:.0f} s on a {bench['gpu']['machine']}" if gpu else "GPU: not measured")
    return "; ".join(parts)


def add_chapter_banner(app, pagename, templatename, context, doctree):
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    chapter = pagename.split("/", 1)[1]
    info = _run_info(chapter, _benchmark())
    speed = "../book/speed.html"
    banner = (
        '<p class="deeper-runinfo">'
        f'<a href="{speed}">Run time</a>: {info}. '
        f'<a class="deeper-student-link" href="../_static/student/{chapter}.ipynb" download>'
        "Student version</a> (exercises without solutions).</p>"
    )
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + banner + body[end + 5:] if end >= 0 else banner + body


def write_student_versions(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    sys.path.insert(0, str(ROOT / "tools"))
    from student_versions import student_version
    import nbformat

    out = Path(app.outdir) / "_static" / "student"
    out.mkdir(parents=True, exist_ok=True)
    for docname in app.env.found_docs:
        if docname.startswith("notebooks/"):
            src = ROOT / f"{docname}.ipynb"
            if src.exists():
                nbformat.write(student_version(src), out / src.name)


def setup(app):
    app.connect("html-page-context", add_chapter_banner)
    app.connect("build-finished", write_student_versions)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
