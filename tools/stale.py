"""Which chapters must execute: those whose current code has no passing run in the cache.

    python tools/stale.py notebooks/*.ipynb     # prints the paths that are not cached

The cache (_build/.jupyter_cache) holds a chapter's executed notebook only after it passed under
nbval, keyed by its code cells and their metadata; tools/env.sh empties it whenever
requirements.lock changes, so numbers computed with other library versions are never reused.
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"


def stale(paths):
    if not CACHE.exists():
        return list(paths)
    from jupyter_cache import get_cache

    cache = get_cache(str(CACHE))
    out = []
    for p in paths:
        try:
            cache.match_cache_notebook(nbformat.read(p, as_version=4))
        except KeyError:
            out.append(p)
    return out


if __name__ == "__main__":
    print("\n".join(stale(sys.argv[1:])))
