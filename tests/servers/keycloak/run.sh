#!/usr/bin/env bash
# Start Keycloak 26.4.7 (`kc.sh start-dev`, H2 in memory) on http://127.0.0.1:PORT in the
# background, with the realm `dcrspec` (realm-dcrspec.json) imported at start.
#   run.sh PORT MGMT_PORT [anonymous|iat]     (default anonymous)
#   anonymous: the realm's anonymous client registration policies let 127.0.0.1 register
#              without a token (Trusted Hosts = 127.0.0.1, see admin.py)
#   iat:       Keycloak's defaults: registration needs an initial access token
#              (print one with: iat.sh PORT)
# MGMT_PORT is Keycloak's management interface (health, metrics); it must differ from PORT.
# Fetches Keycloak first if it is not cached (see fetch.sh). Uses the java on PATH, or
# $JAVA_HOME/bin/java (Keycloak 26.4.7 ran on OpenJDK 17.0.15 here; 21 is Keycloak's
# recommendation).
# Prints the server's PID alone on stdout once the realm's OpenID Provider metadata answers
# 200 and the mode is configured; progress and the issuer go to stderr.
# Stop it with: stop.sh PID   (or kill PID)
# Issuer: http://127.0.0.1:PORT/realms/dcrspec
# DCR: POST /realms/dcrspec/clients-registrations/openid-connect (advertised as
#      registration_endpoint), GET|PUT|DELETE .../openid-connect/{client_id}
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-keycloak-PORT.log
# Startup on 2 shared cores: ~2 min the first time after unpacking (Quarkus build), ~25-40 s
# after that.
set -euo pipefail

say() { echo "[keycloak] $*" >&2; }
die() { echo "[keycloak] FAILED: $*" >&2; exit 1; }

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: run.sh PORT MGMT_PORT [anonymous|iat]"
PORT=$1; MGMT=$2; MODE=${3:-anonymous}
for p in "$PORT" "$MGMT"; do
  case "$p" in ''|*[!0-9]*) die "ports must be numbers, got '$p'";; esac
done
[ "$PORT" != "$MGMT" ] || die "PORT and MGMT_PORT must differ"
case "$MODE" in anonymous|iat) ;; *) die "third argument must be anonymous or iat, got '$MODE'" ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KC_HOME="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/keycloak-26.4.7/keycloak-26.4.7"
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-keycloak-$PORT.log"
mkdir -p "$LOG_DIR"
command -v curl >/dev/null || die "curl not found on PATH (used for the readiness probe)"
command -v python3 >/dev/null || die "python3 not found on PATH (admin.py configures the realm)"

bash "$HERE/fetch.sh" || die "fetch.sh failed"

# Fail early rather than report a foreign server as ours.
for p in "$PORT" "$MGMT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p on 127.0.0.1 is already in use"
  fi
done

# --import-realm reads data/import/ of the Keycloak home: put the realm there each time.
mkdir -p "$KC_HOME/data/import"
cp "$HERE/realm-dcrspec.json" "$KC_HOME/data/import/realm-dcrspec.json"

ISSUER="http://127.0.0.1:$PORT/realms/dcrspec"
say "starting on 127.0.0.1:$PORT (management $MGMT), mode $MODE, log $LOG"
# The bootstrap admin (admin/admin) exists only in this throwaway in-memory database, on
# loopback; admin.py uses it to configure the realm and to mint initial access tokens.
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  nohup "$KC_HOME/bin/kc.sh" start-dev --db=dev-mem --import-realm \
    --http-host=127.0.0.1 --http-port="$PORT" --http-management-port="$MGMT" \
    </dev/null >"$LOG" 2>&1 &
PID=$!

start=$(date +%s%N)
ready=
for _ in $(seq 1 720); do   # 720 x 0.25 s = 3 min (the first start builds Keycloak)
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$ISSUER/.well-known/openid-configuration" || true)" = 200 ]; then
    ready=1
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "keycloak exited before becoming ready (log $LOG)"
  fi
  sleep 0.25
done
if [ -z "$ready" ]; then
  tail -n 30 "$LOG" >&2 || true
  kill "$PID" 2>/dev/null || true
  die "not ready within 3 min (log $LOG)"
fi
if [ "$MODE" = anonymous ]; then
  python3 "$HERE/admin.py" "http://127.0.0.1:$PORT" anonymous >&2 \
    || { kill "$PID" 2>/dev/null || true; die "could not open anonymous registration to 127.0.0.1"; }
fi
say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID, issuer $ISSUER"
echo "$PID"
