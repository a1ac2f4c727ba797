"""Write the student version of every chapter: the same notebook without its solution cells.

Uses nbconvert's TagRemovePreprocessor (cells tagged `solution` are removed), so a student's
notebook runs top to bottom up to the first exercise they have not solved.

    python tools/student_versions.py                     # -> _build/student/NN_topic.ipynb
    python tools/student_versions.py --out DIR
The book build copies them to _build/html/_static/student/, linked from every chapter's
Exercises section and from the instructors' page.
"""

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))


def student_version(path):
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = ("solution", "wrong")
    c.NotebookExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    body, _ = NotebookExporter(config=c).from_filename(str(path))
    nb = nbformat.reads(body, as_version=4)
    # what the grader (tools/grade.py) needs to find the chapter and each exercise's stub
    nb.metadata["deeper"] = {"chapter": Path(path).stem, "edition": "student"}
    from check_exercises import exercises

    for group in exercises(nb, require_solution=False):
        nb.cells[group["stub"]].metadata.setdefault("deeper", {})["exercise"] = group[
            "label"
        ]
    return nb


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "_build" / "student"))
    ap.add_argument(
        "notebooks",
        nargs="*",
        default=sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb")),
    )
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for p in args.notebooks:
        nb = student_version(p)
        nbformat.write(nb, out / Path(p).name)
        left = sum("solution" in c.metadata.get("tags", []) for c in nb.cells)
        assert left == 0, f"{p}: {left} solution cells survived"
    print(f"wrote {len(args.notebooks)} student notebooks to {out}")


if __name__ == "__main__":
    main()
