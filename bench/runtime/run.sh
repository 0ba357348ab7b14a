#!/usr/bin/env bash
# The inference runtime benchmark, in one run on this machine (see bench/README.md for the figures):
#   1. cold start to first answer, digits (committed) and resnet18 (generated, random weights): a plain `java -jar`,
#      and as the local deployer starts a replica (with the JVM class archive a first runtime leaves at its exit);
#   2. raw in-process DJL throughput on resnet18: predictors in a plain loop, 1 and 2 threads, batch 1, and the
#      runtime's serving core without HTTP at 1 and 2 callers;
#   3. the runtime over HTTP (binary tensor extension) at concurrency 1, 2, 4 and 8, with dynamic batching
#      (batch-size 8) and without it (batch-size 1) at concurrency 8;
#   4. RSS of the runtime with resnet18 loaded, before and after load.
# Needs Debian's python3-torch and python3-torchvision to export resnet18, and Debian's `hey` as the load generator
# (a light Go client: on 2 cores a JVM client's own CPU would be counted against the runtime; without hey the
# Java LoadGen.java is used). All traffic stays on 127.0.0.1.
# Usage: bench/runtime/run.sh [SECONDS_PER_POINT] [ROUNDS]   (defaults 20 and 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
rounds=${2:-5}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'pkill -f "inference-runtime.jar.*--port=1957" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -f inference-runtime/target/inference-runtime.jar ] || ./mvnw -q -B -DskipTests package -pl inference-runtime -am
/usr/bin/python3 tools/models/export_resnet18.py "$work/resnet18" > /dev/null
cp=inference-runtime/target/lib/'*'
digits=tools/models/digits
token=bench-token
sha() { sha256sum "$1" | cut -c1-64; }
flags_for() { # model dir, file, properties
  echo "--model-uri=$1/$2 --sha256=$(sha "$1/$2") --labels-uri=$1/synset.txt --labels-sha256=$(sha "$1/synset.txt") --properties=$1/$3 --host=127.0.0.1 --token=$token"
}
DIGITS_FLAGS=$(flags_for "$digits" digits.pt digits.properties)
RESNET_FLAGS=$(flags_for "$work/resnet18" resnet18.pt resnet18.properties)
body="$work/resnet18-request.bin"
header_length=$(/usr/bin/python3 - "$body" <<'PYBODY'
import random, struct, sys
random.seed(7)
header = b'{"inputs": [{"name": "input0", "shape": [1, 3, 224, 224], "datatype": "FP32", "parameters": {"binary_data_size": 602112}}]}'
with open(sys.argv[1], "wb") as f:
    f.write(header + struct.pack("<150528f", *[random.random() for _ in range(150528)]))
print(len(header))
PYBODY
)
png="$work/cat.png"
/usr/bin/python3 -c "from PIL import Image; import numpy as np; Image.fromarray((np.random.RandomState(3).rand(256,320,3)*255).astype('uint8')).save('$png')"

jvm_opts=()
start_runtime() { # port, flags...; echoes pid
  local port=$1; shift
  "$java" "${jvm_opts[@]}" -jar inference-runtime/target/inference-runtime.jar --port="$port" "$@" \
    > "$work/runtime-$port.log" 2>&1 &
  echo $!
}
first_answer_ms() { # port, model, image
  local t0=$1 port=$2 model=$3 image=$4
  for _ in $(seq 1 3000); do
    if curl -fs -H "Authorization: Bearer $token" --data-binary @"$image" \
        "http://127.0.0.1:$port/v1/models/$model:classify" > /dev/null 2>&1; then break; fi
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
rss_mb() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }

echo "# $(date -u +%F) on $(nproc) cores, $("$java" -version 2>&1 | head -1)"
cold_starts() { # label
  for run in 1 2 3; do
    t0=$(date +%s%N); pid=$(start_runtime 19571 $DIGITS_FLAGS)
    d=$(first_answer_ms "$t0" 19571 digits "$digits/test-images/000-9.png"); kill "$pid"; wait "$pid" 2>/dev/null || true
    t0=$(date +%s%N); pid=$(start_runtime 19572 $RESNET_FLAGS)
    r=$(first_answer_ms "$t0" 19572 resnet18 "$png"); kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$1 run $run: digits ${d} ms, resnet18 ${r} ms"
  done
}
echo "## cold start to first answer (3 runs each)"
cold_starts "java -jar,"
# as the local deployer starts a replica: its JVM flags and the class archive (CDS) that a first runtime writes at exit
jvm_opts=(-XX:+UseSerialGC -Xss512k -XX:SharedArchiveFile="$work/runtime-classes.jsa" -XX:+AutoCreateSharedArchive
  -Xlog:'cds*=error')
pid=$(start_runtime 19571 $DIGITS_FLAGS); first_answer_ms "$(date +%s%N)" 19571 digits "$digits/test-images/000-9.png" > /dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true
cold_starts "as the deployer starts it (class archive),"
jvm_opts=()

echo "## the serving core without HTTP (ServedModel: queue, batching, worker predictors), resnet18"
for callers in 1 2; do
  "$java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
    -cp "inference-runtime/target/inference-runtime.jar:$cp" bench/runtime/EngineThroughput.java \
    "$work/resnet18/resnet18.pt" "$work/resnet18/resnet18.properties" "$callers" 2 "$secs" 2>/dev/null | grep '^engine'
done

raw() { # threads
  "$java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" bench/runtime/RawThroughput.java \
    "$work/resnet18/resnet18.pt" "$1" 1 "$secs" 2>/dev/null | grep '^raw'
}
http() { # batch-size, concurrency
  if command -v hey > /dev/null; then
    hey -z "${secs}s" -c "$2" -m POST -H "Authorization: Bearer $token" \
      -H "Inference-Header-Content-Length: $header_length" -T application/octet-stream -D "$body" \
      http://127.0.0.1:19573/v2/models/resnet18/infer \
      | awk -v c="$2" -v b="$1" '/Requests\/sec/ {rps=$2} /50% in/ {p50=$3*1000} /99% in/ {p99=$3*1000}
          /\[200\]/ {ok=$2} END {printf "http batch-size=%s concurrency=%s requests=%s images_per_s=%.2f p50_ms=%.1f p99_ms=%.1f\n", b, c, ok, rps, p50, p99}'
  else
    "$java" bench/runtime/LoadGen.java http://127.0.0.1:19573/v2/models/resnet18/infer "$token" "$2" "$secs" 1,3,224,224 \
      | sed "s/^http /http batch-size=$1 /"
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
rate() { sed 's/.*images_per_s=\([0-9.]*\).*/\1/'; }

echo "## runtime over HTTP (2 workers x 1 thread) against raw DJL at matching parallelism, resnet18"
echo "## $rounds alternating rounds, because this shared machine drifts by 10 % within minutes"
pid=$(start_runtime 19573 $RESNET_FLAGS --workers=2 --intra-op-threads=1 --batch-size=8)
first_answer_ms "$(date +%s%N)" 19573 resnet18 "$png" > /dev/null
echo "RSS with resnet18 loaded: $(rss_mb "$pid") MB"
http 8 1 > /dev/null # warm-up of the V2 request path, as the raw loop runs its own warm-up iterations first
declare -A ratios
for round in $(seq 1 "$rounds"); do
  for c in 1 2; do
    r=$(raw "$c"); h=$(http 8 "$c"); q=$(ratio "$(echo "$h" | rate)" "$(echo "$r" | rate)")
    ratios[$c]="${ratios[$c]:-} $q"
    echo "round $round: $r | $h | ratio $q"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for c in 1 2; do echo "concurrency $c: ratios${ratios[$c]}, median $(echo "${ratios[$c]}" | median)"; done
for c in 4 8; do http 8 "$c"; done
echo "RSS after the load: $(rss_mb "$pid") MB"
grep -o 'modelward_batch_size_sum{[^}]*} [0-9.]*\|modelward_batch_size_count{[^}]*} [0-9]*' \
  <(curl -s http://127.0.0.1:19573/metrics)
kill "$pid"; wait "$pid" 2>/dev/null || true
pid=$(start_runtime 19573 $RESNET_FLAGS --workers=2 --intra-op-threads=1 --batch-size=1)
first_answer_ms "$(date +%s%N)" 19573 resnet18 "$png" > /dev/null
http 1 8
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "## DJL Serving: ai.djl.serving artifacts are not obtainable from Maven Central here, so no comparison ran."
