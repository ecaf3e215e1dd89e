#!/usr/bin/env bash
# `npm test`: installs what the tests need beyond npm packages, type-checks, lints, runs every
# workspace's Jest project in one run and prints the totals line CI reads.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-binaries.sh || exit 1
# Chromium (scripts/install-chromium.sh) joins here with the plugin's browser tests.

echo "== typecheck" >&2
npx tsc -b tsconfig.json || exit 1
echo "== lint" >&2
npx eslint --max-warnings=0 . || exit 1
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }

results="$root/.test-results.json"
rm -f "$results"
echo "== jest" >&2
npx jest -c jest.all.config.js --json --outputFile="$results" "$@"
status=$?
if [[ -f "$results" ]]; then
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
    if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) console.error(`${r.numFailedTestSuites} test suites failed to run`);
  ' "$results"
else
  echo "0 passed, 1 failed"
fi
exit $status
