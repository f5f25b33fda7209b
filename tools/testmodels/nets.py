"""ResNet50 v1 and VGG16 in torchvision's layout, with seeded random weights, a fully connected layer too
wide for one WebGL texture, a 4-bit MLP stack as language models are shipped quantized to the web
(MatMulNBits), and ViTs as Hugging Face exports them.

The CNNs and ViTs are run once in numpy while being built: ResNet50's BatchNormalization statistics
are taken from that pass (so every BN really normalizes and activations stay near unit scale however
deep), and each checks that the logits come out finite and not constant.
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

    def statistics(self, x):
        """The convolution of the sample and its per-channel mean and variance."""
        y = conv2d(x, self.w, stride=self.stride, pad=self.pad)
        return y, y.mean(axis=(1, 2)), y.var(axis=(1, 2))

    def folded(self, x):
        """The weight and bias with the BatchNormalization folded in (as quantizers' pre-passes do)."""
        _, mean, var = self.statistics(x)
        factor = self.gamma / np.sqrt(var + EPS)
        return (self.w * factor[:, None, None, None]).astype(np.float32), (self.beta - mean * factor).astype(np.float32)

    def __call__(self, onnx_in, x):
        y, mean, var = self.statistics(x)
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


@model("vgg16", 13, "VGG16 (torchvision layout), Conv+bias+ReLU, Dropout in the classifier, random weights",
       bench_only=True)
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


@model("wide_fc", 13, "one fully connected layer whose weight (4100 x 4200 floats, 69 MB) is more than a WebGL "
       "texture of 2048 texels a side holds (64 MiB) but fits one of 4096: the WebGL texture-limit test")
def wide_fc(m):
    x = m.rng.uniform(0, 1, size=4200).astype(np.float32)
    w = he(m, [4100, 4200], gain=1.0)
    b = m.rng.normal(0, 0.01, size=4100).astype(np.float32)
    m.node("Gemm", [m.input("x", [1, 4200]), m.const(w, "fc.weight"), m.const(b, "fc.bias")], ["y"], transB=1)
    m.output("y", "y")
    check_logits("wide_fc", w @ x + b)


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


def erf(x):
    """Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): enough for the sample pass's sanity check."""
    t = 1 / (1 + 0.3275911 * np.abs(x))
    y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return np.sign(x) * y


def vit(m, depth, d, heads, classes):
    """A ViT with 16x16 patches of a 224x224 image (197 tokens with the class token), as Hugging Face's
    ViT exports: pre-LayerNorm blocks, separate q/k/v projections, scores divided by sqrt(head size), an
    exact (Erf) GELU MLP of 4d; the class token's LayerNorm-ed features classified. Returns nothing: it
    checks its logits on a random image in numpy."""
    x = m.input("pixel_values", [1, 3, 224, 224], -1, 1)
    sample = m.rng.uniform(-1, 1, size=(3, 224, 224)).astype(np.float32)
    head = d // heads

    def linear(h_onnx, h, n_in, n_out, gain=1.0):
        w = he(m, [n_out, n_in], gain).T.copy()
        b = m.rng.normal(0, 0.02, size=n_out).astype(np.float32)
        return m.node("Add", [m.node("MatMul", [h_onnx, m.const(w)]), m.const(b)]), h @ w + b

    def layer_norm(h_onnx, h):
        g = m.rng.uniform(0.8, 1.2, size=d).astype(np.float32)
        b = m.rng.normal(0, 0.02, size=d).astype(np.float32)
        mu, var = h.mean(-1, keepdims=True), h.var(-1, keepdims=True)
        return (m.node("LayerNormalization", [h_onnx, m.const(g), m.const(b)], axis=-1, epsilon=1e-12),
                (h - mu) / np.sqrt(var + 1e-12) * g + b)

    w_patch = he(m, [d, 3, 16, 16], 1.0)
    b_patch = m.rng.normal(0, 0.02, size=d).astype(np.float32)
    p = m.node("Conv", [x, m.const(w_patch), m.const(b_patch)], kernel_shape=[16, 16], strides=[16, 16])
    p = m.node("Transpose", [m.node("Reshape", [p, m.ints([1, d, 196])])], perm=[0, 2, 1])
    cls = m.rng.normal(0, 0.02, size=(1, 1, d)).astype(np.float32)
    pos = m.rng.normal(0, 0.02, size=(1, 197, d)).astype(np.float32)
    h_onnx = m.node("Add", [m.node("Concat", [m.const(cls), p], axis=1), m.const(pos)])
    h = np.concatenate([cls[0], conv2d(sample, w_patch, b_patch, 16).reshape(d, 196).T]) + pos[0]

    def split_heads(t_onnx, t, perm):
        t_onnx = m.node("Transpose", [m.node("Reshape", [t_onnx, m.ints([1, 197, heads, head])])], perm=perm)
        return t_onnx, t.reshape(197, heads, head).transpose(1, 0, 2)

    for _ in range(depth):
        n_onnx, n = layer_norm(h_onnx, h)
        (q_onnx, q), (k_onnx, k), (v_onnx, v) = [linear(n_onnx, n, d, d) for _ in range(3)]
        q_onnx, q = split_heads(q_onnx, q, [0, 2, 1, 3])
        k_onnx, k = split_heads(k_onnx, k, [0, 2, 3, 1])
        v_onnx, v = split_heads(v_onnx, v, [0, 2, 1, 3])
        s_onnx = m.node("Div", [m.node("MatMul", [q_onnx, k_onnx]), m.const(np.float32(np.sqrt(head)))])
        s = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(head))
        a_onnx = m.node("MatMul", [m.node("Softmax", [s_onnx], axis=-1), v_onnx])
        e = np.exp(s - s.max(-1, keepdims=True))
        a = (e / e.sum(-1, keepdims=True)) @ v
        a_onnx = m.node("Reshape", [m.node("Transpose", [a_onnx], perm=[0, 2, 1, 3]), m.ints([1, 197, d])])
        o_onnx, o = linear(a_onnx, a.transpose(1, 0, 2).reshape(197, d), d, d)
        h_onnx, h = m.node("Add", [h_onnx, o_onnx]), h + o
        n_onnx, n = layer_norm(h_onnx, h)
        u_onnx, u = linear(n_onnx, n, d, 4 * d, 2.0)
        g_onnx = m.node("Mul", [u_onnx, m.node("Add", [m.node("Erf", [m.node("Div", [u_onnx, m.const(np.float32(np.sqrt(2)))])]),
                                                       m.const(np.float32(1))])])
        g_onnx = m.node("Mul", [g_onnx, m.const(np.float32(0.5))])
        g = u * (erf(u / np.sqrt(2)) + 1) * 0.5
        o_onnx, o = linear(g_onnx, g, 4 * d, d)
        h_onnx, h = m.node("Add", [h_onnx, o_onnx]), h + o
    n_onnx, n = layer_norm(h_onnx, h)
    first = m.node("Gather", [n_onnx, m.const(np.int64(0))], axis=1)
    logits_onnx, logits = linear(first, n[0], d, classes)
    check_logits(m.name, logits)
    m.output(logits_onnx, "logits", shape=[1, classes])


@model("vit_b16", 17, "ViT-B/16 (12 blocks of 768 features, 12 heads, 86M weights) on a 224x224 image, for the "
       "benchmark's transformer row", bench_only=True)
def vit_b16(m):
    vit(m, 12, 768, 12, 1000)


@model("vit_tiny", 17, "ViT-B/16's graph at 2 blocks of 192 features, 3 heads: the same operators and 197 tokens "
       "for the tests")
def vit_tiny(m):
    vit(m, 2, 192, 3, 10)
