#!/usr/bin/env bash
# The GPU benchmark on the GPU machine, from the folder bench/gpu/pack.sh made (copied there by
# the device tool's `carry`): unpacks it, installs the Vulkan loader where there is none, then
# runs bench/gpu/run.mjs (which fills and converts the models there first).
#
# usage: bash PACK/device.sh [bench/gpu/run.mjs options, e.g. --models resnet50 --runs 50]
#        bash PACK/device.sh --sweep [bench/gpu/sweep.mjs options]   (results: sweep.txt, sweep.json)
# Results go to $OUT when it is set (the device tool's folder that comes back), else PACK/results:
# gpu.json (every figure), gpu.txt (what was printed) and env.txt (GPU, driver, Node, Python).
# WORK (default /tmp/webdnn-gpu) is where it unpacks; NO_DEB=1 never installs the .debs into /.
set -uo pipefail
PACK=$(cd "$(dirname "$0")" && pwd)
W=${WORK:-/tmp/webdnn-gpu}
RESULTS=${OUT:-$PACK/results}
mkdir -p "$W" "$RESULTS"
T0=$(date +%s)
say() { echo "[device.sh $(( $(date +%s) - T0 ))s] $*"; }

unxz() {  # where there is no xz, Python's lzma
  if command -v xz >/dev/null; then xz -dc "$1"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi
}
say "unpacking into $W"
for f in programs files; do unxz "$PACK/$f.tar.xz" | tar -x -C "$W" || { echo "device.sh: cannot unpack $PACK/$f.tar.xz" >&2; exit 1; }; done

# The NVIDIA driver is there, but not the Vulkan loader nor libglvnd (which its Vulkan ICD needs).
if [ -z "${NO_DEB:-}" ] && ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
  say "installing the Vulkan loader and libglvnd from $(cd "$PACK/deb" && echo *.deb)"
  for f in "$PACK"/deb/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
NV=/usr/local/nvidia/share
[ -n "${VK_DRIVER_FILES:-}" ] || [ ! -f "$NV/vulkan/icd.d/nvidia_icd.json" ] || export VK_DRIVER_FILES=$NV/vulkan/icd.d/nvidia_icd.json
[ -n "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] || [ ! -f "$NV/glvnd/egl_vendor.d/10_nvidia.json" ] \
  || export __EGL_VENDOR_LIBRARY_FILENAMES=$NV/glvnd/egl_vendor.d/10_nvidia.json

PY=$(command -v python3)
{
  echo "date: $(date -u)"; uname -a; grep PRETTY_NAME /etc/os-release
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  echo "node $("$W/node" --version)"; echo "cpus $(nproc)"
  "$PY" -c 'import onnx, numpy; print("python", onnx.__file__, "onnx", onnx.__version__, "numpy", numpy.__version__)' 2>&1
  echo "packed from webdnn $(cat "$W/repo/VERSION")"
} > "$RESULTS/env.txt" 2>&1
cat "$RESULTS/env.txt"

if [ "${1:-}" = --sweep ]; then  # the tile sweep (bench/gpu/sweep.mjs) instead of the benchmark
  shift
  say "node bench/gpu/sweep.mjs $*"
  "$W/node" "$W/repo/bench/gpu/sweep.mjs" --python "$PY" --out "$RESULTS" --work "$W/sweep" "$@" 2>&1 | tee "$RESULTS/sweep.txt"
else
  say "node bench/gpu/run.mjs $*"
  "$W/node" "$W/repo/bench/gpu/run.mjs" --python "$PY" --out "$RESULTS" "$@" 2>&1 | tee "$RESULTS/gpu.txt"
fi
status=${PIPESTATUS[0]}
say "done (exit status $status)"
exit "$status"
