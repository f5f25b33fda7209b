#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# Debian packages (apt-get; Mesa's lavapipe from backports) and the npm packages of package.json
# and bench/gpu/package.json (npm ci).
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
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Mesa's lavapipe (Vulkan on the CPU) from the release's backports: Mesa 25's has shader-f16 and
# subgroups, which Dawn in Node.js offers to tests/browser/webgpu_lavapipe.test.mjs (Debian 12's own
# Mesa 22.3 is refused by Dawn).
if ! dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q bpo; then
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  echo "setup: installing Mesa's lavapipe from $codename-backports"
  echo "deb http://deb.debian.org/debian $codename-backports main" | $sudo tee /etc/apt/sources.list.d/webdnn-backports.list >/dev/null
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends -t "$codename-backports" \
    mesa-vulkan-drivers libvulkan1
fi

# onnxruntime-node's install script downloads from an unreachable host; its CPU binaries ship in
# the package, so the scripts are skipped.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --ignore-scripts --no-audit --no-fund
fi
# Dawn for Node.js (150 MB, kept out of the workspace's own packages): the real-GPU benchmark
# (bench/gpu) and the lavapipe tests.
stamp=bench/gpu/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ bench/gpu/package-lock.json -nt "$stamp" ]; then
  echo "setup: installing Dawn for Node.js (bench/gpu)"
  npm ci --prefix bench/gpu --ignore-scripts --no-audit --no-fund
fi
