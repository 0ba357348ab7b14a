#!/usr/bin/env bash
# Runs the portal with single sign-on through the bundled development Keycloak, in one command:
#   ./mvnw -B -DskipTests package && tools/keycloak/run-with-keycloak.sh
# Starts tools/keycloak/dev-keycloak.sh on 127.0.0.1:8180 (log in ~/.modelward/keycloak/keycloak.log), waits until
# the realm answers, then runs the portal jar in its 'keycloak' profile on http://localhost:8080. Ctrl-C stops both.
# Log in as alice, erin, bob, dave, carol or adam with password <user>-dev-password. Development only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KEYCLOAK_PORT:-8180}
jar="$root/portal/target/modelward-portal-exec.jar"
[ -f "$jar" ] || { echo "Build the portal first: ./mvnw -B -DskipTests package" >&2; exit 1; }
log_dir=${MODELWARD_KEYCLOAK_DIR:-$HOME/.modelward/keycloak}
mkdir -p "$log_dir"
"$here/dev-keycloak.sh" "$port" > "$log_dir/keycloak.log" 2>&1 &
keycloak=$!
# kc.sh runs Keycloak's JVM as its child: stop the whole tree
stop_tree() { for child in $(pgrep -P "$1" || true); do stop_tree "$child"; done; kill "$1" 2>/dev/null || true; }
trap 'stop_tree $keycloak; wait $keycloak 2>/dev/null || true' EXIT INT TERM
issuer="http://127.0.0.1:$port/realms/hospital"
echo "Waiting for Keycloak at $issuer (first run: download and build, about a minute) ..."
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration" 2>/dev/null; then
    break
  fi
  kill -0 $keycloak 2>/dev/null || { echo "Keycloak did not start; see $log_dir/keycloak.log" >&2; exit 1; }
  sleep 0.5
done
KEYCLOAK_ISSUER_URI="$issuer" KEYCLOAK_CLIENT_SECRET=model-portal-dev-secret \
  java -jar "$jar" --spring.profiles.active=keycloak "$@"
