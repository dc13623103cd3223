#!/usr/bin/env bash
# Start the MCP Python SDK's authorization server (server.py: mcp 2.3.0's create_auth_routes,
# in-memory provider, uvicorn) on http://127.0.0.1:PORT in the background.
#   run.sh PORT
# The first run makes a venv with requirements.txt (every package pinned) at
#   ${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/mcp-python-2.3.0/venv   (~20 s; PyPI needed)
# and later runs reuse it while requirements.txt is unchanged.
# Prints the server's PID alone on stdout once it is ready; progress and the issuer go
# to stderr. Stop it with: stop.sh PID   (or kill PID)
# Issuer: http://127.0.0.1:PORT (RFC 8414 metadata only); DCR endpoint: POST /register.
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-mcp-python-PORT.log
set -euo pipefail

say() { echo "[mcp-python] $*" >&2; }
die() { echo "[mcp-python] FAILED: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: run.sh PORT"
PORT=$1
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/mcp-python-2.3.0"
VENV="$DIR/venv"
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-mcp-python-$PORT.log"
mkdir -p "$LOG_DIR" "$DIR"

# The venv is current when it was made from this very requirements.txt.
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)" != "$want" ]; then
  PY=${PYTHON:-python3}
  command -v "$PY" >/dev/null || die "$PY not found on PATH (Python >= 3.10 is needed)"
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "mcp 2.3.0 needs Python >= 3.10"
  say "making the venv $VENV (pip install -r requirements.txt)"
  start=$(date +%s)
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "python -m venv failed"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt" >&2 \
    || die "pip install failed"
  echo "$want" >"$VENV/.requirements.sha256"
  say "venv ready in $(( $(date +%s) - start )) s"
fi

# Fail early rather than report a foreign server as ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use"
fi

say "starting on 127.0.0.1:$PORT, log $LOG"
nohup "$VENV/bin/python" "$HERE/server.py" "$PORT" </dev/null >"$LOG" 2>&1 &
PID=$!
start=$(date +%s%N)

# server.py prints "ready PORT" once uvicorn listens; give it at most 30 s.
for _ in $(seq 1 300); do
  if grep -qx "ready $PORT" "$LOG" 2>/dev/null; then
    say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID, issuer http://127.0.0.1:$PORT"
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
