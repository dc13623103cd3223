#!/usr/bin/env bash
# Build the Spring Authorization Server test app (pom.xml, src/) with Maven into
#   ${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/spring-authorization-server/target/dcrspec-sas.jar
# with Maven's local repository at ${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}/m2, so nothing is
# written into the repository and a later build needs no network (`mvn -o`).
# Does nothing when the jar was built from the current pom.xml and src/ (a digest of them is
# kept beside the jar). Needs: mvn, a JDK >= 17 (JAVA_HOME or java on PATH), Maven Central
# the first time.
# Measured on 2 shared cores: cold (empty m2, downloads included) ~40 s; rebuild with a warm
# m2 ~5-15 s; cached (nothing changed) well under 1 s.
set -euo pipefail

say() { echo "[spring-as-build] $*" >&2; }
die() { echo "[spring-as-build] FAILED: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE="${DCRSPEC_CACHE:-$HOME/.cache/dcrspec}"
OUT="$CACHE/spring-authorization-server"
JAR="$OUT/target/dcrspec-sas.jar"
M2="$CACHE/m2"
LOG="$OUT/build.log"
mkdir -p "$OUT"

digest=$(cd "$HERE" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ -f "$JAR" ] && [ "$(cat "$OUT/source.sha256" 2>/dev/null || true)" = "$digest" ]; then
  say "cached jar is current: $JAR"
  exit 0
fi

command -v mvn >/dev/null || die "mvn not found on PATH"
start=$(date +%s)
# Offline first: after one build every artefact is in $M2.
offline=-o
[ -d "$M2/org/springframework/boot/spring-boot-starter-oauth2-authorization-server" ] || offline=
say "building with Maven ${offline:+(offline) }(log: $LOG)"
if ! (cd "$HERE" && mvn -B -q $offline -Dmaven.repo.local="$M2" -Ddcrspec.build.dir="$OUT/target" \
        -DskipTests package) >"$LOG" 2>&1; then
  if [ -n "$offline" ]; then
    say "offline build failed; retrying online"
    (cd "$HERE" && mvn -B -q -Dmaven.repo.local="$M2" -Ddcrspec.build.dir="$OUT/target" \
        -DskipTests package) >"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; die "mvn package (log $LOG)"; }
  else
    tail -n 30 "$LOG" >&2; die "mvn package (log $LOG)"
  fi
fi
[ -f "$JAR" ] || die "no jar at $JAR after the build"
echo "$digest" >"$OUT/source.sha256"
say "built $JAR in $(( $(date +%s) - start )) s"
