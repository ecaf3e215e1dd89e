#!/usr/bin/env bash
# Chromium from Debian for the browser tests; never a downloaded browser. A no-op when present.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-chromium: /usr/bin/chromium is missing; run 'sudo apt-get install -y chromium' and retry." >&2
  exit 1
fi
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
