#!/usr/bin/env bash
# examples/style_transfer/run.sh [MODEL.onnx] [--port N]
# Converts the fast neural style transfer network (default: ../shared/models/style_transfer.torchscript.onnx, refilled) and serves the page.
exec "$(dirname "$0")/../common/run.sh" style_transfer "$@"
