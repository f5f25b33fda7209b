#!/usr/bin/env bash
# Configures and builds everything into build/ (BUILD_DIR to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
# A unity build (source files compiled in batches) takes ~40% less time from scratch, which is
# what CI and a fresh machine do; incremental builds of your own are faster without it
# (UNITY=OFF, or configure build/ yourself).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD="${UNITY:-ON}" >/dev/null
cmake --build "$build" -j"$(nproc)"
