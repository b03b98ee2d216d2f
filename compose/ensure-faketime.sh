#!/usr/bin/env bash
# Makes sure Debian's faketime (libfaketime) is installed, for `make test`'s second unit run with the clock a year
# ahead: the one already on PATH is used as it is; else, as root with apt, Debian's faketime package is installed;
# else it fails and says how to provide it. Prints the faketime command on its last line.
set -euo pipefail

if command -v faketime >/dev/null; then
  command -v faketime
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-faketime: installing Debian's faketime" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >&2
  command -v faketime
  exit 0
fi

cat >&2 <<'MSG'
ensure-faketime: faketime is not installed and cannot be installed here (needs root and apt-get).
Install it (Debian/Ubuntu: apt-get install -y faketime), then run make test again.
MSG
exit 1
