#!/usr/bin/env python3
"""Writes a float16 (or bfloat16) ONNX model again in float32: initializers, Constant nodes, graph
inputs and outputs, value_info, and Casts to half become float32. onnxruntime then computes the
model as WebDNN does (in float32), which makes it the oracle for WebDNN's numerics on models
exported in half precision; the half model itself stays the oracle for their semantics.

usage: upcast_half.py IN.onnx OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

HALF = (TensorProto.FLOAT16, TensorProto.BFLOAT16)


def widen(t):
    if t.data_type not in HALF:
        return t
    wide = numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float32), t.name)
    return wide


def upcast_graph(g):
    for i, t in enumerate(g.initializer):
        g.initializer[i].CopyFrom(widen(t))
    for info in list(g.input) + list(g.output) + list(g.value_info):
        if info.type.tensor_type.elem_type in HALF:
            info.type.tensor_type.elem_type = TensorProto.FLOAT
    for node in g.node:
        for a in node.attribute:
            if node.op_type == "Cast" and a.name == "to" and a.i in HALF:
                a.i = TensorProto.FLOAT
            if a.type == onnx.AttributeProto.TENSOR:
                a.t.CopyFrom(widen(a.t))
            if a.type == onnx.AttributeProto.GRAPH:
                upcast_graph(a.g)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    model = onnx.load(sys.argv[1])
    upcast_graph(model.graph)
    onnx.save(model, sys.argv[2])


if __name__ == "__main__":
    main()
