#!/usr/bin/env bash
# Side by side for DURATION seconds (default 60) in two 120x40 tmux terminals: the CPU
# time of `vigil` (release build, 1 s interval) and of `htop -d 10` (a 1 s refresh),
# from utime + stime in /proc/PID/stat before and after, and vigil's resident memory.
# Prints one line: bench=cpu_vs_htop seconds=... vigil_cpu_percent=... htop_cpu_percent=... vigil_rss_kib=...
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-60}"
VIGIL="${VIGIL:-./.build/release/vigil}"
command -v htop >/dev/null || { echo "bench: htop is not installed (make deps installs it)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "bench: tmux is not installed (make deps installs it)" >&2; exit 1; }
[ -x "$VIGIL" ] || swift build -c release --product vigil >&2

socket="vigil-bench-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true' EXIT

# Each program runs as its pane's own process (exec), so the pane pid is the program's pid.
tmux_ new-session -d -s vigil -x 120 -y 40 "exec env TERM=xterm-256color LANG=C.UTF-8 $VIGIL --interval 1s"
tmux_ new-session -d -s htop -x 120 -y 40 "exec env TERM=xterm-256color LANG=C.UTF-8 htop -d 10"
vigil_pid=$(tmux_ display -p -t vigil '#{pane_pid}')
htop_pid=$(tmux_ display -p -t htop '#{pane_pid}')

# utime + stime (fields 14 and 15), counted after the last ')' since the name may hold spaces.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

sleep 3 # both past start-up and drawing steadily
v0=$(cpu_ticks "$vigil_pid"); h0=$(cpu_ticks "$htop_pid")
sleep "$DURATION"
v1=$(cpu_ticks "$vigil_pid"); h1=$(cpu_ticks "$htop_pid")
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$vigil_pid/status")
hz=$(getconf CLK_TCK)

awk -v v=$((v1 - v0)) -v h=$((h1 - h0)) -v hz="$hz" -v s="$DURATION" -v rss="$rss" 'BEGIN {
    printf "bench=cpu_vs_htop seconds=%d size=120x40 vigil_cpu_percent=%.3f htop_cpu_percent=%.3f vigil_rss_kib=%d\n",
        s, v / hz / s * 100, h / hz / s * 100, rss
}'
