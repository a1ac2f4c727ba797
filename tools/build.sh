#!/usr/bin/env bash
# Build the book: set up .venv if needed, execute every chapter that is not cached, write
# _build/html (English) and then _build/html/zh (the Chinese edition, from the same runs: it
# executes nothing). Warnings are errors and references are nitpicky: a broken reference,
# citation or glue fails the build.
source "$(dirname "$0")/env.sh"
start=$(date +%s)
jupyter-book build . --warningiserror --keep-going
echo "== built _build/html/index.html in $(( $(date +%s) - start )) s"
python tools/i18n.py build
