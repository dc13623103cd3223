#!/usr/bin/env bash
# The run step of the dcrspec GitHub Action (action.yml): turns the action's inputs, passed
# in the environment so that no input is ever pasted into a script, into one `dcrspec run`
# with GitHub output, and records its exit code as the step output `exit-code`.
#
#   DCRSPEC        the dcrspec binary
#   INPUT_TARGET   base URL of the server under test (empty: the embedded reference server)
#   INPUT_ISSUER   the server's issuer, found by discovery (instead of INPUT_TARGET)
#   INPUT_PROFILE  built-in profile or profile TOML file (default ory)
#   INPUT_BASELINE baseline file of accepted failures (optional)
#   INPUT_ARGS     more `dcrspec run` arguments, split on whitespace (optional)
set -uo pipefail

if [ -n "${INPUT_ISSUER:-}" ] && [ -n "${INPUT_TARGET:-}" ]; then
    echo "::error title=dcrspec::give the 'target' input or the 'issuer' input, not both"
    exit 2
fi

args=(run --format github --profile "${INPUT_PROFILE:-ory}")
if [ -n "${INPUT_TARGET:-}" ]; then
    args+=(--target "$INPUT_TARGET")
fi
if [ -n "${INPUT_ISSUER:-}" ]; then
    args+=(--issuer "$INPUT_ISSUER")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
    args+=(--baseline "$INPUT_BASELINE")
fi
# Deliberately split on whitespace (extra flags such as "--timeout 20 --deadline 600"),
# with globbing off so that a `*` stays a `*`.
set -f
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
set +f

"$DCRSPEC" "${args[@]}" "${extra[@]}"
code=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=$code" >> "$GITHUB_OUTPUT"
fi
exit "$code"
