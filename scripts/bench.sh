#!/usr/bin/env bash
# `npm run bench`: every workspace's benchmarks; each prints its figures (and ratios to a baseline
# measured in the same run). Targets are goals reported against, never assertions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-binaries.sh
npx tsc -b tsconfig.json
for ws in rules instrumentation server demo; do
  if node -e "process.exit(require('./$ws/package.json').scripts?.bench ? 0 : 1)"; then
    echo "== bench: $ws"
    npm run -s bench -w "$ws"
  fi
done
