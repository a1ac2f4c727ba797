# Sourced by build.sh and test.sh: a .venv with exactly the versions of requirements.lock.
# requirements.txt lists what the book needs (top-level pins); requirements.lock pins every
# transitive dependency too (made by uv: see CONTRIBUTING.md). When the lock changes, the venv is
# synced and the execution cache is emptied, so no page shows numbers computed with other versions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Deeper's pinned environment needs Python 3.11 (JAX 0.10.2 is the newest that 3.11 allows);" >&2
  echo "found $("$PYTHON" --version 2>&1) at $(command -v "$PYTHON"). Install Python 3.11 or set PYTHON=/path/to/python3.11." >&2
  echo "(tools/newest.sh tests the newest JAX on a newer Python.)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
lock_sha=$(sha256sum requirements.lock | cut -c1-16)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$lock_sha" ]; then
  echo "== installing requirements.lock into .venv"
  for args in "--upgrade pip" "--no-deps -r requirements.lock"; do
    # shellcheck disable=SC2086
    if ! .venv/bin/python -m pip install -q $args > .venv/pip.log 2>&1; then
      grep -v "^WARNING: Location" .venv/pip.log >&2; echo "pip install $args failed" >&2; exit 1
    fi
  done
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check >&2; exit 1; }
  echo "$lock_sha" > .venv/.installed
fi
if [ "$(cat _build/.jupyter_cache/.lock_sha 2>/dev/null)" != "$lock_sha" ]; then
  [ -d _build/.jupyter_cache ] && echo "== requirements.lock changed: emptying the execution cache"
  rm -rf _build/.jupyter_cache && mkdir -p _build/.jupyter_cache
  echo "$lock_sha" > _build/.jupyter_cache/.lock_sha
fi
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONHASHSEED=0 JUPYTER_PLATFORM_DIRS=1
