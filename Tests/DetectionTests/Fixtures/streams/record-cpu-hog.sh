#!/usr/bin/env bash
# Records a real CPU hog on this machine for the correlation tests: `vigil snapshot --json`
# once a second (each sample its own process, so the rates are over its own second), first
# BASELINE samples of the quiet host, then `stress-ng --cpu 2` for HOG seconds, then AFTER
# samples. Keeps the CPU, load, pressure, process and kernel signals and the top processes by
# CPU. Writes JSON lines to stdout: {"time":..,"readings":[[id,value,unit],..],"top":[[pid,name,cpu,rss],..]}.
set -euo pipefail
VIGIL="${VIGIL:-$(dirname "$0")/../../../../.build/release/vigil}"
BASELINE="${BASELINE:-90}" HOG="${HOG:-40}" AFTER="${AFTER:-20}"
DB="$(mktemp -d)"
trap 'rm -rf "$DB"; pkill -f "stress-ng --cpu 2 --timeout" || true' EXIT
sample() {
  "$VIGIL" snapshot --json --db "$DB/none.db" | python3 -c '
import json, sys
d = json.load(sys.stdin)
keep = ("cpu.total.", "load.", "psi.cpu.", "procs.", "kernel.", "mem.available")
readings = [[s["id"], s["value"], s["unit"]] for s in d["signals"] if s["id"].startswith(keep)]
top = [[p["pid"], p["name"], p["cpu_percent"], p["rss_bytes"]] for p in d["processes"]["top_cpu"][:5]]
print(json.dumps({"time": d["time"], "readings": readings, "top": top}, separators=(",", ":")))'
}
for _ in $(seq "$BASELINE"); do sample; done
stress-ng --cpu 2 --timeout "${HOG}s" >/dev/null 2>&1 &
for _ in $(seq "$HOG"); do sample; done
wait
for _ in $(seq "$AFTER"); do sample; done
