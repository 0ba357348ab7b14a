#!/usr/bin/env bash
# Starts the development Keycloak on 127.0.0.1 with the hospital realm (tools/keycloak/hospital-realm.json):
# clients model-portal and inference-client, the five ModelWard roles, and users alice, erin (researchers),
# bob, dave (model approvers), carol (auditor), adam (admin); each password is <user>-dev-password.
# The server distribution comes from Maven Central (org.keycloak:keycloak-quarkus-dist) and is kept, with its H2
# database, under ~/.modelward/keycloak. Development only: never use these passwords or secrets in a hospital.
# Usage: tools/keycloak/dev-keycloak.sh [PORT]   (default 8180, management port PORT+1; stop it with Ctrl-C)
set -euo pipefail
version=26.5.6
port=${1:-8180}
here=$(cd "$(dirname "$0")" && pwd)
home=${MODELWARD_KEYCLOAK_DIR:-$HOME/.modelward/keycloak}
dist="$home/keycloak-$version"
if [ ! -x "$dist/bin/kc.sh" ]; then
  mkdir -p "$home"
  "$here/../../mvnw" -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" \
    -DoutputDirectory="$home"
  unzip -q -o "$home/keycloak-quarkus-dist-$version.zip" -d "$home"
fi
export JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx512m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m --add-opens=java.base/java.lang=ALL-UNNAMED"
# build once for the H2 file database, so every later start is an optimized one (seconds, not half a minute)
if [ ! -f "$dist/.modelward-build" ]; then
  "$dist/bin/kc.sh" build --db=dev-file --health-enabled=true
  touch "$dist/.modelward-build"
fi
mkdir -p "$dist/data/import"
cp "$here/hospital-realm.json" "$dist/data/import/"
export KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
export KC_BOOTSTRAP_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin-dev-password}
echo "Keycloak $version on http://127.0.0.1:$port, realm 'hospital' (issuer http://127.0.0.1:$port/realms/hospital)"
# --import-realm imports the realm only when it does not exist yet; --cache=local keeps every port on loopback
exec "$dist/bin/kc.sh" start --optimized --import-realm --cache=local --http-enabled=true \
  --http-host=127.0.0.1 --http-port="$port" --http-management-port="$((port + 1))" \
  --hostname="http://127.0.0.1:$port"
