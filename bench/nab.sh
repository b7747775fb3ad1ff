#!/usr/bin/env bash
# NAB, development split: `vigil score` over every series (one process per file, the
# live engine's detector and defaults), then the NAB scorer at the fixed threshold 0.5.
# Prints the scorer's lines, one per category, and a `bench=nab ...` line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
DATA="$SHARED/data/nab"
VIGIL="${VIGIL:-$ROOT/.build/release/vigil}"
[ -d "$DATA" ] || { echo "bench=nab skipped=no_data_at_$DATA"; exit 0; }
RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"' EXIT
for file in "$DATA"/*/*.csv; do
  category=$(basename "$(dirname "$file")")
  mkdir -p "$RESULTS/$category"
  "$VIGIL" score "$file" -o "$RESULTS/$category/$(basename "$file")"
done
score() { python3 "$SHARED/tools/nab_score.py" --data "$DATA" --labels "$DATA/labels.json" --results "$RESULTS" --threshold 0.5 "$@"; }
overall=$(score | head -1)
echo "$overall"
for dir in "$DATA"/*/; do
  category=$(basename "$dir")
  list="$RESULTS/$category.list"
  for f in "$dir"*.csv; do echo "$category/$(basename "$f")"; done > "$list"
  printf 'nab_category=%s %s\n' "$category" "$(score --files "$list" | head -1)"
done
echo "bench=nab threshold=0.5 $overall"
