#!/usr/bin/python3
"""Prints, as JSON, the quantization step of every graph output that a DequantizeLinear computes
with one constant scale (an initializer or a Constant node): {"output name": scale}. check_model.mjs
holds such outputs to a number of steps (--quantized-steps) instead of a relative tolerance.

usage: output_steps.py MODEL.onnx
"""
import json
import sys

import onnx
from onnx import numpy_helper


def main():
    m = onnx.load(sys.argv[1], load_external_data=False)
    g = m.graph
    constants = {t.name: t for t in g.initializer}
    producer = {}
    for n in g.node:
        for o in n.output:
            producer[o] = n
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            constants[n.output[0]] = n.attribute[0].t
    steps = {}
    for out in g.output:
        n = producer.get(out.name)
        while n is not None and n.op_type == "Identity":
            n = producer.get(n.input[0])
        if n is None or n.op_type != "DequantizeLinear" or n.input[1] not in constants:
            continue
        scale = numpy_helper.to_array(constants[n.input[1]])
        if scale.size == 1:
            steps[out.name] = float(scale.reshape(-1)[0])
    print(json.dumps(steps))


if __name__ == "__main__":
    main()
