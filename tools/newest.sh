#!/usr/bin/env bash
# The newest-versions lane: every chapter under nbval with the newest JAX, Flax, Optax, NumPy and
# Matplotlib (not the pins), on the newest Python those support, in a separate .venv-newest. A
# change in a library that breaks a chapter shows here before a student meets it on Colab.
#
#   bash tools/newest.sh                          # every chapter
#   bash tools/newest.sh notebooks/resnet.ipynb   # some
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON_NEWEST:-}"
if [ -z "$PY" ]; then
  for v in 3.14 3.13 3.12; do
    for cand in "python$v" "$HOME/.pyenv/versions/$v"*/bin/python"$v"; do
      if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys' 2>/dev/null; then PY="$cand"; break 2; fi
    done
  done
fi
[ -n "$PY" ] || { echo "newest.sh needs Python 3.12 or newer (set PYTHON_NEWEST)" >&2; exit 2; }
if [ ! -x .venv-newest/bin/python ] || [ "${REFRESH:-0}" = 1 ]; then
  rm -rf .venv-newest
  "$PY" -m venv .venv-newest
fi
if ! .venv-newest/bin/python -m pip install -q -U pip jax flax optax numpy matplotlib mnist1d \
    scikit-learn scipy pandas jinja2 plotly packaging ipykernel nbclient nbformat nbval pytest > .venv-newest/pip.log 2>&1; then
  grep -v "^WARNING: Location" .venv-newest/pip.log | tail -20 >&2
  # the newest Python may be ahead of JAX's wheels: say so rather than test an old JAX
  echo "could not install the newest libraries on $("$PY" --version); try PYTHON_NEWEST=python3.12" >&2
  exit 2
fi
versions=$(.venv-newest/bin/python -c 'import importlib.metadata as m, sys
print(f"Python {sys.version.split()[0]}, " + ", ".join(f"{p} {m.version(p)}" for p in
      ["jax", "jaxlib", "flax", "optax", "numpy", "matplotlib"]))')
echo "== newest lane: $versions"
chapters=("$@")
[ ${#chapters[@]} -gt 0 ] || chapters=(notebooks/*.ipynb)
mkdir -p _build/newest   # each run replaces only its own chapters' files
status=0
for nb in "${chapters[@]}"; do
  name=$(basename "$nb" .ipynb)
  cp "$nb" "_build/newest/$name.ipynb"
  start=$(date +%s)
  if .venv-newest/bin/python -m pytest -q -c /dev/null -p no:cacheprovider --nbval-lax \
      --nbval-cell-timeout=900 "_build/newest/$name.ipynb" > "_build/newest/$name.log" 2>&1; then
    echo "$name: pass ($(( $(date +%s) - start )) s)"
  else
    status=1
    echo "$name: FAIL ($(( $(date +%s) - start )) s): $(grep -E "^E |Error:" "_build/newest/$name.log" | tail -2 | tr '\n' ' ' | cut -c1-300)"
  fi
done
echo "== newest lane ($versions): status $status (logs in _build/newest/)"
exit $status
