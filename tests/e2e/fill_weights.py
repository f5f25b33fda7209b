#!/usr/bin/python3
"""Refills a weight-stripped model of ../shared as ../shared/tools/fill_weights.py does, then keeps
the activations of the models listed in VANISHING alive.

usage: fill_weights.py STRIPPED.onnx FILLED.onnx   (as ../shared/tools/fill_weights.py, which is
found beside the model's folder: MODELS/../tools)

Refilled from per-tensor statistics, a network whose batch normalizations were folded into its
convolutions loses the per-channel scales that kept its activations in range: MobileNetV3-small's
logits came out near 2e-9, and all zero in float16, so that comparing them with onnxruntime's
told nothing (any output under the absolute slack passed). In those models each convolution's
and Gemm's weight is rescaled to the variance that keeps its output's (He's: 2 / fan-in), its
random pattern kept: logits of magnitude 0.7 (float32) and 0.8 (float16).
The int8 QDQ export is not helped so (its refilled activation scales saturate): left as filled.
"""
import importlib.util, os, sys
import numpy as np
from onnx import numpy_helper
import onnx

VANISHING = ("mobilenet_v3_small.onnx", "mobilenet_v3_small.fp16.onnx")


def shared_filler(model_path):
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(model_path))), "tools", "fill_weights.py")
    spec = importlib.util.spec_from_file_location("shared_fill_weights", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rescale(model):
    inits = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type not in ("Conv", "Gemm") or len(node.input) < 2 or node.input[1] not in inits:
            continue
        t = inits[node.input[1]]
        w = numpy_helper.to_array(t)
        if node.op_type == "Conv":
            fan_in = int(np.prod(w.shape[1:]))
        else:
            trans_b = any(a.name == "transB" and a.i for a in node.attribute)
            fan_in = w.shape[1] if trans_b else w.shape[0]
        x = w.astype(np.float64)
        if x.std() > 0:
            x = (x - x.mean()) / x.std() * np.sqrt(2.0 / max(fan_in, 1))
            t.CopyFrom(numpy_helper.from_array(x.astype(w.dtype), t.name))
    return model


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model = shared_filler(sys.argv[1]).fill(onnx.load(sys.argv[1]))
    if os.path.basename(sys.argv[1]) in VANISHING:
        model = rescale(model)
    onnx.save(model, sys.argv[2])
