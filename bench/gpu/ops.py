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


def weight(rng, shape, fan_in):
    return numpy_helper.from_array((rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32), "w")


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def conv(name, c, h, w, m, k, stride, pad):
    rng = np.random.default_rng(1)
    kernel = weight(rng, (m, c, k, k), c * k * k)
    bias = numpy_helper.from_array(rng.standard_normal(m).astype(np.float32), "b")
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
    graph = helper.make_graph([node], name, [value("x", [1, c, h, w])], [value("y", [1, m, oh, ow])], [kernel, bias])
    return graph, [[1, c, h, w]], 2 * m * oh * ow * c * k * k


# [M, K] input times a constant weight: [K, N] through MatMul, or [N, K] through Gemm (transB=1).
def dense(name, m, k, n, transposed=False):
    w = weight(np.random.default_rng(1), (n, k) if transposed else (k, n), k)
    node = helper.make_node("Gemm", ["x", "w"], ["y"], transB=1) if transposed else helper.make_node("MatMul", ["x", "w"], ["y"])
    graph = helper.make_graph([node], name, [value("x", [m, k])], [value("y", [m, n])], [w])
    return graph, [[m, k]], 2 * m * k * n


def matmul(name, m, k, n):
    return dense(name, m, k, n)


def fc(name, k, n):
    return dense(name, 1, k, n, transposed=True)


def bmm(name, b, m, k, n):
    node = helper.make_node("MatMul", ["x", "y"], ["z"])
    shapes = [[b, m, k], [b, k, n]]
    graph = helper.make_graph([node], name, [value(v, s) for v, s in zip("xy", shapes)], [value("z", [b, m, n])])
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
