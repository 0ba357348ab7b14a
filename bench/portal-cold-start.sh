#!/usr/bin/env bash
# Measures the portal's cold start on the embedded default: from `java -jar` to /actuator/health UP.
# "first start" includes initdb of the embedded PostgreSQL and the Flyway migrations; "restart" reuses the data.
# Usage: bench/portal-cold-start.sh [runs]   (build first: ./mvnw -B -DskipTests package)
set -euo pipefail
runs=${1:-3}
cd "$(dirname "$0")/.."
jar=portal/target/modelward-portal-exec.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -B -DskipTests package" >&2; exit 1; }
port=$(( 20000 + RANDOM % 20000 ))

start_once() { # $1 = data dir; prints milliseconds to health UP
  local t0 t1 pid
  t0=$(date +%s%N)
  "$java" -jar "$jar" --server.port="$port" --modelward.data-dir="$1" > "$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "portal died, see $1.log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "java: $("$java" -version 2>&1 | head -1); cores: $(nproc)"
for i in $(seq 1 "$runs"); do
  first=$(start_once "$work/data-$i")
  again=$(start_once "$work/data-$i")
  echo "run $i: first start ${first} ms, restart ${again} ms"
done
