#!/usr/bin/env bash
# Build Ory Hydra v2.3.0 from the Go module proxy and cache the binary at
#   ${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/hydra-v2.3.0/hydra
# Does nothing when that binary already exists and `hydra version` runs.
# No Hydra code is ever written into the repository: the throwaway module that
# builds it lives in the cache directory.
# Needs: go >= 1.24 (for `go get -tool`), gcc (cgo, for sqlite), the Go module proxy.
# First build on 2 cores, cold caches: ~2.5 min (measured 148 s, downloads included).
set -euo pipefail

HYDRA_VERSION=v2.3.0
# Hydra's own go.mod replaces gobuffalo/pop with Ory's fork (Hydra calls
# Store.SQLDB(), which upstream pop lacks). A dependency's replace directives are
# ignored by the main module, so we must repeat this one. The pinned pseudo-version
# is Hydra v2.3.0's own. Tagged ory/pop releases are NOT drop-in: v6.3.0 (the oldest
# tag, tried 2026-11) imports itself as github.com/ory/pop/v6 and, loaded in place of
# gobuffalo/pop/v6, fails with
# "use of internal package github.com/ory/pop/v6/internal/defaults not allowed".
# DCRSPEC_HYDRA_POP_VERSION overrides the pin, e.g. with another pseudo-version.
POP_FORK=github.com/ory/pop/v6
POP_FORK_VERSION=${DCRSPEC_HYDRA_POP_VERSION:-v6.2.1-0.20241121111754-e5dfc0f3344b}

DIR="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/hydra-$HYDRA_VERSION"
BIN="$DIR/hydra"
MOD="$DIR/build-module"
LOG="$DIR/build.log"

say() { echo "[hydra-build] $*"; }
die() { echo "[hydra-build] FAILED: $*" >&2; exit 1; }
# Run a noisy go command with its output in $LOG; on failure show the tail and die.
logged() {
  local what=$1; shift
  if ! "$@" >>"$LOG" 2>&1; then
    tail -n 25 "$LOG" >&2
    die "$what (full log: $LOG)"
  fi
}

if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then
  say "cached binary is fine: $BIN"
  exit 0
fi

command -v go >/dev/null || die "go not found on PATH"
command -v gcc >/dev/null || die "gcc not found on PATH (cgo is needed for sqlite)"
gominor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[ "$gominor" -ge 24 ] 2>/dev/null || die "need go >= 1.24, have $(go env GOVERSION)"

export CGO_ENABLED=1
export GOTOOLCHAIN=local
# The checksum database is not reachable from this kind of machine (only the
# proxy is). Instead of sumdb we seed go.sum with Hydra's own go.sum, so every
# dependency is still checked against the hashes Hydra's release recorded; only
# the hydra module zip itself is taken from the proxy unchecked.
export GOSUMDB=off
export GOFLAGS="-mod=mod -buildvcs=false"

start=$(date +%s)
mkdir -p "$MOD"
: >"$LOG"
cd "$MOD"
rm -f go.mod go.sum
cat > go.mod <<GOMOD
module dcrspec.local/hydra-build

go 1.24

replace github.com/gobuffalo/pop/v6 => $POP_FORK $POP_FORK_VERSION
GOMOD

say "downloading github.com/ory/hydra/v2@$HYDRA_VERSION (log: $LOG)"
logged "go mod download of hydra" go mod download -json "github.com/ory/hydra/v2@$HYDRA_VERSION"
hydra_dir=$(go mod download -json "github.com/ory/hydra/v2@$HYDRA_VERSION" \
  | sed -n -E 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
[ -f "$hydra_dir/go.sum" ] || die "hydra module has no go.sum at '$hydra_dir'"
cp "$hydra_dir/go.sum" go.sum

say "resolving dependencies (go get -tool github.com/ory/hydra/v2@$HYDRA_VERSION, pop fork $POP_FORK_VERSION)"
logged "go get -tool github.com/ory/hydra/v2@$HYDRA_VERSION" \
  go get -tool "github.com/ory/hydra/v2@$HYDRA_VERSION"

say "compiling with cgo, tags sqlite,sqlite_omit_load_extension (a few minutes on 2 cores)"
logged "go build of hydra" go build -tags sqlite,sqlite_omit_load_extension \
  -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$HYDRA_VERSION" \
  -o "$BIN.tmp" github.com/ory/hydra/v2
mv "$BIN.tmp" "$BIN"

"$BIN" version >/dev/null 2>&1 || die "built binary does not run: $BIN version"
say "built $BIN in $(( $(date +%s) - start ))s"
"$BIN" version | sed 's/^/[hydra-build]   /'
