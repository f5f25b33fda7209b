#!/usr/bin/env bash
# Benchmark (not a test): ResNet50 with --optimize 0 and with the default rules, side by side,
# on every backend that runs here. Usage: bench/optimize_levels.sh [MODEL.onnx] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
model=${1:-$build/models/resnet50.onnx}
runs=${2:-5}
[ -f "$model" ] || /usr/bin/python3 tools/make_models.py --out "$build/models" --only resnet50 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-28s %14s %14s\n' backend model "--optimize 0" default
for backend in wasm; do
  for level in 0 1; do
    "$build/webdnn-convert" "$model" --backend "$backend" --optimize "$level" -o "$work/o$level" 2>/dev/null
    # The native runner executes the wasm descriptor with the same kernels the browser build uses.
    ms[$level]=$("$build/webdnn-run" "$work/o$level" --backend "$backend" --output-dir "$work/r" --benchmark "$runs" |
      sed -E 's/.*median ([0-9.]+) ms.*/\1/')
  done
  printf '%-10s %-28s %11s ms %11s ms   (native runner, median of %d)\n' "$backend" "$(basename "$model")" "${ms[0]}" "${ms[1]}" "$runs"
done
