#!/usr/bin/env bash
# Stop a server started by one of tests/servers/*/run.sh:  stop.sh PID (each server's own
# stop.sh comes here).
# Sends SIGTERM, waits up to 10 s for the process to exit, then SIGKILL.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: stop.sh PID" >&2; exit 2; }
PID=$1
# Alive = exists and is not a zombie. run.sh detaches its server, so once dead it
# waits for PID 1 to reap it, which can take a second or more in some sandboxes.
alive() {
  kill -0 "$PID" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$PID/stat" 2>/dev/null)" != Z ]
}
alive || { echo "no running process $PID" >&2; exit 0; }
kill "$PID"
for _ in $(seq 1 100); do
  alive || exit 0
  sleep 0.1
done
echo "pid $PID ignored SIGTERM for 10 s; sending SIGKILL" >&2
kill -9 "$PID" 2>/dev/null || true
