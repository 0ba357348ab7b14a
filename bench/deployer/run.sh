#!/usr/bin/env bash
# Scale from zero with the local deployer backend: from asking for a replica to READY and to the first answer of an
# image request, for the committed digits model and for resnet18 (generated, random weights). Each round starts with
# no runtime process. Figures go to bench/README.md.
# Needs Debian's python3-torch and python3-torchvision for resnet18.
# Usage: bench/deployer/run.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f inference-runtime/target/inference-runtime.jar ] && [ -d deployer/target/classes ] \
  || ./mvnw -q -B -DskipTests package -pl deployer -am
./mvnw -q -B -o dependency:build-classpath -pl deployer -Dmdep.outputFile="$work/cp.txt" > /dev/null
cp="deployer/target/classes:$(cat "$work/cp.txt")"
jar=inference-runtime/target/inference-runtime.jar
/usr/bin/python3 tools/models/export_resnet18.py "$work/resnet18" > /dev/null
/usr/bin/python3 - "$work/cat.png" <<'PY'
import sys
from PIL import Image
Image.new("RGB", (320, 240), (200, 120, 40)).save(sys.argv[1])
PY
"$java" -cp "$cp" bench/deployer/ScaleFromZero.java "$jar" tools/models/digits digits.pt \
  tools/models/digits/test-images/000-9.png "$rounds" image-resize=8 image-crop=8 image-grayscale=true image-mean=0 image-std=1
"$java" -cp "$cp" bench/deployer/ScaleFromZero.java "$jar" "$work/resnet18" resnet18.pt "$work/cat.png" "$rounds" \
  image-resize=256 image-crop=224 image-mean=0.485,0.456,0.406 image-std=0.229,0.224,0.225
