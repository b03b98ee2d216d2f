#!/usr/bin/env bash
# `make up`: a local RabbitMQ, then every service as its own background process (see processes.sh),
# logs in .run/logs/<name>.log, pids in .run/pids/<name>.pid. Run again, it starts only what is not running.
set -euo pipefail
source "$(dirname "$0")/processes.sh"

url=${FANOUT_RABBITMQ:-$("$ROOT/compose/ensure-rabbitmq.sh" | tail -n1)}
mkdir -p "$LOG_DIR" "$PID_DIR"
export FANOUT_RABBITMQ=$url
export FANOUT_DATABASE=${FANOUT_DATABASE:-$RUN_DIR/fanout.db}
export FANOUT_ORDERS_DATABASE=${FANOUT_ORDERS_DATABASE:-$RUN_DIR/orders.db}
gateway_url=${Fanout__Gateway__Url:-http://127.0.0.1:8080}
batch_url=${Samples__Batch__Url:-http://127.0.0.1:8090}
# The batch sample's partners post {jobId, orderId, timeout} to one results URL; the gateway finds the handle in jobId.
export Fanout__Gateway__ResultHandleField=${Fanout__Gateway__ResultHandleField:-jobId}
export Samples__Batch__ResultsUrl=${Samples__Batch__ResultsUrl:-$gateway_url/v1/results}

declare -A ready_line=()
started=()
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name project args ready <<<"$entry"
  ready_line[$name]=$ready
  if pid=$(live_pid "$name" "$project" "$args") && [ -n "$pid" ]; then
    echo "up: $name already running (pid $pid)"
    continue
  fi
  dll=$(dll_of "$project")
  [ -f "$dll" ] || { echo "up: $dll is missing; run make build" >&2; exit 1; }
  log="$LOG_DIR/$name.log"
  # setsid + redirected fds: the service keeps none of the caller's terminal or pipes (`make up | cat` ends).
  # shellcheck disable=SC2086
  (cd "$RUN_DIR" && exec setsid dotnet "$dll" $args >"$log" 2>&1 </dev/null) &
  echo $! >"$PID_DIR/$name.pid"
  started+=("$name")
done

fail() {
  tail -n 20 "$2" >&2
  echo "up: $1; its log is $2 (make down stops the others)" >&2
  exit 1
}

# Wait for each new process to log that it is ready, and fail loudly if one exits instead.
for name in "${started[@]}"; do
  pid=$(cat "$PID_DIR/$name.pid")
  log="$LOG_DIR/$name.log"
  for _ in $(seq 1 120); do
    grep -q "${ready_line[$name]}" "$log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "$name exited before it was ready" "$log"
    sleep 0.5
  done
  grep -q "${ready_line[$name]}" "$log" || fail "$name was not ready within 60 s" "$log"
done

echo
printf '  %-13s %-8s %s\n' process pid log
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name project args _ <<<"$entry"
  printf '  %-13s %-8s %s\n' "$name" "$(live_pid "$name" "$project" "$args")" "${LOG_DIR#"$ROOT/"}/$name.log"
done
cat <<MSG

  broker         $url
  management UI  http://localhost:15672 (guest/guest)
  gateway        $gateway_url (OpenAPI at /openapi/v1.json)
  dashboard      $gateway_url/ui/
  batch sample   $batch_url/orders

  Try:   dotnet run --project services/Fanout.Cli -- tail
  Stop:  make down
MSG
