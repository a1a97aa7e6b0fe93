#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres) are available for the
# test/pg suites and the "local PostgreSQL binaries" engine. Idempotent: does nothing when they
# are already installed. Otherwise installs the distribution's `postgresql` package with apt-get
# (as root, or through sudo), without creating or starting a system cluster.
#
# Discovery order (same as server/src/engines/localCluster.ts): $MG_PG_BIN, `pg_config --bindir`,
# /usr/lib/postgresql/<highest>/bin, /usr/pgsql-<highest>/bin, then $PATH.
#
# Prints the directory holding the binaries on stdout (progress goes to stderr), so CI can do:
#   export MG_PG_BIN="$(bash scripts/ensure-postgres.sh)"
set -euo pipefail

log() { echo "ensure-postgres: $*" >&2; }

has_bins() {
  [ -n "${1:-}" ] && [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]
}

find_bindir() {
  if [ -n "${MG_PG_BIN:-}" ]; then
    if has_bins "$MG_PG_BIN"; then echo "$MG_PG_BIN"; return 0; fi
    log "MG_PG_BIN=$MG_PG_BIN does not contain initdb, pg_ctl and postgres"
    return 2
  fi
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if has_bins "$d"; then echo "$d"; return 0; fi
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin 2>/dev/null | sort -V -r); do
    if has_bins "$d"; then echo "$d"; return 0; fi
  done
  local IFS=:
  for d in $PATH; do
    if has_bins "$d"; then echo "$d"; return 0; fi
  done
  return 1
}

status=0
bindir="$(find_bindir)" || status=$?
if [ "$status" -eq 0 ]; then
  log "PostgreSQL binaries found in $bindir"
  echo "$bindir"
  exit 0
fi
if [ "$status" -eq 2 ]; then exit 1; fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL and set MG_PG_BIN"
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    log "PostgreSQL server binaries not found; installing them needs root (or passwordless sudo)"
    exit 1
  fi
fi

log "installing PostgreSQL with apt-get"
# Do not create (and start) the distribution's default cluster: the tests run their own.
$SUDO mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confold postgresql >&2

bindir="$(find_bindir)" || {
  log "apt-get installed postgresql, but initdb/pg_ctl/postgres are still not found"
  exit 1
}
log "PostgreSQL binaries installed in $bindir"
echo "$bindir"
