#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in build-fuzz (the "fuzz"
# CMake preset of CMakePresets.json, whose build also serves the native tests under sanitizers),
# makes their seed corpora, and runs each target for SECONDS seconds (default 60):
#   fuzz_onnx_convert    ONNX bytes -> import -> rules -> every backend's emit, in memory
#   fuzz_descriptor_run  manifest + descriptor + weights -> load -> run on the native runtime
#   fuzz_npy             the .npy reader of webdnn-run --input
#   fuzz_args            webdnn-convert --input-shape NAME=D,D,... and --dim NAME=MIN..MAX
# Seeds are made here, never committed: the project's own op models (tools/make_models.py), the
# small models of ../shared, those converted for the wasm backend, and .npy files from numpy.
# What each run finds new is kept in build-fuzz/corpus/<target> for the next run. A finding
# (crash-*, leak-*, timeout-*, oom-*) lands in build-fuzz/findings/<target>/ and fails the script;
# reproduce it with build-fuzz/fuzz_<target> FILE.
#   FUZZ_TARGETS="npy args"  only these targets
#   FUZZ_JOBS=N              N processes per target (libFuzzer -fork=N), going on past findings
#                            (each still written to findings/): for long campaigns
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=build-fuzz
targets=${FUZZ_TARGETS:-onnx_convert descriptor_run npy args}
command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing; run WEBDNN_FUZZ=1 scripts/setup.sh" >&2; exit 1; }

cmake --preset fuzz >/dev/null
cmake --build "$build" -j"$(nproc)" --target webdnn-convert $(printf 'fuzz_%s ' $targets)

seeds=$build/seeds
shared=../shared
if [ ! -f "$seeds/.done" ]; then
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
    out=$build/seeds/converted/$name
    args=()
    [ "$name" = digits_cnn ] && args=(--input-shape image=1,1,8,8)
    "$build/webdnn-convert" "$m" -o "$out" --backend wasm "${args[@]}" >/dev/null 2>&1 || continue
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
fi

status=0
for t in $targets; do
  corpus=$build/corpus/$t findings=$build/findings/$t
  mkdir -p "$corpus" "$findings"
  dict=()
  [ -f tests/fuzz/$t.dict ] && dict=(-dict=tests/fuzz/$t.dict)
  echo "fuzz: $t for ${seconds}s"
  # Leaks are checked; -rss_limit_mb bounds memory; a single input may take 25 s at most.
  if ! ./$build/fuzz_$t "$corpus" "$seeds/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 \
      -max_len=400000 -print_final_stats=1 -artifact_prefix="$findings/" \
      ${FUZZ_JOBS:+-fork=$FUZZ_JOBS -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1} \
      > "$build/fuzz_$t.log" 2>&1; then
    status=1
    echo "fuzz: $t FOUND A PROBLEM (see $build/fuzz_$t.log and $findings/):" >&2
    grep -E "ERROR|runtime error|==ERROR|Test unit written" "$build/fuzz_$t.log" | head -5 >&2 || true
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$build/fuzz_$t.log" | sed "s/^/fuzz: $t /" || true
  # With -fork the parent reports "#EXECUTIONS: cov: ..." as it goes.
  [ -n "${FUZZ_JOBS:-}" ] && grep -E "^#[0-9]+:" "$build/fuzz_$t.log" | tail -1 | sed "s/^/fuzz: $t /" || true
  ls "$findings" | grep -q . && status=1
done
exit $status
