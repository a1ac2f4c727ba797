"""Do the chapters' claims hold for other seeds? Runs chapters with other values of SEED.

    .venv/bin/python tools/seed_sweep.py                        # every chapter, default seeds
    .venv/bin/python tools/seed_sweep.py notebooks/resnet.ipynb --seeds 4 5 6 7

Each run is a copy of the chapter with its setup cell's `SEED = 0` line set to another value,
executed top to bottom in an empty directory. Cells run on after a failure, so one run reports
every claim that broke. The report lists, per chapter and seed, the cells that failed and their
messages; the exit status is 1 if any claim failed. Not part of tools/test.sh: it executes every
chapter once per seed (about 15 minutes per seed on a 2-core CPU).
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = [1, 2, 3]
SEED_LINE = re.compile(r"^SEED = \d+", flags=re.M)


def with_seed(path, seed):
    nb = nbformat.read(path, as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    if not SEED_LINE.search(setup.source):
        raise SystemExit(f"{path}: the setup cell has no `SEED = <n>` line")
    setup.source = SEED_LINE.sub(f"SEED = {seed}", setup.source, count=1)
    return nb


def failures(nb):
    """Execute with errors allowed; the (cell index, error) of every cell that raised."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb,
            timeout=900,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": tmp}},
        )
        client.execute()
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(o.get("evalue", "")))
                out.append((i, f"{o['ename']}: {evalue}"[:400]))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="chapters (default: all)")
    ap.add_argument("--seeds", nargs="+", type=int, default=DEFAULT_SEEDS)
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted(
        str(p) for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    print(f"seeds: {' '.join(map(str, args.seeds))} (the book's default is SEED = 0)")
    bad = 0
    for path in paths:
        for seed in args.seeds:
            t0 = time.time()
            found = failures(with_seed(path, seed))
            status = "ok" if not found else f"{len(found)} failed"
            print(
                f"{Path(path).stem:22s} SEED = {seed}: {status} ({time.time() - t0:.0f} s)",
                flush=True,
            )
            for i, msg in found:
                print(f"    cell {i}: {msg}")
            bad += bool(found)
    print(
        "every claim held for every seed"
        if not bad
        else f"{bad} chapter runs had failures"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
