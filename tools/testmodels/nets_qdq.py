"""ResNet50 quantized to int8 as onnxruntime's static quantizer (QDQ format) writes it, for the
benchmark's quantized row: BatchNormalization folded into each Conv, int8 weights per output channel
(symmetric), int32 biases at scale input_scale * weight_scale, uint8 activations with a
QuantizeLinear/DequantizeLinear pair after every Conv, Add, pooling and the input. The ReLUs are gone,
as the quantizer removes them: a QuantizeLinear with zero point 0 clips at zero itself.

Activation ranges are calibrated on one sample image in numpy (the float net's values, as a
calibration pass sees them).
"""
import numpy as np

from .builder import model
from .nets import ConvBN, check_logits, conv2d, he, maxpool, relu


class Quantized:
    """The ONNX side: QDQ pairs and dequantized constants, ranges from the numpy pass."""

    def __init__(self, m):
        self.m = m

    def qdq(self, v, x):
        """QuantizeLinear + DequantizeLinear of `v` to uint8 over x's range (0 always inside it)."""
        lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
        scale = np.float32((hi - lo) / 255 or 1.0)
        zero = np.uint8(np.clip(np.round(-lo / scale), 0, 255))
        s, z = self.m.const(scale), self.m.const(zero)
        return self.m.node("DequantizeLinear", [self.m.node("QuantizeLinear", [v, s, z]), s, z]), float(scale)

    def weight(self, w, name):
        """int8 per output channel (axis 0), symmetric; returns the DequantizeLinear and the scales."""
        scale = (np.abs(w.reshape(w.shape[0], -1)).max(axis=1) / 127).astype(np.float32)
        q = np.clip(np.round(w / scale.reshape(-1, *[1] * (w.ndim - 1))), -127, 127).astype(np.int8)
        m = self.m
        dq = m.node("DequantizeLinear", [m.const(q, name + ".weight_quantized"), m.const(scale, name + ".weight_scale"),
                                         m.const(np.zeros(w.shape[0], np.int8))], axis=0)
        return dq, scale

    def bias(self, b, scale, name):
        m = self.m
        q = np.round(b / scale).astype(np.int32)
        return m.node("DequantizeLinear", [m.const(q, name + ".bias_quantized"), m.const(scale.astype(np.float32)),
                                           m.const(np.zeros(b.shape[0], np.int32))], axis=0)


def conv_bn(q, name, onnx_in, in_scale, x, cin, cout, k, stride, gamma_range, relu_after):
    """Conv + BatchNormalization folded, the BN statistics measured on the sample, then its QDQ pair."""
    m = q.m
    w, b = ConvBN(m, name, cin, cout, k, stride, gamma_range).folded(x)
    y = conv2d(x, w, b, stride=stride, pad=k // 2)
    if relu_after:
        y = relu(y)
    dq_w, w_scale = q.weight(w, name)
    c = m.node("Conv", [onnx_in, dq_w, q.bias(b, in_scale * w_scale, name)], kernel_shape=[k, k],
               strides=[stride] * 2, pads=[k // 2] * 4)
    out, scale = q.qdq(c, y)
    return out, scale, y


def bottleneck(q, name, h, scale, x, cin, width, stride):
    a, sa, ya = conv_bn(q, name + ".conv1", h, scale, x, cin, width, 1, 1, (0.5, 1.5), True)
    b, sb, yb = conv_bn(q, name + ".conv2", a, sa, ya, width, width, 3, stride, (0.5, 1.5), True)
    c, _, yc = conv_bn(q, name + ".conv3", b, sb, yb, width, width * 4, 1, 1, (0.2, 0.5), False)
    if stride != 1 or cin != width * 4:
        h, _, x = conv_bn(q, name + ".downsample", h, scale, x, cin, width * 4, 1, stride, (0.5, 1.0), False)
    y = relu(yc + x)
    out, s = q.qdq(q.m.node("Add", [c, h]), y)
    return out, s, y


@model("resnet50_qdq", 13, "ResNet50 v1 in int8 QDQ as onnxruntime's static quantizer writes it (BN folded, per-"
       "channel int8 weights, uint8 activations, ReLU in the quantization), random weights", bench_only=True)
def resnet50_qdq(m):
    q = Quantized(m)
    x = m.rng.uniform(0, 1, size=(3, 224, 224)).astype(np.float32)
    h, s = q.qdq(m.input("input", [1, 3, 224, 224]), x)
    h, s, x = conv_bn(q, "conv1", h, s, x, 3, 64, 7, 2, (0.5, 1.5), True)
    # MaxPool keeps its input's quantization, as the quantizer writes it.
    h, x = m.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), maxpool(x, 3, 2, 1)
    h, s = q.qdq(h, x)
    cin = 64
    for stage, (blocks, width) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512])):
        for i in range(blocks):
            h, s, x = bottleneck(q, f"layer{stage + 1}.{i}", h, s, x, cin, width, 2 if i == 0 and stage > 0 else 1)
            cin = width * 4
    x = x.mean(axis=(1, 2))
    h, s = q.qdq(m.node("Flatten", [m.node("GlobalAveragePool", [h])], axis=1), x)
    w = he(m, [1000, cin], gain=1.0)
    b = m.rng.normal(0, 0.01, size=1000).astype(np.float32)
    dq_w, w_scale = q.weight(w, "fc")
    logits = w @ x + b
    check_logits("resnet50_qdq", logits)
    # The quantizer quantizes the graph's output too.
    out, _ = q.qdq(m.node("Gemm", [h, dq_w, q.bias(b, s * w_scale, "fc")], transB=1), logits)
    m.output(out, "logits")
