#!/usr/bin/env bash
# Starts rabbitmq-server detached with a raised open-files limit. Started without systemd, the
# broker inherits 1,024 handles, and with ~900+ durable queues its recovery after a restart hangs
# (systemd's unit gives it 65,536). Debian's wrapper switches to the rabbitmq user through `su`,
# which resets the limit, so as root the limit is raised inside that user's shell.
set -euo pipefail
server=/usr/lib/rabbitmq/bin/rabbitmq-server
if [ "$(id -u)" = 0 ] && [ -x "$server" ] && id rabbitmq >/dev/null 2>&1; then
  exec su rabbitmq -s /bin/sh -c "ulimit -n 65536 2>/dev/null || ulimit -n \$(ulimit -Hn); exec $server -detached"
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec rabbitmq-server -detached
