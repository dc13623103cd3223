#!/usr/bin/env bash
# Stop this server, started by run.sh:  stop.sh PID (the shared ../stop.sh does it).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../stop.sh" "$@"
