#!/usr/bin/env bash
# Benchmark (not a test): the project's ResNet50 with --optimize 0 and with the default rules,
# side by side, on every backend: wasm through the native runner (the same kernels the browser
# build uses), then wasm, webgpu and webgl in headless Chromium through bench/run.mjs.
# Usage: bench/optimize_levels.sh [RUNS]      (BROWSER=0 leaves the browser rows out)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
runs=${1:-5}
model=$build/models/resnet50.onnx
[ -f "$model" ] || /usr/bin/python3 tools/make_models.py --out "$build/models" --only resnet50 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for level in 0 1; do
  "$build/webdnn-convert" "$model" --backend wasm --optimize "$level" -o "$work/o$level" 2>/dev/null
  native[$level]=$("$build/webdnn-run" "$work/o$level" --backend wasm --output-dir "$work/r" --benchmark "$runs" |
    sed -E 's/.*median ([0-9.]+) ms.*/\1/')
  if [ "${BROWSER:-1}" = 1 ]; then
    node bench/run.mjs --rows resnet50_own:wasm:1,resnet50_own:webgpu,resnet50_own:webgl --engines webdnn \
      --runs "$runs" --build "$build" --out "$work/b$level" --convert-args "--optimize $level" >"$work/log$level" 2>&1 ||
      echo "bench/run.mjs failed for --optimize $level (log: $(tail -3 "$work/log$level"))" >&2
  fi
done
printf '%-32s %14s %14s\n' "resnet50 (own), median ms" "--optimize 0" default
printf '%-32s %14s %14s\n' "wasm, native runner" "${native[0]}" "${native[1]}"
[ "${BROWSER:-1}" = 1 ] || exit 0
for row in "wasm 1" "webgpu 1" "webgl 1"; do
  set -- $row
  cells=()
  for level in 0 1; do
    cells+=("$(node -e '
      const [file, backend] = process.argv.slice(1);
      try {
        const r = require(file).rows.find((x) => x.backend === backend);
        console.log(r.status === "ok" ? r.median.toFixed(1) : r.status);
      } catch { console.log("no result"); }' "$work/b$level/bench.json" "$1")")
  done
  printf '%-32s %14s %14s\n' "$1, Chromium, $2 thread" "${cells[0]}" "${cells[1]}"
done
