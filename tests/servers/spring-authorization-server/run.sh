#!/usr/bin/env bash
# Start Spring Authorization Server (this directory's Spring Boot 4.0.7 app, Spring Security
# 7.0.6's authorization server, OIDC client registration on) on http://127.0.0.1:PORT in the
# background. Builds the jar first if it is not cached (see build.sh).
#   run.sh PORT
# Prints the server's PID alone on stdout once its OpenID Provider metadata answers 200;
# progress and the issuer go to stderr. Stop it with: stop.sh PID   (or kill PID)
# Issuer: http://127.0.0.1:PORT. Registration: POST /connect/register with a bearer token of
# scope client.create (print one with: iat.sh PORT; each token registers ONE client).
# Log: ${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}/dcrspec-spring-authorization-server-PORT.log
set -euo pipefail

say() { echo "[spring-as] $*" >&2; }
die() { echo "[spring-as] FAILED: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: run.sh PORT"
PORT=$1
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/spring-authorization-server/target/dcrspec-sas.jar"
LOG_DIR="${DCRSPEC_LOG_DIR:-${TMPDIR:-/tmp}}"
LOG="$LOG_DIR/dcrspec-spring-authorization-server-$PORT.log"
mkdir -p "$LOG_DIR"
command -v curl >/dev/null || die "curl not found on PATH (used for the readiness probe)"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put a JDK >= 17 on PATH)"

bash "$HERE/build.sh" || die "build.sh failed"

# Fail early rather than report a foreign server as ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use"
fi

ISSUER="http://127.0.0.1:$PORT"
say "starting on 127.0.0.1:$PORT, log $LOG"
nohup "$JAVA" -XX:TieredStopAtLevel=1 -Xss512k -jar "$JAR" \
  --server.port="$PORT" --spring.security.oauth2.authorizationserver.issuer="$ISSUER" \
  </dev/null >"$LOG" 2>&1 &
PID=$!

start=$(date +%s%N)
for _ in $(seq 1 240); do   # 240 x 0.25 s = 60 s
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$ISSUER/.well-known/openid-configuration" || true)" = 200 ]; then
    say "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms, pid $PID, issuer $ISSUER"
    echo "$PID"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "the server exited before becoming ready (log $LOG)"
  fi
  sleep 0.25
done
tail -n 30 "$LOG" >&2 || true
kill "$PID" 2>/dev/null || true
die "not ready within 60 s (log $LOG)"
