#!/usr/bin/env bash
# Runs every test suite from a fresh clone: installs what it needs (npm ci, PostgreSQL binaries, the VS Code host for
# the extension-host tests), then unit, server, PostgreSQL, grammar, snippet, extension-host and UI suites.
# Ends with one plain line "N passed, N failed" summed over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOG_DIR=$(mktemp -d)
PASSED=0
FAILED=0
STEPS_FAILED=()

# Runs a step; adds its test counts (mocha "N passing"/"N failing", or our "N passed, N failed" line) to the totals.
run() {
  local name=$1; shift
  echo "== $name: $*"
  local log="$LOG_DIR/$name.log"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  local p f
  p=$(grep -Eo '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  if [ -z "$p" ]; then
    local line
    line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
    p=$(echo "$line" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || true)
    f=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || true)
  fi
  PASSED=$((PASSED + ${p:-0}))
  FAILED=$((FAILED + ${f:-0}))
  if [ "$code" -ne 0 ]; then
    STEPS_FAILED+=("$name")
    # A step that failed without reporting a failed test still counts as one failure.
    [ "${f:-0}" -eq 0 ] && FAILED=$((FAILED + 1))
  fi
  echo "== $name: exit $code in $((SECONDS - start))s"
}

# Set-up steps: a failure here stops the run.
npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/ensure-postgres.sh || { echo "could not install PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }

run typecheck npm run typecheck
run build npm run build
run unit npm run test:unit
run server npm run test:server
run postgres npm run test:pg
run grammar sh test/grammar/run.sh
run snippets node test/snippets/check.cjs
run package npm run package
run e2e-install sh test/e2e/install-vscode-host.sh
run e2e node test/e2e/run-extension-tests.cjs
run ui env VSIX="$ROOT/migration-guard.vsix" node test/e2e/ui-test.cjs

rm -rf "$LOG_DIR"
if [ ${#STEPS_FAILED[@]} -gt 0 ]; then echo "failed steps: ${STEPS_FAILED[*]}"; fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ ${#STEPS_FAILED[@]} -eq 0 ]
