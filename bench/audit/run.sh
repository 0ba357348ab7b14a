#!/usr/bin/env bash
# The audit writer alone: durable, hash-chained rows per second into an embedded PostgreSQL 17, at 1, 16, 64 and 256
# concurrent callers that each wait for their commit (as gateway requests do). Figures go to bench/README.md.
# Usage: bench/audit/run.sh [SECONDS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -d portal/target/classes ] || ./mvnw -q -B -DskipTests install -pl portal -am
./mvnw -q -B -o dependency:build-classpath -pl portal -Dmdep.outputFile="$work/cp.txt" > /dev/null
cp="portal/target/classes:$(cat "$work/cp.txt")"
for callers in 1 16 64 256; do
  "$java" -cp "$cp" bench/audit/AuditWriterThroughput.java "$callers" "$secs" 2>&1 | grep -v -E "^\s*$|INFO|WARN|DEBUG"
done
