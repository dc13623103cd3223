#!/usr/bin/env bash
# Start the MCP TypeScript SDK's authorization server (server.mjs, @modelcontextprotocol/sdk
# pinned in package.json) on http://127.0.0.1:PORT in the background.
#   run.sh PORT [default|unlimited]     (default: the SDK's own rate limiter, 20 registrations/hour)
# Installs dependencies with `npm ci` the first time (node_modules/ beside this script).
# Prints the server's PID alone on stdout once it is ready; progress and the issuer go
# to stderr. Stop it with: stop.sh PID   (or kill PID)
# Issuer: http://127.0.0.1:PORT/ (RFC 8414 metadata only); DCR endpoint: POST /register.
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-mcp-typescript-PORT.log
set -euo pipefail

say() { echo "[mcp-typescript] $*" >&2; }
die() { echo "[mcp-typescript] FAILED: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: run.sh PORT [default|unlimited]"
PORT=$1
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
LIMIT=${2:-default}
case "$LIMIT" in default|unlimited) ;; *) die "second argument must be default or unlimited, got '$LIMIT'" ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-mcp-typescript-$PORT.log"
mkdir -p "$LOG_DIR"

command -v node >/dev/null || die "node not found on PATH"
if [ ! -d "$HERE/node_modules/@modelcontextprotocol/sdk" ]; then
  say "installing dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $HERE"
fi

# Fail early rather than report a foreign server as ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use"
fi

say "starting on 127.0.0.1:$PORT (rate limit: $LIMIT), log $LOG"
cd "$HERE"
nohup node server.mjs "$PORT" "$LIMIT" </dev/null >"$LOG" 2>&1 &
PID=$!
start=$(date +%s%N)

# server.mjs prints "ready PORT" once it listens; give it at most 30 s.
for _ in $(seq 1 300); do
  if grep -qx "ready $PORT" "$LOG" 2>/dev/null; then
    say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID, issuer http://127.0.0.1:$PORT/"
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
