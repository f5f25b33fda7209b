#!/usr/bin/env bash
# Builds and runs every test: unit tests (GoogleTest) and end-to-end comparisons with onnxruntime.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${BUILD_DIR:-build}
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --timeout 1500
