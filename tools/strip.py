"""Store notebooks the way the repository keeps them: no outputs, no execution counts, python3 kernel.

    python tools/strip.py notebooks/*.ipynb        # rewrite in place
    python tools/strip.py --check notebooks/*.ipynb  # exit 1 if any is not stripped
"""
import sys

import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
KEEP_CELL_META = {"tags", "mystnb"}


def stripped(nb):
    nb = nbformat.from_dict(nb)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in KEEP_CELL_META})
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    dirty = []
    for path in paths:
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
