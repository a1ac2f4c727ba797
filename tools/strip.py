"""Store notebooks the way the repository keeps them: no outputs, no execution counts, and only
the metadata the book uses (cell tags, myst-nb figure options, the exercises' points).

    python tools/strip.py notebooks/*.ipynb          # rewrite in place
    python tools/strip.py --check notebooks/*.ipynb  # exit 1 if any is not stripped

Outputs and counts are stripped by nbstripout; this script adds the book's metadata policy.
"""

import sys

import nbformat
from nbstripout import strip_output

KERNELSPEC = {
    "name": "python3",
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}
KEEP_CELL_META = {"tags", "mystnb", "deeper"}


def stripped(nb):
    nb = strip_output(
        nbformat.from_dict(nb), keep_output=False, keep_count=False, keep_id=True
    )
    nb.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    for cell in nb.cells:
        keep = {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_META}
        cell.metadata = nbformat.from_dict(keep)
    return nb


def main(argv):
    check = "--check" in argv
    dirty = []
    for path in [a for a in argv if a != "--check"]:
        nb = nbformat.read(path, as_version=4)
        new = stripped(nb)
        if nbformat.writes(new) != nbformat.writes(nb):
            dirty.append(path)
            if not check:
                nbformat.write(new, path)
    if check and dirty:
        print("not stripped:", *dirty)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
