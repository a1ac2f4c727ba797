"""The Chinese edition: one source, translated through gettext message catalogues.

    python tools/i18n.py update      # extract the book's messages, update locale/zh_CN/LC_MESSAGES
    python tools/i18n.py check       # untranslated, fuzzy or changed-markup messages: exit 1
    python tools/i18n.py notebooks   # write locale/zh_CN/notebooks/*.ipynb from the catalogues
    python tools/i18n.py build       # the Chinese HTML into _build/html/zh, from the cached runs
    python tools/i18n.py export notebooks/resnet > resnet.txt   # one catalogue as plain text
    python tools/i18n.py import notebooks/resnet resnet.txt     # ... and back, after translating
    python tools/i18n.py lint notebooks/resnet                  # its problems (no extraction)

Sphinx's gettext builder extracts every paragraph, heading, list item, caption and admonition of
the notebooks' markdown cells and of the pages in book/ as one message, in its MyST source (glue
roles, citations, math and references arrive intact). A translator fills in `msgstr`; a message
whose English changes is marked fuzzy by `update` and must be translated again. Code cells,
outputs, glued numbers and figures are never translated: both editions render the same cached
execution (the Chinese build executes nothing; run the English build first).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_CN"
LOCALE = ROOT / "locale"
CATALOGUES = LOCALE / LANG / "LC_MESSAGES"
NOTEBOOKS_ZH = LOCALE / LANG / "notebooks"
HTML_ZH = ROOT / "_build" / "html" / "zh"


# --- Sphinx configuration -------------------------------------------------------------------

ZH_CONFIG = {
    "html_title": "Deeper：深度为何有效，又在哪里失效",
    "search_bar_text": "在本书中搜索……",
    "extra_footer": "本书中的每个数字都在构建时计算得出，并由一条 assert 检验。",
}


def write_conf(confdir, language=None):
    """conf.py for sphinx-build, from `jupyter-book config sphinx` plus the i18n settings.

    Written into `confdir` (not the repository root), so every relative path is made absolute.
    """
    with tempfile.TemporaryDirectory() as tmp:
        shutil_copy = [ROOT / "_config.yml", ROOT / "_toc.yml"]
        for f in shutil_copy:
            (Path(tmp) / f.name).write_text(f.read_text())
        subprocess.run(
            ["jupyter-book", "config", "sphinx", tmp],
            check=True,
            capture_output=True,
        )
        generated = (Path(tmp) / "conf.py").read_text()
    extra = f"""
import os, sys
ROOT = {str(ROOT)!r}
sys.path.insert(0, os.path.join(ROOT, "book", "_ext"))
external_toc_path = os.path.join(ROOT, "_toc.yml")
bibtex_bibfiles = [os.path.join(ROOT, f) for f in bibtex_bibfiles]
html_static_path = [os.path.join(ROOT, p) for p in html_static_path]
nb_execution_cache_path = os.path.join(ROOT, "_build", ".jupyter_cache")
locale_dirs = [os.path.join(ROOT, "locale")]
gettext_compact = False
gettext_uuid = False
gettext_location = False
"""
    if language:
        extra += f"""
language = {language!r}
# Colab opens the Chinese notebooks (locale/zh_CN/notebooks/), made by `i18n.py notebooks`.
html_theme_options["path_to_docs"] = "locale/{language}/"
# the configuration's own strings (Sphinx does not translate configuration values)
html_title = {ZH_CONFIG["html_title"]!r}
html_theme_options["search_bar_text"] = {ZH_CONFIG["search_bar_text"]!r}
html_theme_options["extra_footer"] = {ZH_CONFIG["extra_footer"]!r}
"""
    Path(confdir).mkdir(parents=True, exist_ok=True)
    (Path(confdir) / "conf.py").write_text(generated + extra)


def sphinx(builder, outdir, doctrees, language=None, extra=(), quiet=False):
    confdir = ROOT / "_build" / f"conf-{builder}-{language or 'en'}"
    write_conf(confdir, language)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        "-c",
        str(confdir),
        "-d",
        str(doctrees),
        *extra,
        str(ROOT),
        str(outdir),
    ]
    return subprocess.run(cmd, cwd=ROOT, capture_output=quiet, text=True)


# --- catalogues -----------------------------------------------------------------------------


def extract(outdir):
    """The book's messages as .pot files under outdir (nothing executes)."""
    r = sphinx(
        "gettext",
        outdir,
        ROOT / "_build" / ".doctrees-gettext",
        extra=["-q", "-D", "nb_execution_mode=off"],
        quiet=True,
    )
    # Its warnings are expected (glued figures are missing when nothing executes); only a crash
    # matters.
    if r.returncode not in (0, 1):
        sys.exit(f"message extraction failed ({r.returncode}):\n{r.stderr[-3000:]}")
    add_figure_captions(outdir)
    return sorted(Path(outdir).rglob("*.pot"))


def figure_captions(nb):
    """The captions a chapter keeps in its code cells' metadata (myst-nb's `figure` option)."""
    for cell in nb.cells:
        caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        if cell.cell_type == "code" and caption:
            yield cell, caption


def add_figure_captions(outdir):
    """Figure captions as messages: Sphinx sees them only when the figure is rendered, which
    needs the cell's output, and extraction executes nothing."""
    import nbformat
    from babel.messages.pofile import write_po as _write

    pages = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "book").glob("*.md")
    )
    for path in pages:
        pot = Path(outdir) / path.parent.name / f"{path.stem}.pot"
        if not pot.exists():
            continue
        template = read_po(pot)
        if (
            path.suffix == ".md"
        ):  # a MyST text notebook: `:  caption: ...` in a code cell
            captions = re.findall(
                r"^:\s+caption:\s*(.+)$", path.read_text(), flags=re.M
            )
        else:
            captions = [
                c for _, c in figure_captions(nbformat.read(path, as_version=4))
            ]
        for caption in captions:
            msgid = " ".join(caption.split())
            if msgid not in template:
                template.add(msgid, locations=[(path.name, 0)])
        with open(pot, "wb") as f:
            _write(f, template, width=0)


def read_po(path):
    from babel.messages.pofile import read_po as _read

    with open(path, "rb") as f:
        return _read(f, locale=LANG)


def write_po(path, catalog):
    from babel.messages.pofile import write_po as _write

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        _write(f, catalog, width=0, omit_header=False, ignore_obsolete=True)


def update():
    """Bring the catalogues in line with the English text (new: empty; changed: fuzzy)."""
    out = ROOT / "_build" / "gettext"
    pots = extract(out)
    keep = set()
    for pot in pots:
        rel = pot.relative_to(out).with_suffix(".po")
        po_path = CATALOGUES / rel
        keep.add(po_path)
        template = read_po(pot)
        catalog = read_po(po_path) if po_path.exists() else read_po(pot)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        if po_path.exists():  # only the messages decide whether a file changes
            catalog.creation_date = created
        write_po(po_path, catalog)
    for stale in set(CATALOGUES.rglob("*.po")) - keep:
        stale.unlink()
    print(f"updated {len(keep)} catalogues in {CATALOGUES.relative_to(ROOT)}")


# --- checks ---------------------------------------------------------------------------------

ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", flags=re.S)
CODE = re.compile(r"(?<![`}])`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def markup(text):
    """What a translation must keep: roles (glue, cite, ref, numref, eq, doc), math, code, links.

    A reference's own title may be translated (`{ref}`text <label>``): only its target counts.
    """
    roles = []
    for name, body in ROLE.findall(text):
        if name in ("ref", "numref", "doc", "eq", "term") and "<" in body:
            body = body[body.rindex("<") :]
        roles.append(f"{{{name}}}{body}")
    without = ROLE.sub("", text)
    maths = [re.sub(r"\s+", " ", m.strip()) for m in MATH.findall(without)]
    code = CODE.findall(MATH.sub("", without))
    return Counter(roles) + Counter(maths) + Counter(code) + Counter(LINK.findall(text))


def emphasis(text):
    """How many bold and italic spans the text renders to (CommonMark's rules).

    CommonMark does not close ** right after full-width punctuation when a Chinese character
    follows ("**要点：**梯度" stays literal), so a translation can lose emphasis silently.
    """
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").renderInline(MATH.sub("M", ROLE.sub("R", text)))
    return html.count("<strong>"), html.count("<em>")


def message_problem(msgid, msgstr, fuzzy=False):
    """What is wrong with one translation, or None."""
    if not msgstr:
        return f"untranslated: {msgid[:70]!r}"
    if fuzzy:
        return f"fuzzy: {msgid[:70]!r}"
    if markup(msgid) != markup(msgstr):
        lost, added = markup(msgid) - markup(msgstr), markup(msgstr) - markup(msgid)
        return (
            f"markup changed in {msgid[:50]!r}: lost {dict(lost)}, added {dict(added)}"
        )
    if emphasis(msgid) != emphasis(msgstr):
        return f"bold/italic lost or added (CommonMark) in {msgstr[:60]!r}"
    return None


def problems(pots=None):
    """Every message that is untranslated, fuzzy or lost markup, as (catalogue, text)."""
    found = []
    if pots is None:
        tmp = tempfile.mkdtemp()
        base, pots = Path(tmp), extract(tmp)
    else:
        base = Path(pots[0]).parent
        while not (base / "book").exists() and base != base.parent:
            base = base.parent
    for pot in pots:
        rel = pot.relative_to(base).with_suffix(".po")
        po_path = CATALOGUES / rel
        if not po_path.exists():
            found.append((str(rel), "no catalogue: run `python tools/i18n.py update`"))
            continue
        catalog = read_po(po_path)
        for msg in read_po(pot):
            if not msg.id:
                continue
            tr = catalog.get(msg.id)
            what = message_problem(
                msg.id, tr and tr.string, tr is not None and tr.fuzzy
            )
            if what:
                found.append((str(rel), what))
    return found


def counts():
    n = fuzzy = empty = 0
    for po in CATALOGUES.rglob("*.po"):
        for msg in read_po(po):
            if msg.id:
                n += 1
                fuzzy += bool(msg.fuzzy)
                empty += not msg.string
    return n, fuzzy, empty


# --- plain-text exchange for translators ---------------------------------------------------
# Each message is a block: "=== N" on its own line, the English text, a line "---", and the
# translation (empty until translated). No escaping: LaTeX backslashes and quotes stay as they are.


def export_text(name):
    catalog = read_po(CATALOGUES / f"{name}.po")
    blocks = []
    for i, m in enumerate(m for m in catalog if m.id):
        string = "" if m.fuzzy else m.string
        blocks.append(f"=== {i}\n{m.id}\n---\n{string}\n")
    return "".join(blocks)


def import_text(name, text):
    po_path = CATALOGUES / f"{name}.po"
    catalog = read_po(po_path)
    ids = [m.id for m in catalog if m.id]
    parts = re.split(r"^=== (\d+)\n", text, flags=re.M)[1:]
    n = 0
    for number, body in zip(parts[::2], parts[1::2], strict=True):
        english, sep, chinese = body.partition("\n---\n")
        msgid = ids[int(number)]
        if not sep or english != msgid:
            sys.exit(f"block {number}: its English text differs from the catalogue's")
        chinese = chinese[:-1] if chinese.endswith("\n") else chinese
        if chinese.strip():
            m = catalog[msgid]
            m.string, m.flags = chinese, set(m.flags) - {"fuzzy"}
            n += 1
    write_po(po_path, catalog)
    print(f"{po_path.relative_to(ROOT)}: {n} of {len(ids)} messages translated")


def lint(name):
    catalog = read_po(CATALOGUES / f"{name}.po")
    found = []
    for m in catalog:
        if m.id and (what := message_problem(m.id, m.string, m.fuzzy)):
            found.append(what)
    return found


# --- Chinese notebooks ----------------------------------------------------------------------

PREFIX = r"(?P<pre>^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*+][ \t]+|\d+[.)][ \t]+|(?::{3,}|`{3,})\{[^}]+\}[ \t]*)?)"


def _pattern(msgid):
    words = [re.escape(w) for w in msgid.split()]
    return re.compile(PREFIX + r"\s+".join(words) + r"(?=[ \t]*(?:\||$))", flags=re.M)


def translate_markdown(source, table):
    """Replace each English message found in a markdown cell by its translation.

    Messages are matched as whole blocks (a paragraph, heading, list item, caption or table cell,
    line breaks ignored), longest first, so a short message never matches inside a longer one.
    """
    placed = 0
    for msgid, msgstr in table:
        if msgid.strip() not in " ".join(source.split()) and "|" not in source:
            continue
        pat = _pattern(msgid)
        source, n = pat.subn(lambda m, s=msgstr: m.group("pre") + s, source)
        if n == 0 and "|" in source:  # a table cell: bounded by pipes
            cell = re.compile(
                r"(?<=\|)[ \t]*"
                + r"\s+".join(re.escape(w) for w in msgid.split())
                + r"[ \t]*(?=\|)"
            )
            source, n = cell.subn(lambda m, s=msgstr: " " + s + " ", source)
        placed += n
    return source, placed


ENGLISH = re.compile(
    r"[A-Za-z]{2,}[,;:]?\s+[A-Za-z]{2,}[,;:]?\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}"
)


def english_left(source):
    """Lines of a translated markdown cell that still read as English prose (four words)."""
    left = []
    for line in source.splitlines():
        if re.match(r"\s*(:[a-z-]+:|```|:::|\$\$|\|[-| ]+\|$)", line):
            continue  # directive options, fences, display math, table rules
        prose = CODE.sub("", MATH.sub("", ROLE.sub("", line)))
        prose = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", prose)
        if ENGLISH.search(prose):
            left.append(line.strip())
    return left


def chinese_notebook(path):
    """The chapter with its markdown cells in Chinese (code cells untouched)."""
    import nbformat

    po = CATALOGUES / "notebooks" / f"{Path(path).stem}.po"
    catalog = read_po(po)
    pairs = []
    for m in catalog:
        if not (m.id and m.string and not m.fuzzy) or m.id.strip() == m.string.strip():
            continue  # untranslated, or math and code copied as they are
        if "\n" in m.id.strip():
            continue  # display math
        pairs.append((m.id, m.string))
        # a directive's title, as sphinx-proof shows it: "(Theorem name)"
        if m.id.startswith("(") and m.id.endswith(")"):
            pairs.append((m.id[1:-1], m.string.strip()[1:-1]))
    table = sorted(pairs, key=lambda t: -len(t[0]))
    nb = nbformat.read(path, as_version=4)
    missing = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, _ = translate_markdown(cell.source, table)
    done = dict(pairs)
    for cell, caption in figure_captions(nb):
        cell.metadata["mystnb"]["figure"]["caption"] = done.get(
            " ".join(caption.split()), caption
        )
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            missing += english_left(cell.source)
    nb.metadata["language_info"] = nb.metadata.get("language_info", {})
    nb.metadata["deeper"] = {**nb.metadata.get("deeper", {}), "language": LANG}
    return nb, missing


def notebooks(check=False):
    import nbformat

    NOTEBOOKS_ZH.mkdir(parents=True, exist_ok=True)
    stale, left = [], {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb, missing = chinese_notebook(path)
        if missing:
            left[path.stem] = missing
        out = NOTEBOOKS_ZH / path.name
        text = nbformat.writes(nb) + "\n"
        if check:
            if not out.exists() or out.read_text() != text:
                stale.append(out.name)
        else:
            out.write_text(text)
    return stale, left


# --- the Chinese build ----------------------------------------------------------------------


def build():
    start = time.time()
    from stale import stale

    chapters = sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    if not_cached := stale(chapters):
        sys.exit(
            f"not executed yet: {not_cached}. Build the English edition first "
            "(bash tools/build.sh): the Chinese one reuses its runs and executes nothing."
        )

    r = sphinx(
        "html",
        HTML_ZH,
        ROOT / "_build" / ".doctrees-zh",
        language=LANG,
        extra=["-W", "--keep-going", "-q", "-D", "nb_execution_raise_on_error=1"],
    )
    print(
        f"== built {HTML_ZH.relative_to(ROOT)}/index.html in {time.time() - start:.0f} s"
    )
    return r.returncode


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "command",
        choices=[
            "update",
            "check",
            "notebooks",
            "build",
            "count",
            "export",
            "import",
            "lint",
        ],
    )
    ap.add_argument("name", nargs="?", help="a catalogue, e.g. notebooks/resnet")
    ap.add_argument("file", nargs="?", help="the translated text (import)")
    args = ap.parse_args()
    os.chdir(ROOT)
    if args.command == "update":
        update()
        notebooks()
    elif args.command == "check":
        found = problems()
        for rel, what in found:
            print(f"{rel}: {what}")
        stale, _ = notebooks(check=True)
        for name in stale:
            print(
                f"locale/{LANG}/notebooks/{name}: out of date: run `python tools/i18n.py notebooks`"
            )
        n, fuzzy, empty = counts()
        print(
            f"{n} messages, {fuzzy} fuzzy, {empty} untranslated; {len(found)} problems"
        )
        sys.exit(1 if found or stale else 0)
    elif args.command == "notebooks":
        _, left = notebooks()
        for name, msgs in left.items():
            print(f"{name}: {len(msgs)} messages not placed, e.g. {msgs[0][:60]!r}")
    elif args.command == "export":
        sys.stdout.write(export_text(args.name))
    elif args.command == "import":
        import_text(args.name, Path(args.file).read_text())
    elif args.command == "lint":
        found = lint(args.name)
        print("\n".join(found) or "no problems")
        sys.exit(1 if found else 0)
    elif args.command == "count":
        n, fuzzy, empty = counts()
        print(f"messages {n}, fuzzy {fuzzy}, untranslated {empty}")
    else:
        sys.exit(build())


if __name__ == "__main__":
    main()
