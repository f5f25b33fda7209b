#!/usr/bin/env bash
# Builds and runs every test: unit tests (GoogleTest), end-to-end comparisons with onnxruntime,
# Node.js and Chromium tests; then the regression benchmark (bench/README.md), which compares the
# speed ratio WebDNN / onnxruntime-web with bench/baseline.json. WEBDNN_SKIP_BENCH=1 skips it.
# Ends with the time of each phase: CI must stay well under 30 minutes (DEVELOPERS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
phases=""
start=$SECONDS
phase() {
  phases+="$1 $((SECONDS - start)) s, "
  start=$SECONDS
}
scripts/setup.sh
phase setup
scripts/build.sh
phase build
build=${BUILD_DIR:-build}
status=0
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --timeout 1500 || status=$?
phase tests
if [ "${WEBDNN_SKIP_BENCH:-0}" != 1 ]; then
  # Run even after a failed test, so that the table is in the log; both verdicts count.
  node bench/run.mjs --ci --build "$build" || status=$((status ? status : $?))
  phase bench
fi
echo "test.sh: ${phases%, }; $SECONDS s in all"
exit "$status"
