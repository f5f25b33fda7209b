#!/usr/bin/env bash
# Packs everything bench/gpu/run.mjs needs into one folder, for a GPU machine that has no Node.js,
# no Vulkan loader and no network (the device machine of DEVELOPERS.md): this Node.js, Dawn
# (bench/gpu/node_modules/webgpu), the built webdnn-convert (with its libraries) and JS package,
# onnxruntime-web's WebGPU bundle, the benchmark's scripts, the weight-stripped models with
# fill_weights.py, and the Vulkan loader and libglvnd as .debs. About 40 MB; the weights are
# filled there (VGG16 alone is 550 MB filled).
#
# usage: bench/gpu/pack.sh [OUT]     (default build/gpubench; BUILD_DIR=build, SHARED=../shared)
# then, on the GPU machine, from the checkout: bash OUT/device.sh [run.mjs options]
# Needs: a build (scripts/build.sh), npm ci, strip, xz, and apt-get (to download the .debs).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-build/gpubench}
BUILD=${BUILD_DIR:-build}
SHARED=${SHARED:-../shared}
ORT=node_modules/onnxruntime-web
DAWN=bench/gpu/node_modules/webgpu
for f in "$BUILD/webdnn-convert" "$BUILD/webdnn-js/webdnn.mjs" "$ORT/dist/ort.webgpu.min.mjs" "$SHARED/tools/fill_weights.py"; do
  [ -e "$f" ] || { echo "pack.sh: $f is missing (scripts/build.sh, npm ci, or SHARED=...)" >&2; exit 1; }
done
if [ ! -f "$DAWN/dist/linux-x64/dawn.node" ]; then
  echo "pack.sh: installing the npm package webgpu into bench/gpu"
  npm ci --prefix bench/gpu --ignore-scripts --no-audit --no-fund
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$OUT.tmp"' EXIT
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp/deb"
R=$TMP/repo
mkdir -p "$R/build/lib" "$R/bench/page" "$R/bench/gpu" "$R/$DAWN/dist/linux-x64" "$R/$ORT/dist" "$TMP/shared/tools"

echo "pack.sh: programs (Node.js $(node --version), Dawn, webdnn-convert)"
mkdir -p "$TMP/bin/repo/build/lib" "$TMP/bin/repo/$DAWN/dist/linux-x64"
strip --strip-all -o "$TMP/bin/node" "$(command -v node)"
cp "$DAWN/dist/linux-x64/dawn.node" "$TMP/bin/repo/$DAWN/dist/linux-x64/"
cp "$BUILD/webdnn-convert" "$TMP/bin/repo/build/webdnn-convert.bin"
# Its libraries beyond glibc and libstdc++ (protobuf, onnx_proto, zstd), which that machine lacks.
ldd "$BUILD/webdnn-convert" | awk '$3 ~ /^\// {print $3}' | grep -v -E '/lib(c|m|dl|pthread|rt|gcc_s|stdc\+\+)\.so' \
  | while read -r lib; do cp -L "$lib" "$TMP/bin/repo/build/lib/"; done
tar -C "$TMP/bin" -cf - . | xz --x86 --lzma2=preset=9 -T2 > "$OUT.tmp/programs.tar.xz"

echo "pack.sh: scripts, JS package, onnxruntime-web, models"
cat > "$R/build/webdnn-convert" <<'EOF'
#!/bin/sh
# webdnn-convert with the libraries packed beside it
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/webdnn-convert.bin" "$@"
EOF
chmod +x "$R/build/webdnn-convert"
cp -r "$BUILD/webdnn-js" "$R/build/"
cp bench/*.mjs "$R/bench/" && cp bench/page/* "$R/bench/page/"
cp bench/gpu/*.mjs bench/gpu/*.py bench/gpu/*.sh bench/gpu/package.json "$R/bench/gpu/"
# The model maker, for the project's own nets (the ViT-B/16 row); made there, since its weights are large.
mkdir -p "$R/tools" && cp -r tools/make_models.py tools/testmodels "$R/tools/" && find "$R/tools" -name __pycache__ -prune -exec rm -rf {} +
cp "$DAWN/index.js" "$DAWN/package.json" "$R/$DAWN/"
cp "$ORT/package.json" "$R/$ORT/"
for f in ort.webgpu.min.mjs ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.asyncify.wasm; do cp "$ORT/dist/$f" "$R/$ORT/dist/"; done
cp -r "$SHARED/models" "$SHARED/models2" "$TMP/shared/" && cp "$SHARED/tools/fill_weights.py" "$TMP/shared/tools/"
git rev-parse --short HEAD > "$R/VERSION" 2>/dev/null || echo unknown > "$R/VERSION"
tar -C "$TMP" -cf - repo shared | xz -9 -T2 > "$OUT.tmp/files.tar.xz"

echo "pack.sh: the Vulkan loader and libglvnd (.debs, amd64)"
LISTS=$TMP/apt-lists
mkdir -p "$LISTS/partial"
APT=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$LISTS")
apt-get "${APT[@]}" update >/dev/null
(cd "$OUT.tmp/deb" && apt-get "${APT[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
cp bench/gpu/device.sh "$OUT.tmp/"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
du -sh "$OUT"
echo "pack.sh: done; on the GPU machine: bash $OUT/device.sh"
