#!/usr/bin/env bash
# Makes sure a RabbitMQ broker with the management plugin answers on localhost:5672 / 15672.
#   1. one already listening is used as it is;
#   2. else, as root with apt: Debian's rabbitmq-server is installed and started;
#   3. else, with a Docker engine: the rabbitmq:3-management image is started;
#   4. else it fails and says how to provide one.
# Prints the amqp URL to use on its last line.
set -euo pipefail

AMQP_PORT=5672
URL="amqp://guest:guest@localhost:${AMQP_PORT}/"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_broker() {
  for _ in $(seq 1 60); do
    if listening "$AMQP_PORT" && listening 15672; then return 0; fi
    sleep 1
  done
  echo "ensure-rabbitmq: the broker did not start listening on ports $AMQP_PORT and 15672 within 60 s" >&2
  return 1
}

if listening "$AMQP_PORT"; then
  if ! listening 15672 && command -v rabbitmq-plugins >/dev/null; then
    rabbitmq-plugins enable rabbitmq_management >/dev/null
    wait_for_broker
  fi
  echo "$URL"
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  if ! command -v rabbitmq-server >/dev/null; then
    echo "ensure-rabbitmq: installing Debian's rabbitmq-server" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >&2
  fi
  rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
  # The Debian package may start the service itself; start it only when nothing answers.
  if ! listening "$AMQP_PORT"; then
    "$(dirname "$0")/start-rabbitmq-server.sh" >&2 || true
    echo "ensure-rabbitmq: started rabbitmq-server with its open-files limit raised (recovering ~900+ durable queues hangs at 1,024)" >&2
  fi
  wait_for_broker
  echo "$URL"
  exit 0
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker run -d --rm --name fanout-rabbitmq -p 5672:5672 -p 15672:15672 rabbitmq:3-management >&2
  wait_for_broker
  echo "$URL"
  exit 0
fi

cat >&2 <<'MSG'
ensure-rabbitmq: no RabbitMQ broker answers on localhost:5672 and none can be started here.
Provide one of:
  - a running broker, then:      export FANOUT_RABBITMQ=amqp://user:password@host:5672/
  - Debian/Ubuntu as root:       apt-get install -y rabbitmq-server && rabbitmq-plugins enable rabbitmq_management
  - a Docker engine:             docker run -d -p 5672:5672 -p 15672:15672 rabbitmq:3-management
MSG
exit 1
