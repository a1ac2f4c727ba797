"""The rules every chapter notebook follows, as functions that return a list of problems.

Used by test_structure.py on the real chapters and by test_tests.py on deliberately broken ones,
which shows that the rules bite.
"""

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
GLUE_DEF = re.compile(r"""\b(?:glue|claim)\(\s*["']([\w-]+)["']""")
CLAIM_CALL = re.compile(r"^\s*claim\(", flags=re.M)
GLUE_USE = re.compile(r"\{glue:(?:text|any|md|figure)?\}`([\w-]+)")
BANNED = {  # pattern -> why
    r"np\.random\.seed": "randomness goes through explicit JAX keys",
    r"PRNGKey\(": "use jax.random.key, not the old PRNGKey",
    r"flax\.linen|nn\.compact|TrainState": "Flax NNX only, no Linen idioms",
    r"jax\.tree_map|tree_util\.tree_map": "use jax.tree.map",
    r"get_dataset\(": "mnist1d's get_dataset downloads; use make_dataset",
    r"\bopen\(|np\.load\(|pd\.read_|\.\./": "a chapter reads no file from the repository",
    r"devices\(['\"]cpu|jax\.devices\(\)\[0\]|device_put\([^)]*cpu": "no hard-coded device",
}


# Chapters not yet converted to the conventions of issues 13, 14/15 and 19 (canonical cells,
# claim(...), ruff, American spelling): their old rules still apply and the new ones are skipped
# with this reason, so the gap is visible in every test report. Empty when every chapter is done.
PENDING = {}


def chapter_params(paths=None):
    """Chapters as pytest parameters; a pending chapter's new-convention tests are skipped."""
    import pytest

    out = []
    for p in paths if paths is not None else chapters():
        marks = (
            [pytest.mark.skip(reason=f"pending conversion: {PENDING[p.stem]}")]
            if p.stem in PENDING
            else []
        )
        out.append(pytest.param(p, id=p.stem, marks=marks))
    return out


def chapters():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    return files


def code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def problems(nb, legacy=False):
    """Everything wrong with one chapter notebook (an empty list if it follows the rules).

    `legacy`: the rules before the conventions of issues 13/19 (for PENDING chapters only)."""
    out = []
    cells = nb.cells
    # stored stripped
    for i, c in enumerate(code(nb)):
        if c.outputs or c.execution_count is not None:
            out.append(f"code cell {i} is stored with outputs or an execution count")
    # skeleton
    first = cells[0] if cells else None
    if not first or first.cell_type != "markdown" or not first.source.startswith("# "):
        out.append("the first cell must be markdown starting with '# <title>'")
    elif "Learning goals" not in first.source:
        out.append("the first cell must hold the 'Learning goals' admonition")
    setup = code(nb)[0].source if code(nb) else ""
    if legacy:
        return _legacy_problems(nb, out)
    for needle in ["google.colab", "pip", "jax.devices()", "SEED = "]:
        if needle not in setup:
            out.append(f"the setup cell (first code cell) lacks {needle!r}")
    helpers = code(nb)[1].source if len(code(nb)) > 1 else ""
    for needle in [
        "from myst_nb import glue",
        "except ImportError",
        "def claim",
        "def depth_color",
    ]:
        if needle not in helpers:
            out.append(f"the helpers cell (second code cell) lacks {needle!r}")
    md = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    numbered = [h for h in headings if re.match(r"\d+\. ", h)]
    if not 3 <= len(numbered) <= 6:
        out.append(
            f"expected 3-6 numbered sections '## N. <question>', found {len(numbered)}"
        )
    for h in ["Summary", "Exercises", "References"]:
        if h not in headings:
            out.append(f"missing section '## {h}'")
    if "{bibliography}" in md:
        out.append(
            "no {bibliography} directive in a chapter: the book has one bibliography page"
        )
    # claims: glued, used in the prose, asserted
    src = "\n".join(c.source for c in code(nb)[2:])  # not the setup and helpers cells
    defined, used = set(GLUE_DEF.findall(src)), set(GLUE_USE.findall(md))
    # names computed at run time (glue(f"x_{k}", ...), glue(name, ...) in a loop) are checked by the build
    dynamic = sum(
        1
        for line in re.findall(
            r"^(.*\b(?:glue|claim)\(\s*[^\s\"'].*)$", src, flags=re.M
        )
        if "def glue" not in line
    )
    if len(defined) + dynamic < 4 or len(used) < 4:
        out.append(
            f"expected at least 4 glued results used in the text, found {len(defined)} glued, {len(used)} used"
        )
    if not dynamic and (
        undefined := used - defined
    ):  # dynamic names are checked by the build instead
        out.append(f"glue names used in the text but never glued: {sorted(undefined)}")
    n_claims = len(CLAIM_CALL.findall(src))
    if n_claims < 4:
        out.append(
            f"expected at least 4 claims (calls of claim(...)), found {n_claims}"
        )
    # figures have captions
    for i, c in enumerate(code(nb)):
        if "plt.show()" in c.source and "caption" not in c.metadata.get(
            "mystnb", {}
        ).get("figure", {}):
            out.append(f"code cell {i} draws a figure without a mystnb figure caption")
    # banned idioms
    for pattern, why in BANNED.items():
        for i, c in enumerate(code(nb)):
            if re.search(pattern, c.source):
                out.append(f"code cell {i} matches {pattern!r}: {why}")
    return out


def _legacy_problems(nb, out):
    src = "\n".join(c.source for c in code(nb))
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if len(re.findall(r"^\s*assert\b", src, flags=re.M)) < 4:
        out.append("expected at least 4 asserts")
    if len(set(GLUE_USE.findall(md))) < 4:
        out.append("expected at least 4 glued results used in the text")
    return out


def exercise_problems(nb):
    from check_exercises import exercises

    out = []
    try:
        groups = exercises(nb)
    except ValueError as e:
        return [str(e)]
    if len(groups) < 2:
        out.append(
            f"expected at least 2 exercises (stub + solution + check), found {len(groups)}"
        )
    labels = {g["label"] for g in groups}
    for c in nb.cells:
        m = (
            re.search(r"\{solution-start\}\s*(\S+)", c.source)
            if c.cell_type == "markdown"
            else None
        )
        if m:
            if m.group(1) not in labels:
                out.append(f"solution for unknown exercise {m.group(1)}")
            if "solution" not in c.metadata.get("tags", []):
                out.append(
                    f"the solution-start cell for {m.group(1)} must be tagged 'solution'"
                )
            if ":class: dropdown" not in c.source:
                out.append(f"the solution for {m.group(1)} must be a dropdown")
        if (
            c.cell_type == "markdown"
            and "{solution-end}" in c.source
            and "solution" not in c.metadata.get("tags", [])
        ):
            out.append("a solution-end cell must be tagged 'solution'")
    for g in groups:
        stub = nb.cells[g["stub"]].source
        if (
            "NotImplementedError" not in stub
            and "return" not in stub
            and "= None" not in stub
        ):
            out.append(
                f"the stub of {g['label']} neither raises NotImplementedError nor returns a placeholder"
            )
    return out


def read(path):
    return nbformat.read(path, as_version=4)
