#!/usr/bin/env bash
# `make compose-check`: validates compose/docker-compose.yml and compose/Dockerfile without a Docker engine.
# Debian's docker-compose (1.29, a Python program) validates the file against the Compose schema offline.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "compose-check: installing Debian's docker-compose" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
  else
    echo "compose-check: docker-compose is not installed; install it (apt-get install docker-compose, or pip install docker-compose)" >&2
    exit 1
  fi
fi

# The file requires FANOUT_API_KEY; any value does for the check.
FANOUT_API_KEY=${FANOUT_API_KEY:-compose-check} docker-compose -f compose/docker-compose.yml config -q
python3 compose/check-dockerfiles.py
echo "compose-check: compose/docker-compose.yml and compose/Dockerfile are consistent" >&2
