#!/usr/bin/env bash
# examples/resnet50/run.sh [MODEL.onnx] [--labels LABELS.txt] [--port N]
# Converts a ResNet50-style model (default: the project's own, seeded weights) and serves the page.
exec "$(dirname "$0")/../common/run.sh" resnet50 "$@"
