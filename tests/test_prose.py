"""The book's prose: one spelling (American), no references to notes a reader does not have."""

import re
from pathlib import Path

import pytest
from bookcheck import PENDING, ROOT, chapters, read

# British spellings (stems) the book has used, each with its American form.
BRITISH = {
    r"(initiali|normali|regulari|optimi|generali|minimi|maximi|summari|visuali|parameteri|"
    r"standardi|characteri|recogni|organi|reali|memori|rematerialis|modulari|lineari|vectori|"
    r"randomi|stabili|speciali|utili|emphasi|categori|symmetri|hypothesi|synthesi|penali|"
    r"discreti|quantis|tokeni|finalis|prioriti|capitali|criticis|apologi|theori)s(e|ed|es|ing|ation|ations|er|ers)\b": "-ize / -ization",
    r"\banalys(e|ed|es|ing)\b": "analyze",
    r"\b(colour|behaviour|neighbour|favour|labour|honour|flavour|harbour)": "-or",
    r"\b(centre|metre|fibre|litre)s?\b": "-er",
    r"\b(modell|labell|travell|signall|cancell|channell|tunnell|fuell|levell)(ed|ing|er|ers)\b": "single l",
    r"\b(grey|programme|licence|defence|catalogue|analogue|whilst|amongst|learnt|spelt|"
    r"sceptic\w*|aluminium)\b": "American form",
}
NOTES = re.compile(r"\b(source notes|the notes|seed notes?|our notes)\b", re.I)


def prose(text):
    """Markdown without code spans, roles' targets, directives' options, math and links."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"^:[\w-]+:.*$", " ", text, flags=re.M)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    return re.sub(r"https?://\S+|\(\S+\.(md|html|ipynb)\S*\)", " ", text)


def pages():
    out = {
        p.relative_to(ROOT).as_posix(): p.read_text()
        for p in (ROOT / "book").glob("*.md")
    }
    for nb_path in chapters():
        nb = read(nb_path)
        parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
        parts += [
            c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "")
            for c in nb.cells
        ]
        out[nb_path.relative_to(ROOT).as_posix()] = "\n".join(parts)
    return out


PAGES = pages()
PARAMS = [
    pytest.param(
        name,
        marks=[
            pytest.mark.skip(reason=f"pending conversion: {PENDING[Path(name).stem]}")
        ],
    )
    if name.startswith("notebooks/") and Path(name).stem in PENDING
    else name
    for name in sorted(PAGES)
]


@pytest.mark.parametrize("page", PARAMS)
def test_american_spelling(page):
    text = prose(PAGES[page])
    found = [
        (m.group(0), fix)
        for pattern, fix in BRITISH.items()
        for m in re.finditer(pattern, text, flags=re.I)
    ]
    assert not found, f"{page}: British spellings (the book uses American): {found}"


@pytest.mark.parametrize("page", PARAMS)
def test_no_reference_to_notes_the_reader_lacks(page):
    hits = NOTES.findall(prose(PAGES[page]))
    assert not hits, f"{page}: refers to notes the reader does not have: {hits}"
