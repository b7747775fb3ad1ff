#!/usr/bin/env bash
# Quiet host: the real collector and engine for DURATION (default 10 minutes) at a
# 1 s interval on an idle machine; prints how many anomalies opened, and which.
# Run it when nothing else loads the machine: any real activity is, rightly, news.
set -euo pipefail
DURATION="${DURATION:-10m}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VIGIL="${VIGIL:-$ROOT/.build/release/vigil}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$VIGIL" watch --json --interval 1s --duration "$DURATION" --db "$OUT/vigil.db" > "$OUT/ticks.jsonl"
python3 - "$OUT/ticks.jsonl" "$DURATION" <<'PY'
import json, sys
seen = {}
ticks = 0
for line in open(sys.argv[1]):
    tick = json.loads(line)
    ticks += 1
    for a in tick["anomalies"]:
        seen.setdefault((a["signal"], a["onset"]), a["explanation"])
for (signal, onset), text in sorted(seen.items(), key=lambda item: item[0][1]):
    print(f"anomaly signal={signal} explanation={text!r}")
print(f"bench=quiet_host duration={sys.argv[2]} ticks={ticks} anomalies={len(seen)} goal={'met' if not seen else 'missed'}")
PY
