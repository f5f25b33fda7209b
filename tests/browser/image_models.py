#!/usr/bin/env python3
"""Models for the image and GPU-buffer inputs (tests/browser/gpu_io.test.mjs): ReLU over an image
input laid out CHW, HWC and grey (with values kept >= 0 the output is the input the runner made,
so the test reads back what the preprocessing wrote), 24 x 32 so that rows and columns cannot be
swapped unseen.
usage: image_models.py OUT_DIR   (writes NAME.onnx files and models.json)"""
import sys

from onnx import helper

from kernel_models import Models

models = Models(sys.argv[1], 20260101)
for name, shape in {'image_chw': [1, 3, 24, 32], 'image_hwc': [1, 24, 32, 3], 'image_grey': [1, 1, 24, 32]}.items():
    models.save(name, [helper.make_node('Relu', ['x'], ['y'])], [('x', shape)], ['y'])
models.write_index()
