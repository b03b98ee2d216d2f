#!/usr/bin/env bash
# `make down`: stops exactly the processes `make up` recorded, and only while they still run our dll.
# The broker keeps running: it may serve other work.
set -euo pipefail
source "$(dirname "$0")/processes.sh"

declare -A running=()
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name project args _ <<<"$entry"
  pid=$(live_pid "$name" "$project" "$args")
  if [ -n "$pid" ]; then
    running[$name]=$pid
    kill -TERM "$pid"  # all at once: each drains its bus for a second or two
  fi
  rm -f "$PID_DIR/$name.pid"
done

for name in "${!running[@]}"; do
  pid=${running[$name]}
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    echo "down: $name (pid $pid) did not stop within 15 s; killed"
  else
    echo "down: stopped $name (pid $pid)"
  fi
done
[ "${#running[@]}" -gt 0 ] || echo "down: nothing of ours is running"
echo "down: RabbitMQ keeps running (it is not started per project)"
