#!/usr/bin/env bash
# Print an initial access token for the realm `dcrspec` of a Keycloak started by run.sh PORT
# (admin REST API POST /admin/realms/dcrspec/clients-initial-access, with an admin token from
# the master realm). The token alone goes to stdout, so this serves as dcrspec's
# --initial-access-token-command.
#   iat.sh PORT [COUNT]    COUNT registrations (default 1000), valid for one hour
set -euo pipefail
die() { echo "[keycloak-iat] FAILED: $*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: iat.sh PORT [COUNT]"
case "$1" in ''|*[!0-9]*) die "PORT must be a number, got '$1'";; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$HERE/admin.py" "http://127.0.0.1:$1" iat "${2:-1000}"
