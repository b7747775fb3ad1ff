#!/usr/bin/env bash
# LogHub 2k, ten systems: `vigil mine` (the live miner, its defaults) over each system's
# messages (the `Content` column of the ground truth), then the LogHub scorer. Prints one
# `loghub_system=NAME GA=...` line per system and a `bench=loghub avg_GA=...` line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
DATA="$SHARED/data/loghub"
VIGIL="${VIGIL:-$ROOT/.build/release/vigil}"
[ -d "$DATA" ] || { echo "bench=loghub skipped=no_data_at_$DATA"; exit 0; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/pred"
for truth in "$DATA"/*/*_2k.log_structured.csv; do
  system=$(basename "$(dirname "$truth")")
  # One message per line, in LineId order: the miner sees what the parser would have left.
  python3 - "$truth" > "$WORK/$system.txt" <<'PY'
import csv, sys
csv.field_size_limit(1 << 30)
with open(sys.argv[1], newline="", encoding="utf-8", errors="replace") as f:
    for row in csv.DictReader(f):
        print(row["Content"].replace("\n", " "))
PY
  "$VIGIL" mine "$WORK/$system.txt" > "$WORK/pred/$system.csv"
  line=$(python3 "$SHARED/tools/loghub_eval.py" --truth "$truth" --pred "$WORK/pred/$system.csv" | tail -1)
  echo "loghub_system=$system $line"
done
echo "bench=loghub $(python3 "$SHARED/tools/loghub_eval.py" --all "$DATA" "$WORK/pred" | tail -1)"
