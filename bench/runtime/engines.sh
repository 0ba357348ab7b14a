#!/usr/bin/env bash
# PyTorch (libtorch, TorchScript) against ONNX Runtime (the same network exported to ONNX), in one run on this
# machine, for the digits CNN (committed in both formats) and resnet18 (generated, random weights, exported to both):
# batch-1 latency (concurrency 1, p50) and throughput at concurrency 2 and 8, through the runtime's V2 endpoint with
# the same settings for both engines (2 workers x 1 intra-op thread, batch-size 8). Engines alternate in 2 rounds,
# because this shared machine drifts by about 10 % within minutes. Needs Debian's python3-torch and
# python3-torchvision (resnet18 export) and Debian's `hey`. All traffic stays on 127.0.0.1.
# Usage: bench/runtime/engines.sh [SECONDS_PER_POINT]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'pkill -f "inference-runtime.jar.*--port=1958" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v hey > /dev/null || { echo "needs Debian's hey (apt-get install hey)"; exit 1; }
[ -f inference-runtime/target/inference-runtime.jar ] || ./mvnw -q -B -DskipTests package -pl inference-runtime -am

/usr/bin/python3 tools/models/export_resnet18.py "$work/resnet18" > /dev/null
/usr/bin/python3 tools/models/export_onnx.py resnet18 "$work/resnet18" 2>/dev/null | grep -v '^$' || true
token=bench-token
sha() { sha256sum "$1" | cut -c1-64; }
digits=tools/models/digits
/usr/bin/python3 - "$work" <<'PY'
import random, struct, sys, json
random.seed(7)
work = sys.argv[1]
json.dump({"inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32",
                       "data": [random.random() for _ in range(64)]}]}, open(work + "/digits.json", "w"))
header = b'{"inputs": [{"name": "input0", "shape": [1, 3, 224, 224], "datatype": "FP32", "parameters": {"binary_data_size": 602112}}]}'
with open(work + "/resnet18.bin", "wb") as f:
    f.write(header + struct.pack("<150528f", *[random.random() for _ in range(150528)]))
open(work + "/resnet18.header", "w").write(str(len(header)))
PY

serve() { # port, dir, file, properties; echoes pid once the model answers
  local port=$1 dir=$2 file=$3 props=$4 name=${3%.*}
  "$java" -jar inference-runtime/target/inference-runtime.jar --port="$port" --host=127.0.0.1 --token=$token \
    --model-uri="$dir/$file" --sha256="$(sha "$dir/$file")" --labels-uri="$dir/synset.txt" \
    --labels-sha256="$(sha "$dir/synset.txt")" --properties="$dir/$props" --workers=2 --intra-op-threads=1 \
    --batch-size=8 > "$work/runtime-$port.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    curl -fs "http://127.0.0.1:$port/v2/models/$name/ready" -H "Authorization: Bearer $token" > /dev/null 2>&1 && break
    sleep 0.02
  done
  echo "$pid"
}
load() { # port, model, concurrency, body, extra header...
  local port=$1 model=$2 c=$3 body=$4; shift 4
  hey -z "${secs}s" -c "$c" -m POST -H "Authorization: Bearer $token" "$@" -D "$body" \
    "http://127.0.0.1:$port/v2/models/$model/infer" \
    | awk -v c="$c" '/Requests\/sec/ {rps=$2} /50% in/ {p50=$3*1000} /\[200\]/ {ok=$2}
        END {printf "c=%s ok=%s req_per_s=%.1f p50_ms=%.2f\n", c, ok, rps, p50}'
}
measure() { # label, port, model, body, extra header...
  local label=$1 port=$2 model=$3 body=$4; shift 4
  for c in 1 2 8; do echo "$label $(load "$port" "$model" "$c" "$body" "$@")"; done
}

echo "# $(date -u +%F) on $(nproc) cores, $("$java" -version 2>&1 | head -1)"
for round in 1 2; do
  for engine in pytorch onnx; do
    if [ $engine = pytorch ]; then f=digits.pt; else f=digits.onnx; fi
    pid=$(serve 19581 "$digits" "$f" digits.properties)
    measure "round $round digits $engine" 19581 digits "$work/digits.json" -T application/json
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  for engine in pytorch onnx; do
    if [ $engine = pytorch ]; then f=resnet18.pt; else f=resnet18.onnx; fi
    pid=$(serve 19582 "$work/resnet18" "$f" resnet18.properties)
    measure "round $round resnet18 $engine" 19582 resnet18 "$work/resnet18.bin" -T application/octet-stream \
      -H "Inference-Header-Content-Length: $(cat "$work/resnet18.header")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
