"""Which chapters must execute: those whose current code has no passing run in the cache.

    python tools/stale.py notebooks/*.ipynb     # prints the paths that are not cached
    python tools/stale.py --fingerprint         # what a built book depends on beyond its sources

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


def fingerprint():
    """A hash of what the built book depends on that Sphinx does not watch: the cached runs
    (a chapter re-executed into the cache changes its outputs, not its file), the book's own
    extensions and the locked library versions. Unchanged, an incremental build is safe."""
    import hashlib

    h = hashlib.sha256()
    if CACHE.exists():
        from jupyter_cache import get_cache

        for r in sorted(get_cache(str(CACHE)).list_cache_records(), key=lambda r: r.pk):
            h.update(f"{r.pk}:{r.hashkey}\n".encode())
    for f in sorted((ROOT / "book" / "_ext").glob("*.py")) + [
        ROOT / "requirements.lock"
    ]:
        h.update(f.read_bytes())
    return h.hexdigest()


if __name__ == "__main__":
    if sys.argv[1:] == ["--fingerprint"]:
        print(fingerprint())
    elif out := stale(sys.argv[1:]):  # nothing at all when every chapter is cached
        print("\n".join(out))
