#!/usr/bin/env bash
# A private RabbitMQ cluster of local nodes (Debian's rabbitmq-server), for runs that stop cluster nodes
# (make test-cluster) without touching the broker on 5672. Each node is a rabbitmq-node.sh node
# PREFIX1, PREFIX2, ... (node name PREFIXn@localhost, its own data directory in .run/rabbitmq/PREFIXn,
# AMQP on its port, UI on port+10000, Erlang distribution on port+20000).
#   rabbitmq-cluster.sh start PREFIX PORT1 PORT2 [PORT3...]  start the nodes and join them into one cluster
#   rabbitmq-cluster.sh stop-node|kill-node|start-node PREFIX N   clean stop / SIGKILL / start again of node N
#   rabbitmq-cluster.sh reset PREFIX                         stop every node and delete their data
# Prints the node list (comma-separated amqp URLs, the form FANOUT_RABBITMQ takes) on its last line after start.
#
# The nodes share one Erlang cookie: started as root, Debian's rabbitmq-server and rabbitmqctl both switch to the
# rabbitmq user, whose HOME (/var/lib/rabbitmq) holds the .erlang.cookie the package created; run as another user,
# that user's ~/.erlang.cookie is shared the same way.
set -euo pipefail

cmd=${1:?usage: rabbitmq-cluster.sh start|stop-node|kill-node|start-node|reset PREFIX [PORTS...|N]}
prefix=${2:?node name prefix required, e.g. cluster}
here="$(cd "$(dirname "$0")" && pwd)"
node_script="$here/rabbitmq-node.sh"
ports_file="$here/../.run/rabbitmq/$prefix.ports"

port_of() { sed -n "${1}p" "$ports_file"; }
urls() {
  local list="" n=1 port
  while read -r port; do list+="${list:+,}amqp://guest:guest@localhost:$port/"; n=$((n + 1)); done < "$ports_file"
  echo "$list"
}

case "$cmd" in
  start)
    shift 2
    [ $# -ge 2 ] || { echo "rabbitmq-cluster: give at least two ports" >&2; exit 2; }
    mkdir -p "$(dirname "$ports_file")"
    printf '%s\n' "$@" > "$ports_file"
    # The nodes boot side by side (each takes 15-30 s); a failed boot fails the whole start.
    pids=() n=1
    for port in "$@"; do
      "$node_script" start "$prefix$n" "$port" >/dev/null & pids+=($!)
      n=$((n + 1))
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    first="${prefix}1@localhost"
    for n in $(seq 2 $#); do
      node="$prefix$n@localhost"
      if rabbitmqctl -n "$node" cluster_status 2>/dev/null | grep -q "$first"; then continue; fi
      rabbitmqctl -n "$node" stop_app >/dev/null
      rabbitmqctl -n "$node" join_cluster "$first" >/dev/null
      rabbitmqctl -n "$node" start_app >/dev/null
    done
    running=$(rabbitmqctl -n "$first" cluster_status --formatter json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["running_nodes"]))')
    [ "$running" = "$#" ] || { echo "rabbitmq-cluster: $running of $# nodes running in the cluster; see .run/rabbitmq/$prefix*/log" >&2; exit 1; }
    urls
    ;;
  stop-node) "$node_script" stop "$prefix${3:?node number required}" ;;
  kill-node) "$node_script" kill "$prefix${3:?node number required}" ;;
  start-node)
    n=${3:?node number required}
    "$node_script" start "$prefix$n" "$(port_of "$n")" >/dev/null
    ;;
  reset)
    for dir in "$here/../.run/rabbitmq/$prefix"[0-9]*; do
      [ -d "$dir" ] && "$node_script" reset "$(basename "$dir")"
    done
    rm -f "$ports_file"
    ;;
  *) echo "rabbitmq-cluster: unknown command '$cmd'" >&2; exit 2 ;;
esac
