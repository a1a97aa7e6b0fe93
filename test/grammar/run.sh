#!/bin/sh
# Grammar tests for the TextMate injections in syntaxes/ (vscode-tmgrammar-test).
# test/grammar/grammars.json loads VS Code's built-in SQL grammar (vendored in
# test/grammar/base/) as source.sql plus our two injection grammars with injectTo,
# the way VS Code composes them. Exits non-zero when any test file fails.
set -u
cd "$(dirname "$0")/../.." || exit 1
bin=node_modules/vscode-tmgrammar-test/dist/unit.js
if [ ! -f "$bin" ]; then
  echo "vscode-tmgrammar-test is not installed (run npm ci)" >&2
  exit 1
fi
total=$(ls test/grammar/*.sql | wc -l)
out=$(node "$bin" --config test/grammar/grammars.json "test/grammar/*.sql" 2>&1)
rc=$?
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | grep -c 'run successfuly')
failed=$((total - passed))
echo "grammar: $passed passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
