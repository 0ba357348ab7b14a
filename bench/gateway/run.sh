#!/usr/bin/env bash
# The gateway against a direct call to the runtime, in one run on this machine (figures in bench/README.md):
#   - digits (V2 infer, JSON tensor): added p50 latency at concurrency 1, and throughput at concurrency 16;
#   - resnet18 (image classify, one 320x240 PNG): throughput at concurrency 16.
# The portal runs packaged, in its keycloak profile, with the bundled development Keycloak (programs send a
# client-credentials JWT, as in production); each model is one local deployment with one replica. "Direct" calls
# that replica with its internal token; "gateway" calls the portal, which checks the token, routes, streams, hashes,
# audits durably (fsync on) and answers. Needs Debian's hey, python3-torch/torchvision (resnet18) and openssl.
# Usage: bench/gateway/run.sh [SECONDS_PER_POINT]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-15}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
kc_port=18180
portal_port=18480
issuer="http://127.0.0.1:$kc_port/realms/hospital"
portal="http://127.0.0.1:$portal_port"
cleanup() {
  set +e
  if [ -n "${portal_pid:-}" ]; then kill "$portal_pid" 2>/dev/null; wait "$portal_pid" 2>/dev/null; fi
  # kc.sh runs Keycloak's JVM as its child
  if [ -n "${kc_pid:-}" ]; then pkill -P "$kc_pid" 2>/dev/null; kill "$kc_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
[ -f portal/target/modelward-portal-exec.jar ] || ./mvnw -q -B -DskipTests package

tools/keycloak/dev-keycloak.sh "$kc_port" > "$work/keycloak.log" 2>&1 &
kc_pid=$!
until curl -fs -o /dev/null "$issuer/.well-known/openid-configuration"; do sleep 0.5; done
"$java" ${PORTAL_JAVA_OPTS:-} -jar portal/target/modelward-portal-exec.jar --server.port=$portal_port --modelward.data-dir="$work/data" \
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
upload() { curl -fs -H "Authorization: Bearer $alice" -T "$3" "$portal/api/models/$1/versions/1.0/artifacts/$2?fileName=$(basename "$3")" > /dev/null; }
deploy() { # name dir file input-json
  api "$alice" -d "{\"name\":\"$1\",\"displayName\":\"$1\",\"task\":\"IMAGE_CLASSIFICATION\"}" "$portal/api/models" > /dev/null
  api "$alice" -d "{\"version\":\"1.0\",\"format\":\"TORCHSCRIPT\",\"license\":\"MIT\",\"provenance\":{\"sourceType\":\"UPLOAD\"},\"input\":$4}" \
    "$portal/api/models/$1/versions" > /dev/null
  upload "$1" model "$2/$3"
  upload "$1" labels "$2/synset.txt"
  api "$alice" -X POST "$portal/api/models/$1/versions/1.0/submit" > /dev/null
  api "$bob" -d '{"reason":"benchmark"}' "$portal/api/models/$1/versions/1.0/approve" > /dev/null
  api "$alice" -d "{\"name\":\"$1\",\"model\":\"$1\",\"version\":\"1.0\",\"target\":\"LOCAL\",\"minReplicas\":1,\"maxReplicas\":1,\"cpuLimit\":\"2\"}" \
    "$portal/api/deployments" > /dev/null
  until api "$alice" "$portal/api/deployments/$1" | grep -q '"status":"READY"'; do sleep 0.5; done
}
endpoint() { api "$alice" "$portal/api/deployments/$1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["endpoint"])'; }
internal_token() { printf 'deployment:%s' "$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(cat "$work/data/deployer-token.key")" | awk '{print $NF}'; }

deploy digits tools/models/digits digits.pt '{"imageSize":8,"resizeTo":8,"grayscale":true,"mean":[0],"std":[1]}'
/usr/bin/python3 tools/models/export_resnet18.py "$work/resnet18" > /dev/null
deploy resnet18 "$work/resnet18" resnet18.pt '{"imageSize":224,"resizeTo":256,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}'
/usr/bin/python3 - "$work" <<'PY'
import json, sys
from PIL import Image
work = sys.argv[1]
image = Image.open("tools/models/digits/test-images/000-9.png").convert("L")
pixels = [[[[image.getpixel((x, y)) / 255 for x in range(8)] for y in range(8)]]]
json.dump({"inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32", "data": pixels}]}, open(work + "/digits.json", "w"))
Image.new("RGB", (320, 240), (200, 120, 40)).save(work + "/cat.png")
PY

program=$(token "grant_type=client_credentials&client_id=inference-client&client_secret=inference-client-dev-secret")
run() { # label concurrency url token type body
  hey -z "${secs}s" -c "$2" -m POST -H "Authorization: Bearer $4" -T "$5" -D "$6" "$3" > "$work/hey.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/hey.txt")
  p50=$(awk '/ 50% in/ {print $3 * 1000}' "$work/hey.txt")
  codes=$(awk '/Status code distribution/ {f=1; next} f && /\[/ {printf "%s ", $0}' "$work/hey.txt")
  printf '%-34s c=%-3s %8.1f req/s  p50 %6.2f ms  %s\n' "$1" "$2" "$rps" "$p50" "$codes"
}
digits_direct="$(endpoint digits)/v2/models/digits/infer"
resnet_direct="$(endpoint resnet18)/v1/models/resnet18:classify"
hey -z 3s -c 4 -m POST -H "Authorization: Bearer $program" -T application/json -D "$work/digits.json" "$portal/v2/models/digits/infer" > /dev/null
for round in 1 2; do
  run "digits direct (round $round)" 1 "$digits_direct" "$(internal_token digits)" application/json "$work/digits.json"
  run "digits gateway (round $round)" 1 "$portal/v2/models/digits/infer" "$program" application/json "$work/digits.json"
done
# CPU seconds (user + system) a process has used so far
cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
run "digits direct" 16 "$digits_direct" "$(internal_token digits)" application/json "$work/digits.json"
before=$(cpu_s "$portal_pid")
run "digits gateway" 16 "$portal/v2/models/digits/infer" "$program" application/json "$work/digits.json"
answered=$(awk '/\[200\]/ {print $2; exit}' "$work/hey.txt")
awk -v a="$before" -v b="$(cpu_s "$portal_pid")" -v n="$answered" \
  'BEGIN {printf "portal CPU per gateway request at c=16: %.0f us (%d requests)\n", (b - a) * 1e6 / n, n}'
program=$(token "grant_type=client_credentials&client_id=inference-client&client_secret=inference-client-dev-secret")
# warm-up of the image path through the portal, as the digits path had before its rounds
hey -z 5s -c 16 -m POST -H "Authorization: Bearer $program" -T image/png -D "$work/cat.png" \
  "$portal/api/models/resnet18/classify" > /dev/null
for round in 1 2; do
  run "resnet18 direct (round $round)" 16 "$resnet_direct" "$(internal_token resnet18)" image/png "$work/cat.png"
  run "resnet18 gateway (round $round)" 16 "$portal/api/models/resnet18/classify" "$program" image/png "$work/cat.png"
done
