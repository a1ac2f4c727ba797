"""The two editions of the book: English (the source) and Chinese (from locale/zh_CN).

- Puts a language switch at the top of every page, linking the same page in the other edition
  (the Chinese edition lives in the zh/ folder of the built site).
- `translate(app, text)`: the Chinese edition's form of an English message, from the message
  catalogues (used for the tables the extension deeper_book generates).
"""

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZH_DIR = "zh"  # the Chinese edition's folder in the built site

# Strings the extensions write themselves (not in any page's source, so not in the catalogues).
ZH = {
    "Run time": "运行时间",
    "runs in {s:.0f} s on a {m}": "在 {m} 上运行 {s:.0f} 秒",
    "{s:.0f} s on a {m}": "在 {m} 上 {s:.0f} 秒",
    "GPU: not measured": "GPU：未测量",
    "Student version": "学生版",
    "(exercises without solutions)": "（练习不含参考答案）",
    "chapter": "章",
    "learning goals": "学习目标",
    "exercises": "练习",
    "run time (CPU)": "运行时间（CPU）",
    "to work through": "学习用时",
    "about {n} min": "约 {n} 分钟",
    "not measured": "未测量",
    "{x:.0f} s": "{x:.0f} 秒",
    "CPU wall time": "CPU 耗时",
    "CPU peak memory": "CPU 峰值内存",
    "within 90 s?": "不超过 90 秒？",
    "GPU wall time": "GPU 耗时",
    "yes": "是",
    "no": "否",
    "all chapters": "全部章节",
    "budget 900 s": "预算 900 秒",
    "claim": "断言",
    "value in this build": "本次构建的取值",
    "checked against": "检验标准",
    "runs (seeds)": "运行次数（随机种子）",
    "{n} claims in {c} chapters.": "{c} 章共 {n} 条断言。",
}


def is_zh(app):
    return (app.config.language or "en").startswith("zh")


def t(app, english, **kw):
    """An extension's own string in the edition's language, formatted with kw."""
    text = ZH.get(english, english) if is_zh(app) else english
    return text.format(**kw) if kw else text


@cache
def _catalogue(docname):
    from babel.messages.pofile import read_po

    path = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / f"{docname}.po"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def translate(app, text, docname):
    """A message of docname in the edition's language (English if it has no translation)."""
    if not is_zh(app):
        return text
    return _catalogue(docname).get(text, text)


def add_language_switch(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    up = "../" * pagename.count("/")
    if is_zh(app):
        here, there, href, lang = "中文", "English", f"../{up}{pagename}.html", "en"
    else:
        here, there, href, lang = (
            "English",
            "中文",
            f"{up}{ZH_DIR}/{pagename}.html",
            "zh",
        )
    switch = (
        '<nav class="deeper-lang" aria-label="Language / 语言">'
        f'<span class="deeper-lang-current">{here}</span> · '
        f'<a class="deeper-lang-switch" href="{href}" hreflang="{lang}" lang="{lang}">{there}</a>'
        "</nav>"
    )
    context["body"] = switch + context["body"]


def share_glue_with_translations(app, config):
    """Let glue roles inside translated messages find the chapter's glued values.

    Sphinx parses each translated message as a small document of its own, and myst-nb looks glue
    keys up in that document's (empty) notebook. The chapter itself is parsed first (its glue
    roles resolve there), so we remember its glue data then and lend it to its messages.
    """
    if not is_zh(app):
        return
    from myst_nb.ext.glue import directives, roles, utils

    renderer_by_doc = {}  # docname -> the chapter's notebook renderer (holds its glue data)
    retrieve = utils.retrieve_glue_data

    def retrieve_shared(document, key):
        docname = document.settings.env.docname
        if "nb_renderer" in document:  # the chapter itself: remember it
            renderer_by_doc[docname] = document["nb_renderer"]
            return retrieve(document, key)
        element = renderer_by_doc.get(docname)  # a translated message of the chapter
        glue = element.renderer.nb_client.glue_data if element else {}
        if key not in glue:
            return retrieve(document, key)
        return utils.VariableOutput(
            data=glue[key]["data"],
            metadata=glue[key].get("metadata", {}),
            nb_renderer=element,
            vtype="glue",
        )

    roles.retrieve_glue_data = directives.retrieve_glue_data = retrieve_shared


def translate_toc_captions(app, doctree):
    """The parts' captions in the table of contents. sphinx-external-toc inserts the toctrees
    after Sphinx has translated the page, so we translate their captions ourselves."""
    if not is_zh(app):
        return
    from sphinx import addnodes

    for node in doctree.findall(addnodes.toctree):
        if node.get("caption"):
            node["caption"] = translate(app, node["caption"], app.env.docname)


def setup(app):
    app.connect("config-inited", share_glue_with_translations)
    app.connect("doctree-read", translate_toc_captions)
    app.connect("html-page-context", add_language_switch)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
