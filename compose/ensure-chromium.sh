#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for `make test`'s browser tests (Playwright drives it; Playwright's own
# browser download is never used): the one already on PATH is used as it is; else, as root with apt, Debian's
# chromium package is installed; else it fails and says how to provide it. Prints the chromium path on its last line.
set -euo pipefail

if command -v chromium >/dev/null; then
  command -v chromium
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-chromium: installing Debian's chromium (about 290 MB)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  command -v chromium
  exit 0
fi

cat >&2 <<'MSG'
ensure-chromium: chromium is not installed and cannot be installed here (needs root and apt-get).
Install it (Debian: apt-get install -y --no-install-recommends chromium), then run make test again.
MSG
exit 1
