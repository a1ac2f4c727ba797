#!/usr/bin/env bash
# Build a one-chapter book (warnings are errors) to preview a notebook while writing it.
#   bash tools/preview.sh notebooks/05_normalization.ipynb
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NB="$1"; NAME="$(basename "$NB" .ipynb)"
DIR="/tmp/preview-$NAME"
mkdir -p "$DIR/notebooks" "$DIR/book"
cp "$ROOT/_config.yml" "$DIR/"
cp "$ROOT/book/references.bib" "$DIR/book/"
cp "$ROOT/$NB" "$DIR/notebooks/"
printf 'format: jb-book\nroot: notebooks/%s\n' "$NAME" > "$DIR/_toc.yml"
"$ROOT/.venv/bin/jupyter-book" build "$DIR" -W -n --keep-going
echo "preview: $DIR/_build/html/notebooks/$NAME.html"
