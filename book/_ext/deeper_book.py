"""A small Sphinx extension for Deeper's chapter pages.

- Fills book/claims.md with the index of every claim the chapters check (name, value as computed
  in this build, what it is checked against, runs), read from the chapters' `claim(...)` calls
  and the values they glued.
- Refuses a release build (DEEPER_RELEASE=1) while the repository URL is the placeholder.

- Puts a line under each chapter's title: its measured run time (from book/benchmark.json,
  written by tools/benchmark.py) and a link to the chapter's student version.
- Writes the student versions (solution cells removed, by tools/student_versions.py) into the
  built site at _static/student/, so the links work from the HTML book.
"""

import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))
from deeper_i18n import is_zh, t, translate  # noqa: E402


def _benchmark():
    path = ROOT / "book" / "benchmark.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _run_info(app, chapter, bench):
    parts = []
    cpu = bench.get("cpu", {}).get("chapters", {}).get(chapter)
    if cpu:
        parts.append(
            t(
                app,
                "runs in {s:.0f} s on a {m}",
                s=cpu["seconds"],
                m=bench["cpu"]["machine"],
            )
        )
    gpu = bench.get("gpu", {}).get("chapters", {}).get(chapter)
    parts.append(
        t(app, "{s:.0f} s on a {m}", s=gpu["seconds"], m=bench["gpu"]["machine"])
        if gpu
        else t(app, "GPU: not measured")
    )
    return ("；" if is_zh(app) else "; ").join(parts)


def add_chapter_banner(app, pagename, templatename, context, doctree):
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    chapter = pagename.split("/", 1)[1]
    info = _run_info(app, chapter, _benchmark())
    speed = "../book/speed.html"
    colon, stop = ("：", "。") if is_zh(app) else (": ", ". ")
    banner = (
        '<p class="deeper-runinfo">'
        f'<a href="{speed}">{t(app, "Run time")}</a>{colon}{info}{stop}'
        f'<a class="deeper-student-link" href="../_static/student/{chapter}.ipynb" download>'
        f"{t(app, 'Student version')}</a>{'' if is_zh(app) else ' '}"
        f"{t(app, '(exercises without solutions)')}{'' if is_zh(app) else '.'}</p>"
    )
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = (
        body[: end + 5] + banner + body[end + 5 :] if end >= 0 else banner + body
    )


def write_student_versions(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    sys.path.insert(0, str(ROOT / "tools"))
    import nbformat
    from student_versions import student_version

    out = Path(app.outdir) / "_static" / "student"
    out.mkdir(parents=True, exist_ok=True)
    for docname in app.env.found_docs:
        if docname.startswith("notebooks/"):
            # the Chinese edition's student version has its markdown in Chinese
            base = ROOT / "locale" / "zh_CN" if is_zh(app) else ROOT
            src = base / f"{docname}.ipynb"
            if src.exists():
                nbformat.write(student_version(src), out / src.name)


def _chapters():
    """Title, learning goals, exercises and word count of every chapter in the toc."""
    import re

    import nbformat
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [
        c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])
    ]
    out = []
    for f in files:
        if not f.startswith("notebooks/"):
            continue
        nb = nbformat.read(ROOT / f"{f}.ipynb", as_version=4)
        first = nb.cells[0].source
        goals = re.search(
            r"Learning goals\n(?::class:[^\n]*\n)?(.*?)\n:::", first, flags=re.S
        )
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        exercises = re.findall(r"\{exercise\}\s*([^\n]*)", md)
        out.append(
            {
                "name": f.split("/", 1)[1],
                "doc": f,
                "title": first.splitlines()[0].lstrip("# ").strip(),
                "goals": [
                    g.strip("- ").strip()
                    for g in goals.group(1).splitlines()
                    if g.strip()
                ]
                if goals
                else [],
                "exercises": exercises,
                "words": len(md.split()),
            }
        )
    return out


def _fmt_s(app, x):
    return t(app, "{x:.0f} s", x=x) if x is not None else t(app, "not measured")


def _row(app, *cells):
    return "| " + " | ".join(t(app, c) for c in cells) + " |"


def chapter_table_instructors(app):
    bench = _benchmark()
    heads = (
        "chapter",
        "learning goals",
        "exercises",
        "run time (CPU)",
        "to work through",
    )
    rows = [_row(app, *heads), "|---|---|---|---|---|"]
    for number, ch in enumerate(_chapters(), start=1):
        cpu = (
            bench.get("cpu", {}).get("chapters", {}).get(ch["name"], {}).get("seconds")
        )
        minutes = ch["words"] / 150 + 20 * len(ch["exercises"]) + (cpu or 90) / 60
        doc = ch["doc"]
        goals = "<br>".join(f"• {translate(app, g, doc)}" for g in ch["goals"])
        ex = "<br>".join(
            f"{i + 1}. {translate(app, x, doc)}" for i, x in enumerate(ch["exercises"])
        )
        title = translate(app, ch["title"], doc)
        about = t(app, "about {n} min", n=f"{5 * round(minutes / 5):.0f}")
        rows.append(
            f"| {{doc}}`{number}. {title} <../{doc}>` | {goals} | {ex} | {_fmt_s(app, cpu)} | {about} |"
        )
    return "\n".join(rows)


def chapter_table_speed(app):
    bench = _benchmark()
    cpu, gpu = bench.get("cpu", {}), bench.get("gpu", {})
    heads = (
        "chapter",
        "CPU wall time",
        "CPU peak memory",
        "within 90 s?",
        "GPU wall time",
    )
    rows = [_row(app, *heads), "|---|---|---|---|---|"]
    total = 0.0
    for ch in _chapters():
        c = cpu.get("chapters", {}).get(ch["name"])
        g = gpu.get("chapters", {}).get(ch["name"])
        total += c["seconds"] if c else 0
        rows.append(
            f"| {{doc}}`{ch['name']} <../{ch['doc']}>` | {_fmt_s(app, c and c['seconds'])} | "
            f"{c['peak_mb'] if c else '–'} MB | {t(app, 'yes') if c and c['seconds'] <= 90 else (t(app, 'no') if c else '–')} | "
            f"{_fmt_s(app, g and g['seconds'])} |"
        )
    rows.append(
        f"| **{t(app, 'all chapters')}** | **{_fmt_s(app, total)}** | | {t(app, 'budget 900 s')} | |"
    )
    text = "\n".join(rows)
    zh = is_zh(app)
    if cpu:
        m, d, v = (
            cpu.get("machine"),
            cpu.get("date"),
            f"{cpu.get('jax', '')}, Python {cpu.get('python', '')}",
        )
        text += (
            f"\n\n于 {d} 在 {m} 上测得（{v}）。"
            if zh
            else f"\n\nMeasured on a {m} on {d} ({v})."
        )
    if gpu:
        m, d = gpu.get("machine"), gpu.get("date")
        text += f" GPU 一列：{d} 在 {m} 上测得。" if zh else f" GPU column: {m} on {d}."
    loop = cpu.get("loop")
    if loop:
        head = (
            "| 训练循环 | 每秒步数 | 实际 GFLOP/s | 占矩阵乘法上限的比例 |"
            if zh
            else "| training loop | steps per second | achieved GFLOP/s | fraction of the matmul ceiling |"
        )
        text += f"\n\n{head}\n|---|---|---|---|\n"
        for k in ("fused scan", "per-step nnx.jit"):
            v = loop[k]
            text += f"| {k} | {v['steps_per_s']:.0f} | {v['gflops']:.1f} | {v['fraction_of_ceiling']:.0%} |\n"
        ceiling = f"{loop['ceiling_gflops']:.0f} GFLOP/s"
        text += (
            f"\n模型：{loop['model']}；每步的浮点运算数按 6 × 批量 × 参数数计。"
            f"矩阵乘法上限：{ceiling}（一次 jit 编译的 2048 × 2048 float32 矩阵乘法，取 5 次中最好的一次）。"
            if zh
            else f"\nModel: {loop['model']}; FLOPs per step counted as 6 x batch x parameters. "
            f"Matmul ceiling: {ceiling} (a jitted 2048 x 2048 float32 matmul, best of 5)."
        )
    return text


MARKERS = {
    "% @chapter-table-instructors": chapter_table_instructors,
    "% @chapter-table-speed": chapter_table_speed,
}


def fill_tables(app, docname, source):
    if app.builder.name == "gettext":  # generated tables hold no prose to translate
        return
    for marker, make in MARKERS.items():
        if marker in source[0]:
            source[0] = source[0].replace(marker, make(app))


def always_reread(app, env, added, changed, removed):
    return [
        d
        for d in ("book/instructors", "book/speed", "book/claims")
        if d in env.found_docs
    ]


PLACEHOLDER_URL = "https://github.com/deeper-book/deeper"


def refuse_placeholder_release(app, config):
    import os

    url = (config.html_theme_options or {}).get("repository_url", "") or ""
    if os.environ.get("DEEPER_RELEASE") == "1" and url.rstrip("/") == PLACEHOLDER_URL:
        from sphinx.errors import ConfigError

        raise ConfigError(
            f"release build: repository.url in _config.yml is still the placeholder {url}; set it "
            "to the published repository so the Colab and repository links work"
        )


# --- the index of claims ---------------------------------------------------------------------
CLAIMS_MARKER = '<div id="deeper-claims-index"></div>'


def _note_constants(statements, constants):
    """Record `name = <literal>` (and tuple) assignments among top-level statements."""
    import ast

    for node in statements:
        if not isinstance(node, ast.Assign):
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                constants[target.id] = value
            elif isinstance(target, ast.Tuple) and isinstance(value, tuple):
                for t, v in zip(target.elts, value, strict=False):
                    if isinstance(t, ast.Name):
                        constants[t.id] = v


def _bind(target, value, constants):
    """Bind a for-loop's target (a name or a tuple of names) to one item of its literal list."""
    import ast

    if isinstance(target, ast.Name):
        constants[target.id] = value
    elif isinstance(target, ast.Tuple) and isinstance(value, tuple | list):
        for t, v in zip(target.elts, value, strict=False):
            _bind(t, v, constants)


def _visit(statements, constants, calls):
    """Collect (node, constants known there) for each node, unrolling loops over literals."""
    import ast

    for statement in statements:  # in order: a name means its value at the claim
        items = None
        if isinstance(statement, ast.For):
            try:  # a loop over literals: one claim per item, its names bound
                items = list(ast.literal_eval(statement.iter))
            except (ValueError, TypeError, SyntaxError):
                items = None
        if items is not None:
            for item in items:
                inner = dict(constants)
                _bind(statement.target, item, inner)
                _visit(statement.body, inner, calls)
            continue
        _note_constants([statement], constants)
        calls.extend((node, dict(constants)) for node in ast.walk(statement))


def _claim_calls(nb):
    """(name or name pattern, expected, seeds) of each claim(...) call in a chapter's code."""
    import ast

    # Names a claim may pass instead of a literal (expected = "..."; seeds=N_SEEDS): the last
    # assignment of a constant to that name before the claim, anywhere earlier in the chapter.
    constants = {}
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        if "claim(" not in cell.source:
            _note_constants(tree.body, constants)
            continue
        calls = []

        _visit(tree.body, constants, calls)
        for node, known in calls:
            func = getattr(node, "func", None)
            if not (
                isinstance(node, ast.Call)
                and re.fullmatch(r"(\w+_)?claim", getattr(func, "id", ""))
            ):
                continue  # claim(...) or a chapter's wrapper of it, e.g. cpu_claim(...)
            if node.args and isinstance(node.args[0], ast.Name):
                continue  # inside a wrapper's body: the calls of the wrapper are the claims
            args = list(node.args)
            kw = {k.arg: k.value for k in node.keywords}
            name = args[0] if args else kw.get("name")
            expected = args[3] if len(args) > 3 else kw.get("expected")
            seeds = args[4] if len(args) > 4 else kw.get("seeds")

            def text(n):
                if n is None:
                    return ""
                try:  # a name or len(name) of a constant assigned earlier
                    value = eval(  # noqa: S307 - only literals, no builtins but len
                        compile(ast.Expression(n), "<claim>", "eval"),
                        {"__builtins__": {"len": len}},
                        known,  # noqa: B023 - used at once, in this iteration
                    )
                    if isinstance(value, str | int | float):
                        return str(value)
                except Exception:  # noqa: BLE001 - anything else is shown as written
                    pass
                if isinstance(n, ast.Constant):
                    return str(n.value)
                return ast.unparse(n)

            pattern = None
            if isinstance(name, ast.JoinedStr) and text(name) == ast.unparse(name):
                parts = [
                    re.escape(v.value) if isinstance(v, ast.Constant) else ".+"
                    for v in name.values
                ]
                pattern = "".join(parts)
            out.append((text(name), pattern, text(expected), text(seeds) or "–"))
    return out


def _fmt_value(data):
    text = data.get("data", {}).get("text/plain", "")
    m = re.fullmatch(r"(?:np\.\w+\()?([-+0-9.eE]+|True|False|nan|inf)\)?", text.strip())
    if m:
        v = m.group(1)
        try:
            f = float(v)
            return (
                f"{f:.4g}"
                if not f.is_integer() or "." in v or "e" in v.lower()
                else str(int(f))
            )
        except ValueError:
            return v
    return html.escape(text[:60])


def _claims_html(app):
    import nbformat

    folder = Path(app.env.mystnb_config.output_folder)
    rows, n = [], 0
    for number, ch in enumerate(_chapters(), start=1):
        glued = {}
        path = folder.joinpath(
            *ch["doc"].split("/")[:-1], ch["doc"].split("/")[-1] + ".glue.json"
        )
        if path.exists():
            glued = json.loads(path.read_text())
        nb = nbformat.read(ROOT / f"{ch['doc']}.ipynb", as_version=4)
        for name, pattern, expected, seeds in _claim_calls(nb):
            keys = (
                [k for k in glued if pattern and re.fullmatch(pattern, k)]
                if pattern
                else [name]
            )
            for key in keys or [name]:
                n += 1
                value = _fmt_value(glued[key]) if key in glued else "–"
                title = translate(app, ch["title"], ch["doc"])
                link = (
                    f'<a href="../{ch["doc"]}.html">{number}. {html.escape(title)}</a>'
                )
                rows.append(
                    f"<tr><td>{link}</td><td><code>{html.escape(key)}</code></td>"
                    f"<td>{value}</td><td>{html.escape(expected)}</td><td>{html.escape(seeds)}</td></tr>"
                )
    heads = (
        "chapter",
        "claim",
        "value in this build",
        "checked against",
        "runs (seeds)",
    )
    head = (
        '<table class="table deeper-claims"><thead><tr>'
        + "".join(f"<th>{t(app, h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
    )
    return (
        f"<p>{t(app, '{n} claims in {c} chapters.', n=n, c=len(_chapters()))}</p>"
        + head
        + "".join(rows)
        + "</tbody></table>"
    )


def fill_claims_index(app, doctree, docname):
    if docname != "book/claims":
        return
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if CLAIMS_MARKER in node.astext():
            node.replace_self(nodes.raw("", _claims_html(app), format="html"))


def setup(app):
    app.connect("config-inited", refuse_placeholder_release)
    app.connect("doctree-resolved", fill_claims_index)
    app.connect("source-read", fill_tables)
    app.connect("env-get-outdated", always_reread)
    app.connect("html-page-context", add_chapter_banner)
    app.connect("build-finished", write_student_versions)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
