#!/usr/bin/env bash
# Print an initial access token for Spring Authorization Server started by run.sh PORT: an
# access token of scope client.create, obtained by client_credentials as the pre-registered
# client `registrar` (see src/main/java/dcrspec/sas/Application.java). The token alone goes
# to stdout, so this serves as dcrspec's --initial-access-token-command.
#   iat.sh PORT
# Spring invalidates the token once it has registered a client: every registration needs a
# fresh one. Asking for `client.create client.read` together gives a token the registration
# endpoint refuses (401 invalid_token): it takes tokens of exactly scope client.create.
set -euo pipefail
die() { echo "[spring-as-iat] FAILED: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: iat.sh PORT"
PORT=$1
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
body=$(curl -sS -m 10 -u registrar:dcrspec-registrar-secret \
  -d grant_type=client_credentials -d scope=client.create \
  "http://127.0.0.1:$PORT/oauth2/token") || die "token request to 127.0.0.1:$PORT failed"
token=$(printf '%s' "$body" | sed -n -E 's/.*"access_token":"([^"]+)".*/\1/p')
[ -n "$token" ] || die "no access_token in the token response: $(printf '%s' "$body" | head -c 200)"
printf '%s\n' "$token"
