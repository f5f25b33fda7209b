#!/usr/bin/env bash
# Builds and runs every test: unit tests (GoogleTest), end-to-end comparisons with onnxruntime,
# Node.js and Chromium tests; then the regression benchmark (bench/README.md), which compares the
# speed ratio WebDNN / onnxruntime-web with bench/baseline.json. WEBDNN_SKIP_BENCH=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${BUILD_DIR:-build}
status=0
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --timeout 1500 || status=$?
if [ "${WEBDNN_SKIP_BENCH:-0}" != 1 ]; then
  # Run even after a failed test, so that the table is in the log; both verdicts count.
  node bench/run.mjs --ci --build "$build" || status=$((status ? status : $?))
fi
exit "$status"
