#!/usr/bin/env bash
# Download Keycloak 26.4.7 (org.keycloak:keycloak-quarkus-dist, tar.gz from Maven Central),
# check it against Maven Central's SHA-1, and unpack it at
#   ${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/keycloak-26.4.7/keycloak-26.4.7
# Does nothing when that directory already holds bin/kc.sh. 152 MiB; ~5 s to download and
# ~2 s to unpack here. The first `start-dev` after unpacking also builds Keycloak's Quarkus
# application (~1 min on 2 shared cores); run.sh says so.
set -euo pipefail

VERSION=26.4.7
say() { echo "[keycloak-fetch] $*" >&2; }
die() { echo "[keycloak-fetch] FAILED: $*" >&2; exit 1; }

DIR="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/keycloak-$VERSION"
HOME_DIR="$DIR/keycloak-$VERSION"
if [ -x "$HOME_DIR/bin/kc.sh" ]; then
  say "cached: $HOME_DIR"
  exit 0
fi
command -v curl >/dev/null || die "curl not found on PATH"
mkdir -p "$DIR"
URL="https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$VERSION/keycloak-quarkus-dist-$VERSION.tar.gz"
TGZ="$DIR/keycloak-quarkus-dist-$VERSION.tar.gz"
if [ ! -f "$TGZ" ]; then
  say "downloading $URL"
  curl -sSfL -o "$TGZ.tmp" "$URL" || die "download of $URL"
  mv "$TGZ.tmp" "$TGZ"
fi
want=$(curl -sSfL "$URL.sha1" | cut -c1-40) || die "download of $URL.sha1"
have=$(sha1sum "$TGZ" | cut -d' ' -f1)
if [ "$want" != "$have" ]; then
  rm -f "$TGZ"
  die "SHA-1 of $TGZ is $have, Maven Central says $want (file removed)"
fi
say "unpacking into $DIR"
rm -rf "$HOME_DIR.tmp" && mkdir -p "$HOME_DIR.tmp"
tar xzf "$TGZ" -C "$HOME_DIR.tmp" --strip-components=1
mv "$HOME_DIR.tmp" "$HOME_DIR"
# The unpacked tree is what is used; the archive would only double the cache.
rm -f "$TGZ"
say "ready: $HOME_DIR"
