#!/usr/bin/env bash
# common/run.sh NAME [MODEL.onnx] [options]: what each example's run.sh does. Builds what is
# missing (scripts/build.sh into BUILD_DIR, default build/), converts the example's model into the
# build tree and serves the example (node examples/common/prepare.mjs; --help lists its options).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
if [[ ! -x $build/webdnn-convert || ! -f $build/webdnn-js/webdnn.mjs ]]; then
  echo "$build/webdnn-convert or $build/webdnn-js is missing: building (scripts/build.sh)"
  scripts/setup.sh
  scripts/build.sh
fi
BUILD_DIR=$build exec node examples/common/prepare.mjs "$@"
