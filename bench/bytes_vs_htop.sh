#!/usr/bin/env bash
# Bytes written to the terminal per second at steady state, 120x40, 1 s interval:
# vigil side by side with `htop -d 10`, each in its own tmux pane (a real pty),
# counted with `tmux pipe-pane`. The first WARMUP seconds (start-up paints) are
# not counted. Prints one `bench=bytes_vs_htop ...` line.
set -euo pipefail
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VIGIL="${VIGIL:-$ROOT/.build/release/vigil}"
command -v htop >/dev/null || { echo "bench=bytes_vs_htop skipped=htop_not_installed"; exit 0; }
SOCK="vigil-bytes-$$"
OUT="$(mktemp -d)"
SERVER=""
trap '[ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null; tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$OUT"' EXIT
# A database of its own, so the run neither reads nor writes the operator's incidents.
tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 -s v "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$OUT/state $VIGIL --interval 1s"
tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 -s h "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 htop -d 10"
SERVER=$(tmux -L "$SOCK" display -p '#{pid}' 2>/dev/null || true)
sleep "$WARMUP"
tmux -L "$SOCK" pipe-pane -t v -o "cat > $OUT/vigil"
tmux -L "$SOCK" pipe-pane -t h -o "cat > $OUT/htop"
sleep "$DURATION"
tmux -L "$SOCK" pipe-pane -t v
tmux -L "$SOCK" pipe-pane -t h
sleep 0.5
V=$(stat -c %s "$OUT/vigil"); H=$(stat -c %s "$OUT/htop")
# The goal: no more bytes than htop in the same terminal over the same seconds.
awk -v v="$V" -v h="$H" -v d="$DURATION" 'BEGIN {
  printf "bench=bytes_vs_htop seconds=%d size=120x40 vigil_bytes_per_second=%.0f htop_bytes_per_second=%.0f goal=%s\n", d, v/d, h/d, (v <= h ? "met" : "missed") }'
