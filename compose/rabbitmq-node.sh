#!/usr/bin/env bash
# A private RabbitMQ node beside the default one, for runs that stop, kill or cluster brokers
# (make chaos, cluster tests) without touching the broker on 5672 that everything else uses.
#   rabbitmq-node.sh start NAME PORT   start node NAME@localhost on AMQP PORT, UI on PORT+10000
#   rabbitmq-node.sh stop NAME         stop it cleanly (rabbitmqctl stop)
#   rabbitmq-node.sh kill NAME         SIGKILL its Erlang VM (a crash, as the OS would see it)
#   rabbitmq-node.sh stop_app|start_app NAME   stop or restart the RabbitMQ application only
#   rabbitmq-node.sh reset NAME        stop it and delete its data directory
# Data and logs live in .run/rabbitmq/NAME. Prints the amqp URL on its last line after start.
set -euo pipefail

cmd=${1:?usage: rabbitmq-node.sh start|stop|kill|stop_app|start_app|reset NAME [PORT]}
name=${2:?node name required, e.g. chaos}
root="$(cd "$(dirname "$0")/.." && pwd)/.run/rabbitmq/$name"
node="$name@localhost"

export RABBITMQ_NODENAME="$node"
export RABBITMQ_MNESIA_BASE="$root/mnesia"
export RABBITMQ_LOG_BASE="$root/log"
export RABBITMQ_PID_FILE="$root/pid"
export RABBITMQ_ENABLED_PLUGINS_FILE="$root/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$root/rabbitmq"   # .conf is appended by the broker

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "$cmd" in
  start)
    port=${3:?AMQP port required, e.g. 5673}
    ui=$((port + 10000))
    mkdir -p "$root/mnesia" "$root/log"
    echo "[rabbitmq_management]." > "$root/enabled_plugins"
    printf 'listeners.tcp.default = %s\nmanagement.tcp.port = %s\nloopback_users = none\n' "$port" "$ui" \
      > "$root/rabbitmq.conf"
    # As root, Debian's rabbitmq-server drops to the rabbitmq user: give it the node's directory.
    if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq:rabbitmq "$root"; fi
    if ! listening "$port"; then
      RABBITMQ_DIST_PORT=$((port + 20000)) "$(dirname "$0")/start-rabbitmq-server.sh" >&2
      for _ in $(seq 1 90); do
        if listening "$port" && listening "$ui"; then break; fi
        sleep 1
      done
      listening "$port" || { echo "rabbitmq-node: $node did not listen on $port within 90 s; see $root/log" >&2; exit 1; }
    fi
    echo "amqp://guest:guest@localhost:$port/"
    ;;
  stop) rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true ;;
  stop_app|start_app) rabbitmqctl -n "$node" "$cmd" >/dev/null ;;
  kill)
    pid=$(cat "$root/pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    ;;
  reset)
    rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true
    rm -rf "$root"
    ;;
  *) echo "rabbitmq-node: unknown command '$cmd'" >&2; exit 2 ;;
esac
