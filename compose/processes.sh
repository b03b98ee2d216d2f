# The processes `make up` starts and `make down` stops, in start order: name|project|arguments|log line that
# says it is ready (web hosts listen only after their bus started).
# Sourced by up.sh and down.sh so both agree on what is ours.
# shellcheck shell=bash
PROCESSES=(
  "orchestrator|Fanout.Orchestrator||Bus started"
  "gateway|Fanout.Gateway||Now listening on"
  "fifo|Fanout.Samples|fifo|Bus started"
  "samples|Fanout.Samples|services|Bus started"
  "batch|Fanout.Samples|batch|Now listening on"
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
CONFIG="${CONFIG:-Release}"

dll_of() { echo "$ROOT/services/$1/bin/$CONFIG/net10.0/$1.dll"; }

# The pid recorded for a name, when that process still runs our dll with our arguments; else nothing.
live_pid() {
  local name=$1 project=$2 args=$3 pid cmdline
  [ -f "$PID_DIR/$name.pid" ] || return 0
  pid=$(cat "$PID_DIR/$name.pid")
  [ -r "/proc/$pid/cmdline" ] || return 0
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  if [[ "$cmdline" == *"$(dll_of "$project") $args"* ]]; then echo "$pid"; fi
}
