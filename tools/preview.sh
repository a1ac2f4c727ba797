#!/usr/bin/env bash
# Build a one-chapter book (warnings are errors) to preview a notebook while writing it.
#   bash tools/preview.sh notebooks/normalization.ipynb
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NB="$1"; NAME="$(basename "$NB" .ipynb)"
DIR="/tmp/preview-$NAME"
rm -rf "$DIR/book" "$DIR/tools" && mkdir -p "$DIR/notebooks"
cp "$ROOT/_config.yml" "$DIR/"
cp -r "$ROOT/book" "$ROOT/tools" "$DIR/"
cp "$ROOT/$NB" "$DIR/notebooks/"
printf 'format: jb-book\nroot: notebooks/%s\nchapters:\n  - file: book/bibliography\n' "$NAME" > "$DIR/_toc.yml"
"$ROOT/.venv/bin/jupyter-book" build "$DIR" --warningiserror --keep-going
echo "preview: $DIR/_build/html/notebooks/$NAME.html"
