#!/usr/bin/env bash
# examples/video/run.sh [MODEL.onnx] [--port N]
# Converts the ResNet50 example's model (the same one, into the same place) and serves the page.
exec "$(dirname "$0")/../common/run.sh" video "$@"
