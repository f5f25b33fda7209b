#!/usr/bin/env bash
# Makes the seed corpora of the fuzz targets (tests/fuzz) in SEEDS/<target>, once (SEEDS/.done):
# the project's own op models (tools/make_models.py), the small models of ../shared, those converted
# for the wasm backend by CONVERT (a webdnn-convert), and .npy files and arguments. Never committed.
#   scripts/fuzz_seeds.sh SEEDS CONVERT
# Used by scripts/fuzz.sh (libFuzzer) and by the fuzz.* tests (the replay driver, in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: scripts/fuzz_seeds.sh SEEDS CONVERT" >&2; exit 2; }
seeds=$1 convert=$2
shared=${WEBDNN_SHARED_DIR:-../shared}
[ -f "$seeds/.done" ] && exit 0
echo "fuzz: making seed corpora in $seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{onnx_convert,descriptor_run,npy,args,models}
/usr/bin/python3 tools/make_models.py --out "$seeds/models" --only ops >/dev/null
cp "$seeds"/models/*.onnx "$seeds/onnx_convert/"
# Small real-world models (weights stripped but for digits_cnn: they exercise the reader).
for m in "$shared"/models/digits_cnn.onnx "$shared"/models/squeezenet1_1.*.onnx "$shared"/models2/*.onnx; do
  [ -f "$m" ] && [ "$(stat -c %s "$m")" -le 300000 ] && cp "$m" "$seeds/onnx_convert/"
done
# Converted models, each as manifest, descriptor and weights joined by the separator that
# descriptor_run.cc splits at; '!' first: checksums fixed up after mutation.
sep=$'\n--webdnn-fuzz-file--\n'
for m in "$seeds"/models/*.onnx "$shared"/models/digits_cnn.onnx; do
  [ -f "$m" ] || continue
  name=$(basename "$m" .onnx)
  out=$seeds/converted/$name
  args=()
  [ "$name" = digits_cnn ] && args=(--input-shape image=1,1,8,8)
  "$convert" "$m" -o "$out" --backend wasm "${args[@]}" >/dev/null 2>&1 || continue
  { cat "$out/manifest.json"; printf '%s' "$sep"; cat "$out/graph-wasm.json"; printf '%s' "$sep"; cat "$out/weights-wasm.bin.zst"; } \
    > "$seeds/descriptor_run/$name"
  { printf '!'; cat "$seeds/descriptor_run/$name"; } > "$seeds/descriptor_run/$name.fixed"
done
/usr/bin/python3 - "$seeds/npy" <<'PY'
import sys, numpy as np
d = sys.argv[1]
for name, a in {"f4": np.arange(6, dtype=np.float32).reshape(2, 3), "i8": np.array([[1, -2]], dtype=np.int64),
              "b1": np.array([True, False]), "u1": np.zeros((2, 0, 3), np.uint8), "scalar": np.float32(1.5),
              "i4": np.arange(4, dtype=np.int32), "i1": np.array([-1], np.int8)}.items():
  np.save(f"{d}/{name}.npy", a)
np.lib.format.write_array(open(f"{d}/v2.npy", "wb"), np.ones((1, 2), np.float32), version=(2, 0))
PY
cp "$shared"/models/digits_samples_*.npy "$seeds/npy/" 2>/dev/null || true
i=0
for a in image=1,1,8,8 x=1,3,224,224 'input_ids=2,128' 'a=b=1' 'x=0' 'x=1,,2' '=3' 'x=99999999999999999999' \
    batch=1..64 'seq=0..1099511627776' 'a=4..1' 'n=..3'; do
  printf '%s' "$a" > "$seeds/args/$i"; i=$((i + 1))
done
touch "$seeds/.done"
