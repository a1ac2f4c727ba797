#!/usr/bin/env bash
# The whole test suite (what CI runs). Steps:
#  1. build the book from a clean _build (executes every chapter; warnings are errors), in the
#     background, while
#  2. pytest runs the structure and Colab-safety tests and nbval on every chapter (each chapter
#     instrumented so that every exercise check also runs against its stub and must fail there);
#  3. then pytest checks the built HTML, in a real headless browser too, and determinism.
source "$(dirname "$0")/env.sh"
start=$(date +%s)
if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's chromium for the browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "the browser test needs Debian's chromium: sudo apt-get install chromium" >&2; exit 1
  fi
fi
rm -rf _build/html _build/nbval _build/.doctrees
mkdir -p _build
( jupyter-book build . --warningiserror --keep-going > _build/build.log 2>&1; echo $? > _build/build.rc ) &
build_pid=$!
python tools/check_exercises.py --write _build/nbval notebooks/*.ipynb
status=0
pytest -p no:cacheprovider tests/test_structure.py tests/test_colab.py tests/test_tests.py \
  --nbval-lax --nbval-cell-timeout=900 _build/nbval || status=1
wait $build_pid
build_rc=$(cat _build/build.rc)
tail -n 25 _build/build.log
if [ "$build_rc" != 0 ]; then echo "== the book build failed (rc $build_rc): see _build/build.log"; status=1; fi

pytest -p no:cacheprovider tests/test_html.py tests/test_browser.py tests/test_determinism.py || status=1
echo "== test.sh finished in $(( $(date +%s) - start )) s, status $status"
exit $status
