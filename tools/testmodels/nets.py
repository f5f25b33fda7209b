"""ResNet50 v1 and VGG16 in torchvision's layout, with seeded random weights, and a 4-bit MLP
stack as language models are shipped quantized to the web (MatMulNBits).

Both are run once in numpy while being built: ResNet50's BatchNormalization statistics are taken
from that pass (so every BN really normalizes and activations stay near unit scale however deep),
and both check that the logits come out finite and not constant.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from .builder import MS, model
from .ops_quant import nbits_weight

EPS = 1e-5


def conv2d(x, w, b=None, stride=1, pad=0):
    """x [C,H,W], w [O,C,k,k] -> [O,H',W'] (batch 1 is all these nets need)."""
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    c, h, wd = x.shape
    k = w.shape[2]
    oh, ow = (h - k) // stride + 1, (wd - k) // stride + 1
    s = x.strides
    cols = as_strided(x, (c, k, k, oh, ow), (s[0], s[1], s[2], s[1] * stride, s[2] * stride))
    y = np.tensordot(w, cols, axes=([1, 2, 3], [0, 1, 2]))
    return y if b is None else y + b[:, None, None]


def maxpool(x, k, stride, pad):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    c, h, w = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    s = x.strides
    return as_strided(x, (c, oh, ow, k, k), (s[0], s[1] * stride, s[2] * stride, s[1], s[2])).max(axis=(3, 4))


def relu(x):
    return np.maximum(x, 0)


def he(m, shape, gain=2.0):
    """Normal weights with variance gain/fan_in: 2 keeps the scale through a ReLU."""
    fan_in = int(np.prod(shape[1:]))
    return m.rng.standard_normal(shape, dtype=np.float32) * np.float32(np.sqrt(gain / fan_in))


def check_logits(name, logits):
    if not np.all(np.isfinite(logits)) or np.std(logits) < 1e-3:
        raise ValueError(f"{name}: logits are not finite or nearly constant (std {np.std(logits)})")


class ConvBN:
    """Conv (no bias) + BatchNormalization, with the BN statistics measured on the sample."""

    def __init__(self, m, name, cin, cout, k, stride, gamma_range):
        self.m, self.name, self.stride, self.pad = m, name, stride, k // 2
        self.w = he(m, [cout, cin, k, k])
        self.gamma = m.rng.uniform(*gamma_range, size=cout).astype(np.float32)
        self.beta = m.rng.normal(0, 0.1, size=cout).astype(np.float32)

    def __call__(self, onnx_in, x):
        y = conv2d(x, self.w, stride=self.stride, pad=self.pad)
        mean, var = y.mean(axis=(1, 2)), y.var(axis=(1, 2))
        m, n = self.m, self.name
        c = m.node("Conv", [onnx_in, m.const(self.w, n + ".weight")], kernel_shape=list(self.w.shape[2:]),
                   strides=[self.stride] * 2, pads=[self.pad] * 4)
        params = [m.const(a, f"{n}.bn.{p}") for a, p in
                  [(self.gamma, "weight"), (self.beta, "bias"), (mean, "running_mean"), (var, "running_var")]]
        bn = m.node("BatchNormalization", [c] + params, epsilon=EPS)
        y = (y - mean[:, None, None]) / np.sqrt(var[:, None, None] + EPS) * self.gamma[:, None, None] \
            + self.beta[:, None, None]
        return bn, y.astype(np.float32)


def bottleneck(m, name, onnx_in, x, cin, width, stride):
    cout = width * 4
    a, ya = ConvBN(m, name + ".conv1", cin, width, 1, 1, (0.5, 1.5))(onnx_in, x)
    a, ya = m.node("Relu", [a]), relu(ya)
    b, yb = ConvBN(m, name + ".conv2", width, width, 3, stride, (0.5, 1.5))(a, ya)
    b, yb = m.node("Relu", [b]), relu(yb)
    # A small last gamma keeps the residual sum from growing block after block.
    c, yc = ConvBN(m, name + ".conv3", width, cout, 1, 1, (0.2, 0.5))(b, yb)
    if stride != 1 or cin != cout:
        skip, yskip = ConvBN(m, name + ".downsample", cin, cout, 1, stride, (0.5, 1.0))(onnx_in, x)
    else:
        skip, yskip = onnx_in, x
    return m.node("Relu", [m.node("Add", [c, skip])]), relu(yc + yskip)


@model("resnet50", 13, "ResNet50 v1 (torchvision layout), Conv + BatchNormalization, random weights")
def resnet50(m):
    image = m.rng.uniform(0, 1, size=(3, 224, 224)).astype(np.float32)
    h, y = ConvBN(m, "conv1", 3, 64, 7, 2, (0.5, 1.5))(m.input("input", [1, 3, 224, 224]), image)
    h, y = m.node("Relu", [h]), relu(y)
    h, y = m.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), maxpool(y, 3, 2, 1)
    cin = 64
    for stage, (blocks, width) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512])):
        for i in range(blocks):
            stride = 2 if i == 0 and stage > 0 else 1
            h, y = bottleneck(m, f"layer{stage + 1}.{i}", h, y, cin, width, stride)
            cin = width * 4
    h, y = m.node("Flatten", [m.node("GlobalAveragePool", [h])], axis=1), y.mean(axis=(1, 2))
    w = he(m, [1000, cin], gain=1.0)
    b = m.rng.normal(0, 0.01, size=1000).astype(np.float32)
    m.node("Gemm", [h, m.const(w, "fc.weight"), m.const(b, "fc.bias")], ["logits"], transB=1)
    m.output("logits", "logits")
    check_logits("resnet50", w @ y + b)


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


@model("vgg16", 13, "VGG16 (torchvision layout), Conv+bias+ReLU, Dropout in the classifier, random weights")
def vgg16(m):
    y = m.rng.uniform(0, 1, size=(3, 224, 224)).astype(np.float32)
    h, cin, n = m.input("input", [1, 3, 224, 224]), 3, 0
    for v in VGG16:
        if v == "M":
            h, y = m.node("MaxPool", [h], kernel_shape=[2, 2], strides=[2, 2]), maxpool(y, 2, 2, 0)
            continue
        w, b = he(m, [v, cin, 3, 3]), m.rng.normal(0, 0.05, size=v).astype(np.float32)
        conv = m.node("Conv", [h, m.const(w, f"features.{n}.weight"), m.const(b, f"features.{n}.bias")],
                      kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        h, y, cin, n = m.node("Relu", [conv]), relu(conv2d(y, w, b, pad=1)), v, n + 2
    h, y = m.node("Flatten", [h], axis=1), y.reshape(-1)
    sizes = [y.size, 4096, 4096, 1000]
    for i in range(3):
        w = he(m, [sizes[i + 1], sizes[i]], gain=2.0 if i < 2 else 1.0)
        b = m.rng.normal(0, 0.01, size=sizes[i + 1]).astype(np.float32)
        out = ["logits"] if i == 2 else 1
        h = m.node("Gemm", [h, m.const(w, f"classifier.{3 * i}.weight"), m.const(b, f"classifier.{3 * i}.bias")],
                   out, transB=1)
        y = w @ y + b
        if i < 2:
            h, y = m.node("Dropout", [m.node("Relu", [h])]), relu(y)
    m.output("logits", "logits")
    check_logits("vgg16", y)


@model("mlp_nbits", 17, "a transformer's MLP blocks in 4 bits as onnxruntime's quantizer writes them: 4 x "
       "(x + down(Relu(up(x)))) over [1, 128, 768], up/down com.microsoft MatMulNBits 768 <-> 3072, blocks of 32 "
       "with zero points, activations scaled by 1/sqrt(K)")
def mlp_nbits(m):
    d, hidden = 768, 3072
    x = m.input("x", [1, 128, d], -1, 1)
    for layer in range(4):
        def linear(h, K, N):
            w, scales, zp = nbits_weight(m, N, K, 32, True)
            y = m.node("MatMulNBits", [h, w, scales, zp], domain=MS, K=K, N=N, bits=4, block_size=32)
            return m.node("Mul", [y, m.const(np.float32(1 / np.sqrt(K)))])
        x = m.node("Add", [x, linear(m.node("Relu", [linear(x, d, hidden)]), hidden, d)])
    m.output(x, "y", shape=[1, 128, d])
