#!/usr/bin/env bash
# Start node-oidc-provider (server.mjs) on http://127.0.0.1:PORT in the background.
#   run.sh PORT [rotate|norotate]     (default norotate)
# Prints the server's PID alone on stdout once it is ready; progress goes to stderr.
# Stop it with: stop.sh PID   (or kill PID)
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-oidc-provider-PORT.log
set -euo pipefail

say() { echo "[oidc-provider] $*" >&2; }
die() { echo "[oidc-provider] FAILED: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: run.sh PORT [rotate|norotate]"
PORT=$1
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
case "${2:-norotate}" in
  rotate) ROTATE=1 ;;
  norotate) ROTATE=0 ;;
  *) die "second argument must be rotate or norotate, got '$2'" ;;
esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-oidc-provider-$PORT.log"
mkdir -p "$LOG_DIR"

command -v node >/dev/null || die "node not found on PATH"
if [ ! -d "$HERE/node_modules/oidc-provider" ]; then
  say "installing dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $HERE"
fi

# Fail early rather than report a foreign server as ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use"
fi

say "starting on 127.0.0.1:$PORT (rotate=$ROTATE), log $LOG"
cd "$HERE"
ROTATE=$ROTATE nohup node server.mjs "$PORT" </dev/null >"$LOG" 2>&1 &
PID=$!
start=$(date +%s%N)

# server.mjs prints "ready PORT" once it listens; give it at most 30 s.
for _ in $(seq 1 300); do
  if grep -qx "ready $PORT" "$LOG" 2>/dev/null; then
    say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID"
    echo "$PID"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "server exited before becoming ready (log $LOG)"
  fi
  sleep 0.1
done
tail -n 30 "$LOG" >&2 || true
kill "$PID" 2>/dev/null || true
die "not ready within 30 s (log $LOG)"
