#!/usr/bin/env bash
# Side by side for DURATION seconds at 120x40 in tmux: CPU time used by vigil
# (1 s interval) and by `htop -d 10`, from utime+stime in /proc/PID/stat, plus
# vigil's resident memory. Prints one `bench=cpu_vs_htop ...` line; goal=met when vigil
# used no more CPU than htop and stayed under 30 MB resident.
set -euo pipefail
DURATION="${DURATION:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VIGIL="${VIGIL:-$ROOT/.build/release/vigil}"
command -v htop >/dev/null || { echo "bench=cpu_vs_htop skipped=htop_not_installed"; exit 0; }
SOCK="vigil-bench-$$"
SERVER=""
STATE="$(mktemp -d)"
trap '[ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null; tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$STATE"' EXIT
# A database of its own, so the run neither reads nor writes the operator's incidents.
tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 "env TERM=xterm-256color XDG_STATE_HOME=$STATE $VIGIL --interval 1s"
tmux -L "$SOCK" -f /dev/null new-window -d "TERM=xterm-256color htop -d 10"
SERVER=$(tmux -L "$SOCK" display -p '#{pid}' 2>/dev/null || true)
sleep 3
pid_of() { tmux -L "$SOCK" list-panes -a -F '#{pane_pid} #{pane_current_command}' | awk -v c="$1" '$2==c {print $1}' | head -1; }
VPID=$(pgrep -n -f "^$VIGIL --interval 1s" || true)
HPID=$(pgrep -n -x htop || true)
ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
V0=$(ticks "$VPID"); H0=$(ticks "$HPID")
sleep "$DURATION"
V1=$(ticks "$VPID"); H1=$(ticks "$HPID")
HZ=$(getconf CLK_TCK)
RSS=$(awk '/VmRSS/ {print $2}' "/proc/$VPID/status")
awk -v v=$((V1 - V0)) -v h=$((H1 - H0)) -v hz="$HZ" -v d="$DURATION" -v rss="$RSS" 'BEGIN {
  printf "bench=cpu_vs_htop seconds=%d vigil_cpu_percent=%.3f htop_cpu_percent=%.3f vigil_rss_kb=%d goal=%s\n", d, 100*v/hz/d, 100*h/hz/d, rss, (v <= h && rss < 30720 ? "met" : "missed") }'
