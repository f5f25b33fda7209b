#!/usr/bin/env bash
# The main job: build, make the project's own ResNet50, convert it, run it and show the result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${BUILD_DIR:-build}
/usr/bin/python3 tools/make_models.py --out "$build/models" --only resnet50
"$build/webdnn-convert" "$build/models/resnet50.onnx" --backend wasm -o "$build/out/resnet50"
"$build/webdnn-run" "$build/out/resnet50" --output-dir "$build/out/resnet50-result"
/usr/bin/python3 - "$build/out/resnet50-result" <<'PY'
import glob, sys, numpy as np
for path in sorted(glob.glob(sys.argv[1] + "/*.npy")):
    y = np.load(path).reshape(-1)
    top = np.argsort(-y)[:5]
    print(f"{path}: shape {np.load(path).shape}, top-5 classes {top.tolist()} scores {np.round(y[top], 4).tolist()}")
PY
