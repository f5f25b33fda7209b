#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# Debian packages (apt-get) and the npm packages of package.json (npm ci).
# WEBDNN_FUZZ=1 (or --fuzz) adds clang and its sanitizer and libFuzzer runtimes, for scripts/fuzz.sh
# (the "fuzz" CMake preset); CI does not need them.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make pkg-config
  libprotobuf-dev protobuf-compiler libonnx-dev nlohmann-json3-dev libzstd-dev zstd
  googletest libgtest-dev
  python3-onnx python3-numpy
  emscripten node-acorn chromium
)
if [ "${WEBDNN_FUZZ:-0}" = 1 ] || [ "${1:-}" = --fuzz ]; then
  packages+=(clang libclang-rt-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere than Debian (the base image has its own); only install it if absent.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node's install script downloads from an unreachable host; its CPU binaries ship in
# the package, so the scripts are skipped.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --ignore-scripts --no-audit --no-fund
fi
