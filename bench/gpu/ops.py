#!/usr/bin/env python3
"""Writes one-operator ONNX models (Conv, MatMul) with random weights, for bench/gpu/sweep.mjs.

usage: ops.py OUT_DIR SPEC...   where SPEC is
  conv:NAME:C,H,W,M,K,STRIDE,PAD     a KxK convolution of a 1xCxHxW input to M channels, with bias
  matmul:NAME:M,K,N                  [M, K] input times a [K, N] weight
  fc:NAME:K,N                        a [1, K] input times a [N, K] weight, transposed (Gemm, transB=1)
  bmm:NAME:B,M,K,N                   [B, M, K] input times a [B, K, N] input (attention's products)
Prints one JSON line per model: {"name", "file", "inputs": [shapes], "flops"}.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def conv(name, c, h, w, m, k, stride, pad):
    rng = np.random.default_rng(1)
    weight = numpy_helper.from_array((rng.standard_normal((m, c, k, k)) / np.sqrt(c * k * k)).astype(np.float32), "w")
    bias = numpy_helper.from_array(rng.standard_normal(m).astype(np.float32), "b")
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, h, w])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, m, oh, ow])], [weight, bias])
    return graph, [[1, c, h, w]], 2 * m * oh * ow * c * k * k


def matmul(name, m, k, n):
    rng = np.random.default_rng(1)
    weight = numpy_helper.from_array((rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32), "w")
    node = helper.make_node("MatMul", ["x", "w"], ["y"])
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])], [weight])
    return graph, [[m, k]], 2 * m * k * n


def fc(name, k, n):
    rng = np.random.default_rng(1)
    weight = numpy_helper.from_array((rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32), "w")
    node = helper.make_node("Gemm", ["x", "w"], ["y"], transB=1)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, k])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n])], [weight])
    return graph, [[1, k]], 2 * k * n


def bmm(name, b, m, k, n):
    node = helper.make_node("MatMul", ["x", "y"], ["z"])
    shapes = [[b, m, k], [b, k, n]]
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info(v, TensorProto.FLOAT, s) for v, s in zip("xy", shapes)],
                              [helper.make_tensor_value_info("z", TensorProto.FLOAT, [b, m, n])])
    return graph, shapes, 2 * b * m * k * n


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for spec in sys.argv[2:]:
        kind, name, numbers = spec.split(":")
        args = [int(x) for x in numbers.split(",")]
        graph, shape, flops = {"conv": conv, "matmul": matmul, "fc": fc, "bmm": bmm}[kind](name, *args)
        file = os.path.join(out, f"{name}.onnx")
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), file)
        print(json.dumps({"name": name, "file": file, "inputs": shape, "flops": flops}))


if __name__ == "__main__":
    main()
