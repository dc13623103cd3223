#!/usr/bin/env bash
# Start Ory Hydra v2.3.0 (`serve all --dev`, in-memory database) on loopback in the background.
#   run.sh [enabled|disabled] PORT_PUBLIC PORT_ADMIN
# enabled/disabled sets oidc.dynamic_client_registration.enabled.
# Builds the binary first if it is not cached (see build.sh).
# Prints the server's PID alone on stdout once GET /health/ready answers 200;
# progress goes to stderr. Stop it with: stop.sh PID   (or kill PID)
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-hydra-PORT_PUBLIC.log
# DCR endpoints: POST http://127.0.0.1:PORT_PUBLIC/oauth2/register,
#                GET|PUT|DELETE http://127.0.0.1:PORT_PUBLIC/oauth2/register/{id}
set -euo pipefail

say() { echo "[hydra] $*" >&2; }
die() { echo "[hydra] FAILED: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: run.sh [enabled|disabled] PORT_PUBLIC PORT_ADMIN"
case "$1" in
  enabled) DCR=true ;;
  disabled) DCR=false ;;
  *) die "first argument must be enabled or disabled, got '$1'" ;;
esac
PUB=$2; ADM=$3
for p in "$PUB" "$ADM"; do
  case "$p" in ''|*[!0-9]*) die "ports must be numbers, got '$p'";; esac
done
[ "$PUB" != "$ADM" ] || die "public and admin ports must differ"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/hydra-v2.3.0/hydra"
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-hydra-$PUB.log"
mkdir -p "$LOG_DIR"
command -v curl >/dev/null || die "curl not found on PATH (used for the readiness probe)"

bash "$HERE/build.sh" >&2 || die "build.sh failed"

# Fail early rather than report a foreign server as ours.
for p in "$PUB" "$ADM"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p on 127.0.0.1 is already in use"
  fi
done

say "starting on 127.0.0.1:$PUB (public) / 127.0.0.1:$ADM (admin), DCR $1, log $LOG"
# DSN=memory works only with `serve all`. SQA_OPT_OUT and --sqa-opt-out both
# switch off Ory's usage telemetry (nothing may leave loopback). A fresh
# throwaway system secret per start: nothing survives a restart anyway.
DSN=memory \
SECRETS_SYSTEM="dcrspec-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" \
URLS_SELF_ISSUER="http://127.0.0.1:$PUB/" \
SERVE_PUBLIC_HOST=127.0.0.1 SERVE_PUBLIC_PORT="$PUB" \
SERVE_ADMIN_HOST=127.0.0.1 SERVE_ADMIN_PORT="$ADM" \
SQA_OPT_OUT=true \
OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED="$DCR" \
  nohup "$BIN" serve all --dev --sqa-opt-out </dev/null >"$LOG" 2>&1 &
PID=$!

start=$(date +%s%N)
for _ in $(seq 1 240); do   # 240 x 0.25 s = 60 s
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PUB/health/ready" || true)" = 200 ]; then
    say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID"
    echo "$PID"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "hydra exited before becoming ready (log $LOG)"
  fi
  sleep 0.25
done
tail -n 30 "$LOG" >&2 || true
kill "$PID" 2>/dev/null || true
die "not ready within 60 s (log $LOG)"
