#!/usr/bin/env bash
# The test suite. Each chapter executes once per run (under nbval), and the book is built from
# that execution. With chapters as arguments, tests just those chapters.
#
#   bash tools/test.sh                           # everything (what CI runs)
#   bash tools/test.sh notebooks/resnet.ipynb    # one chapter: its rules, one run, its exercises
#
# Stages (the full run):
#  1. the rules (pytest -m "not built"): structure, code style, prose, Colab safety, the tests of
#     the tests. Tests are found by pytest; markers in pytest.ini say which stage runs them. They
#     run in the background during stages 2 and 3 (which leave a core idle much of the time).
#  2. nbval runs each chapter whose code changed since its last passing run (tools/stale.py),
#     as a copy instrumented by tools/check_exercises.py (every exercise check also runs on its
#     stub and on wrong answers); tools/pytest_deeper.py puts each passing run into the cache.
#  3. the book build (warnings are errors, references nitpicky) reuses those runs: it executes
#     nothing. Skipped if a chapter failed in stage 2. Then the Chinese edition, from the same
#     runs, in the background during the first half of stage 4.
#  4. the built book: HTML and browser tests (pytest -m "built and not zh"), while the rules may
#     still run; then, once the Chinese edition is built, the tests that need it (-m "built and zh").
source "$(dirname "$0")/env.sh"
start=$(date +%s)
mkdir -p _build
NBVAL=(--nbval-lax --nbval-cell-timeout=900)

if [ "${DEEPER_CI:-}" = 1 ]; then          # CI: the browser tests must run, not skip
  need=()
  command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)  # Chinese edition
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "== installing ${need[*]} for the browser tests"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null
    else
      echo "CI needs ${need[*]} for the browser tests: sudo apt-get install ${need[*]}" >&2
      exit 1
    fi
  fi
fi

if [ $# -gt 0 ]; then                     # one chapter (or a few)
  names=$(for nb in "$@"; do basename "$nb" .ipynb; done | paste -sd'|' | sed 's/|/ or /g')
  one="_build/nbval-one/$$"                # per run: two contributors' runs do not collide
  rm -rf "$one"
  python tools/check_exercises.py --write "$one" "$@" >/dev/null
  status=0
  ruff format --check --no-cache "$@" && ruff check --no-cache "$@" || status=1
  python -m pytest -q -m "not built" -k "$names" tests "$one" "${NBVAL[@]}" || status=1
  rm -rf "$one"
  echo "== test.sh $* finished in $(( $(date +%s) - start )) s, status $status"
  exit $status
fi

status=0
echo "== 1. the rules (in the background, alongside 2; output in _build/rules.log)"
python -m pytest -q -m "not built" tests > _build/rules.log 2>&1 &
rules_pid=$!

echo "== 2. the chapters (each executed once)"
mapfile -t stale < <(python tools/stale.py notebooks/*.ipynb | grep .)
rm -rf _build/nbval
nb_status=0
if [ ${#stale[@]} -gt 0 ]; then
  python tools/check_exercises.py --write _build/nbval "${stale[@]}" >/dev/null
  python -m pytest -q _build/nbval "${NBVAL[@]}" || nb_status=1
else
  echo "every chapter's current code already passed (cached in _build/.jupyter_cache)"
fi
rules_done() {
  rules_status=0
  wait $rules_pid || rules_status=$?
  echo "== 1. the rules: results"
  if [ $rules_status = 0 ]; then tail -n 3 _build/rules.log; else cat _build/rules.log; status=1; fi
}

if [ $nb_status != 0 ]; then
  rules_done
  echo "== a chapter failed (see its chapter, cell and error above): the book is not built"
  echo "== test.sh finished in $(( $(date +%s) - start )) s, status 1"
  exit 1
fi

echo "== 3. the book (from the cached runs)"
# Sphinx rereads a page when its file changes, not when its cached run does: start afresh unless
# the runs, the extensions and the locked versions are those of the last successful build.
fingerprint=$(python tools/stale.py --fingerprint)
if [ "$fingerprint" != "$(cat _build/.built-from 2>/dev/null)" ]; then
  rm -rf _build/html _build/.doctrees _build/.doctrees-zh _build/.built-from
fi
build_start=$(date +%s)
if jupyter-book build . --warningiserror --keep-going > _build/build.log 2>&1; then
  echo "built in $(( $(date +%s) - build_start )) s"
else
  status=1
  echo "== the book build failed; its warnings and errors (full log: _build/build.log):"
  grep -E "WARNING|ERROR|Error|Exception|Traceback" _build/build.log | head -40
  tail -n 15 _build/build.log
fi
if grep -q "notebooks/.*Executing notebook" _build/build.log; then
  echo "== note: the build executed notebooks that nbval had not cached:"
  grep "notebooks/.*Executing notebook" _build/build.log | head
fi

# The Chinese edition builds (one core, from the same runs) while the English pages are tested.
zh_pid=
if [ $status = 0 ]; then
  zh_start=$(date +%s)
  python tools/i18n.py build > _build/build-zh.log 2>&1 &
  zh_pid=$!
fi

echo "== 4. the built book (alongside the rules and the Chinese build, if they still run)"
if [ -f _build/html/index.html ]; then
  python -m pytest -q -m "built and not zh" tests || status=1
fi
if [ -n "$zh_pid" ]; then
  zh_status=0
  wait $zh_pid || zh_status=$?
  if [ $zh_status = 0 ]; then
    echo "Chinese edition built in $(( $(date +%s) - zh_start )) s (beside the English tests)"
    echo "$fingerprint" > _build/.built-from
    echo "== 4. the tests that need both editions"
    python -m pytest -q -m "built and zh" tests || status=1
  else
    status=1
    echo "== the Chinese build failed (full log: _build/build-zh.log):"
    grep -E "WARNING|ERROR|Error|Exception|Traceback|not executed" _build/build-zh.log | head -40
  fi
fi
rules_done
echo "== test.sh finished in $(( $(date +%s) - start )) s, status $status"
exit $status
