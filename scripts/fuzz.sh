#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in build-fuzz (the "fuzz"
# CMake preset of CMakePresets.json, whose build also serves the native tests under sanitizers),
# makes their seed corpora, and runs each target for SECONDS seconds (default 60):
#   fuzz_onnx_convert    ONNX bytes -> import -> rules -> every backend's emit, in memory
#   fuzz_descriptor_run  manifest + descriptor + weights -> load -> run on the native runtime
#   fuzz_npy             the .npy reader of webdnn-run --input
#   fuzz_args            webdnn-convert --input-shape NAME=D,D,... and --dim NAME=MIN..MAX
# Seeds are made by scripts/fuzz_seeds.sh, never committed: the project's own op models
# (tools/make_models.py), the small models of ../shared, those converted for the wasm backend,
# and .npy files from numpy. (CI runs the same targets briefly without libFuzzer: the fuzz.*
# tests, tests/fuzz/replay_main.cc.)
# What each run finds new is kept in build-fuzz/corpus/<target> for the next run. A finding
# (crash-*, leak-*, timeout-*, oom-*) lands in build-fuzz/findings/<target>/ and fails the script;
# reproduce it with build-fuzz/fuzz_<target> FILE.
#   FUZZ_TARGETS="npy args"  only these targets
#   FUZZ_JOBS=N              N processes per target (libFuzzer -fork=N), going on past findings
#                            (each still written to findings/): for long campaigns
#
#   scripts/fuzz.sh --replay [SECONDS]   (CI: the fuzz.* tests) the same targets from the plain
#                            build (BUILD_DIR, default build), linked with tests/fuzz/replay_main.cc
#                            instead of libFuzzer: no coverage feedback, no sanitizers, no clang;
#                            each seed once, then random mutations of them for SECONDS (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${FUZZ_TARGETS:-onnx_convert descriptor_run npy args}
if [ "${1:-}" = --replay ]; then
  seconds=${2:-20}
  build=${BUILD_DIR:-build}
  seeds=$build/fuzz-seeds
  scripts/fuzz_seeds.sh "$seeds" "$build/webdnn-convert"
  mkdir -p "$build/fuzz-findings"
  for t in $targets; do
    echo "fuzz: $t for ${seconds}s (replay driver)"
    "$build/tests/fuzz/fuzz_replay_$t" -max_total_time="$seconds" -timeout=25 \
      -artifact_prefix="$build/fuzz-findings/$t-" "$seeds/$t"
  done
  exit 0
fi
seconds=${1:-60}
build=build-fuzz
command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing; run WEBDNN_FUZZ=1 scripts/setup.sh" >&2; exit 1; }

cmake --preset fuzz >/dev/null
cmake --build "$build" -j"$(nproc)" --target webdnn-convert $(printf 'fuzz_%s ' $targets)

seeds=$build/seeds
scripts/fuzz_seeds.sh "$seeds" "$build/webdnn-convert"

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
