#!/usr/bin/env bash
# Slow clients against the gateway (figures in bench/README.md): p99 latency of normal V2 infer calls (digits, JSON
# tensor, Debian's hey at concurrency 4) without slow clients, then while 1,000 slow connections trickle their bodies
# (bench/gateway/slowloris.py: a byte every 5 s, reconnecting when refused), first from 100 loopback addresses (10
# each), then all from one address. The ratio to the reference, measured in the same run, is the figure; the goal is
# at most 2x. The packaged portal runs in its keycloak profile with the bundled development Keycloak, with its
# default limits; every client, slow ones included, sends a valid client-credentials JWT (an authenticated attacker).
# Local accounts are not used: HTTP Basic checks a bcrypt hash on every request, which alone would dominate.
# Usage: bench/gateway/slow-clients.sh [SECONDS_PER_POINT] [SLOW_CONNECTIONS]   (default 20, 1000)
# PORTAL_LOG=file keeps the portal's log.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
slow=${2:-1000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
port=18481
kc_port=18181
issuer="http://127.0.0.1:$kc_port/realms/hospital"
portal="http://127.0.0.1:$port"
cleanup() {
  set +e
  if [ -n "${attack_pid:-}" ]; then kill "$attack_pid" 2>/dev/null; fi
  if [ -n "${portal_pid:-}" ]; then kill "$portal_pid" 2>/dev/null; wait "$portal_pid" 2>/dev/null; fi
  # kc.sh runs Keycloak's JVM as its child
  if [ -n "${kc_pid:-}" ]; then pkill -P "$kc_pid" 2>/dev/null; kill "$kc_pid" 2>/dev/null; fi
  [ -z "${PORTAL_LOG:-}" ] || cp "$work/portal.log" "$PORTAL_LOG"
  rm -rf "$work"
}
trap cleanup EXIT
command -v hey > /dev/null || { echo "needs Debian's hey: apt-get install -y hey"; exit 1; }
[ -f portal/target/modelward-portal-exec.jar ] || ./mvnw -q -B -DskipTests package

tools/keycloak/dev-keycloak.sh "$kc_port" > "$work/keycloak.log" 2>&1 &
kc_pid=$!
until curl -fs -o /dev/null "$issuer/.well-known/openid-configuration"; do sleep 0.5; done
"$java" -jar portal/target/modelward-portal-exec.jar --server.port=$port --modelward.data-dir="$work/data" \
  --spring.profiles.active=keycloak --modelward.security.keycloak.issuer-uri="$issuer" \
  --modelward.security.keycloak.client-secret=model-portal-dev-secret > "$work/portal.log" 2>&1 &
portal_pid=$!
until curl -fs -o /dev/null "$portal/actuator/health"; do
  kill -0 "$portal_pid" 2> /dev/null || { echo "the portal did not start:"; tail -20 "$work/portal.log"; exit 1; }
  sleep 0.5
done
token() { curl -fs -d "$1" "$issuer/protocol/openid-connect/token" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
alice=$(token "grant_type=password&client_id=model-portal&client_secret=model-portal-dev-secret&username=alice&password=alice-dev-password")
bob=$(token "grant_type=password&client_id=model-portal&client_secret=model-portal-dev-secret&username=bob&password=bob-dev-password")
api() { curl -sS --fail-with-body -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
api "$alice" -d '{"name":"digits","displayName":"digits","task":"IMAGE_CLASSIFICATION"}' "$portal/api/models" > /dev/null
api "$alice" -d '{"version":"1.0","format":"TORCHSCRIPT","license":"MIT","provenance":{"sourceType":"UPLOAD"},"input":{"imageSize":8,"resizeTo":8,"grayscale":true,"mean":[0],"std":[1]}}' \
  "$portal/api/models/digits/versions" > /dev/null
for f in model:digits.pt labels:synset.txt; do
  curl -fs -H "Authorization: Bearer $alice" -T "tools/models/digits/${f#*:}" \
    "$portal/api/models/digits/versions/1.0/artifacts/${f%%:*}?fileName=${f#*:}" > /dev/null
done
api "$alice" -X POST "$portal/api/models/digits/versions/1.0/submit" > /dev/null
api "$bob" -d '{"reason":"benchmark"}' "$portal/api/models/digits/versions/1.0/approve" > /dev/null
api "$alice" -d '{"name":"digits","model":"digits","version":"1.0","target":"LOCAL","minReplicas":1,"maxReplicas":1}' \
  "$portal/api/deployments" > /dev/null
until api "$alice" "$portal/api/deployments/digits" | grep -q '"status":"READY"'; do sleep 0.5; done
/usr/bin/python3 - "$work" <<'PY'
import json, sys
pixels = [[[[((x * 7 + y * 3) % 16) / 16 for x in range(8)] for y in range(8)]]]
json.dump({"inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32", "data": pixels}]}, open(sys.argv[1] + "/digits.json", "w"))
PY
program=$(token "grant_type=client_credentials&client_id=inference-client&client_secret=inference-client-dev-secret")
auth="Authorization: Bearer $program"
url="$portal/v2/models/digits/infer"
run() { # label -> prints p50, p99, req/s and status codes; sets p99
  hey -z "${secs}s" -c 4 -m POST -H "$auth" -T application/json -D "$work/digits.json" "$url" > "$work/hey.txt"
  p99=$(awk '/ 99% in/ {print $3 * 1000}' "$work/hey.txt")
  printf '%-44s %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' "$work/hey.txt")" \
    "$(awk '/ 50% in/ {print $3 * 1000}' "$work/hey.txt")" "$p99" \
    "$(awk '/Status code distribution/ {f=1; next} f && /\[/ {printf "%s ", $0}' "$work/hey.txt")"
}
attack() { # per-address -> runs the slow clients for the next point, in the background
  /usr/bin/python3 bench/gateway/slowloris.py 127.0.0.1 "$port" /v2/models/digits/infer "$auth" "$slow" "$1" 5 \
    $((secs + 20)) > "$work/slow.txt" 2>&1 &
  attack_pid=$!
  sleep 10 # the connections open and settle
}
hey -z 5s -c 4 -m POST -H "$auth" -T application/json -D "$work/digits.json" "$url" > /dev/null
run "reference: no slow clients"
reference=$p99
attack 10
run "$slow slow connections, 10 per address"
ratio_spread=$(awk -v a="$p99" -v b="$reference" 'BEGIN {printf "%.2f", a / b}')
wait "$attack_pid"; cat "$work/slow.txt"
attack "$slow"
run "$slow slow connections, all from one address"
ratio_one=$(awk -v a="$p99" -v b="$reference" 'BEGIN {printf "%.2f", a / b}')
wait "$attack_pid"; cat "$work/slow.txt"; attack_pid=
echo "p99 ratio to the reference: ${ratio_spread}x (spread), ${ratio_one}x (one address); goal: at most 2x"
echo "refusals logged by the portal: $(grep -c 'Refused an inference request' "$work/portal.log") lines"
echo "threads of the portal at the end: $(ls /proc/$portal_pid/task | wc -l)"
