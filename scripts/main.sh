#!/usr/bin/env bash
# The main job on a fresh clone: install, type-check, build, lint the bundled example migrations (showing real
# findings), and package the extension as migration-guard.vsix.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run typecheck
npm run build:production
echo
echo "== migration-guard lint examples/ =="
# The examples contain unsafe migrations on purpose: findings are the expected output, not a failure of this job.
node dist/cli.js lint examples/ --fail-on never
echo
npm run package
ls -l migration-guard.vsix
