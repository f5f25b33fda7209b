#!/usr/bin/env bash
# examples/digits/run.sh [MODEL.onnx --input-shape NAME=1,1,8,8] [--port N]
# Converts the trained digits CNN (default: ../shared/models/digits_cnn.onnx) and serves the page.
exec "$(dirname "$0")/../common/run.sh" digits "$@"
