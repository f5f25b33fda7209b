"""Per-op models: linear quantization (QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear),
integer products (MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv, com.microsoft QLinearAdd
and MatMulNBits) and a QDQ-wrapped Conv as quantization tools write them.

The harness draws float inputs; integer tensors are made inside the graph (Floor, then Cast).
Rounding ties are made on purpose: x = floor(u) / 16 quantized with scale 1/8 lands on halves.

The int8 weights of the uint8 x int8 products are 7-bit (weight7): onnxruntime's kernel for them
on x86 CPUs without VNNI (AVX2) adds products in pairs in int16 and saturates past 32767
(255 * 128 * 2 is not representable), so with 8-bit weights the oracle itself is wrong on such a
host (op_MatMulInteger read 28618 where the sum is 19731); onnxruntime's quantizer keeps them
7-bit there for the same reason (reduce_range).
"""
import numpy as np

from .builder import FLOAT, INT8, INT32, MS, UINT8, model


def integers(m, name, shape, lo, hi, to):
    """An input drawn from [lo, hi), floored and cast to `to` (exact: whole numbers in range)."""
    return m.node("Cast", [m.node("Floor", [m.input(name, shape, lo, hi)])], to=to)


def weight7(m, shape):
    """Constant int8 weights in [-64, 64): see the module's note on onnxruntime's int16 pairs."""
    return m.const(m.rng.integers(-64, 64, size=shape).astype(np.int8))


def as_float(m, v):
    return m.node("Cast", [v], to=FLOAT)


@model("op_QuantizeLinear", 13, "QuantizeLinear to uint8, zero point 100: ties (halves) round to even, both ends "
       "saturate; and a scale that is not a power of two")
def quantize(m):
    u = m.node("Floor", [m.input("u", [4, 6, 10], -300, 300)])
    ties = m.node("Mul", [u, m.const(np.float32(1 / 16))])
    m.output(m.node("QuantizeLinear", [ties, m.const(np.float32(0.125)), m.const(np.uint8(100))]), "ties", UINT8)
    x = m.input("x", [4, 6, 10], -4, 4)
    y = m.node("QuantizeLinear", [x, m.const(np.float32(0.037)), m.const(np.uint8(128))])
    m.output(as_float(m, y), "y")


@model("op_QuantizeLinear_int8_axis", 13, "QuantizeLinear to int8 per channel (axis 1), ties and saturation")
def quantize_axis(m):
    u = m.node("Floor", [m.input("u", [2, 3, 4, 5], -300, 300)])
    x = m.node("Mul", [u, m.const(np.float32(1 / 16))])
    scale = m.const(np.array([0.125, 0.0625, 0.11], np.float32))
    zero = m.const(np.array([-10, 0, 7], np.int8))
    m.output(as_float(m, m.node("QuantizeLinear", [x, scale, zero], axis=1)), "y")


@model("op_QuantizeLinear_blocked", 21, "QuantizeLinear with blocks of 4 along axis 1 (opset 21), no zero point")
def quantize_blocked(m):
    x = m.input("x", [6, 10], -3, 3)
    scale = m.uniform([6, 3], 0.01, 0.03)
    y = m.node("QuantizeLinear", [x, scale], axis=1, block_size=4, output_dtype=INT8)
    m.output(as_float(m, y), "y", shape=[6, 10])


@model("op_DequantizeLinear", 13, "DequantizeLinear of uint8 per tensor, int8 per channel (axis 0) and int32 "
       "(a bias)")
def dequantize(m):
    q = integers(m, "q", [4, 6, 5], 0, 256, UINT8)
    m.output(m.node("DequantizeLinear", [q, m.const(np.float32(0.05)), m.const(np.uint8(131))]), "u8")
    s = integers(m, "s", [4, 6, 5], -127, 128, INT8)
    scale = m.uniform([4], 0.01, 0.1)
    zero = m.const(np.array([3, -5, 0, 12], np.int8))
    m.output(m.node("DequantizeLinear", [s, scale, zero], axis=0), "i8")
    b = integers(m, "b", [6], -100000, 100000, INT32)
    m.output(m.node("DequantizeLinear", [b, m.const(np.float32(0.0003))]), "i32")


@model("op_DequantizeLinear_blocked", 21, "DequantizeLinear of int8 in blocks of 4 along axis 1 (opset 21), "
       "10 columns: the last block is cut short")
def dequantize_blocked(m):
    q = integers(m, "q", [6, 10], -127, 128, INT8)
    scale, zero = m.uniform([6, 3], 0.01, 0.1), m.const(m.rng.integers(-8, 8, size=[6, 3]).astype(np.int8))
    m.output(m.node("DequantizeLinear", [q, scale, zero], axis=1, block_size=4), "y", shape=[6, 10])


def dynamic_quantize(lo, hi):
    def build(m):
        y, scale, zero = m.node("DynamicQuantizeLinear", [m.input("x", [3, 7, 5], lo, hi)], outputs=["q", "s", "z"])
        m.output(y, "q", UINT8)
        m.output(scale, "s")
        m.output(zero, "z", UINT8)
    return build


model("op_DynamicQuantizeLinear", 11, "DynamicQuantizeLinear over [-2, 3): its uint8 values, scale and zero point")(
    dynamic_quantize(-2, 3))
model("op_DynamicQuantizeLinear_positive", 11, "DynamicQuantizeLinear of positive values: min is 0, zero point 0")(
    dynamic_quantize(0.5, 4))


@model("op_MatMulInteger", 10, "MatMulInteger uint8 [2,5,12] x int8 [12,7] with A's zero point 128 and one zero "
       "point per column of B; the int32 product as it is")
def matmul_integer(m):
    a = integers(m, "a", [2, 5, 12], 0, 256, UINT8)
    b = weight7(m, [12, 7])
    zb = m.const(m.rng.integers(-4, 4, size=[7]).astype(np.int8))
    m.output(m.node("MatMulInteger", [a, b, m.const(np.uint8(128)), zb]), "y", INT32)


@model("op_MatMulInteger_dynamic", 11, "the dynamic quantization of a linear layer (onnxruntime's quantize_dynamic): "
       "DynamicQuantizeLinear, MatMulInteger by int8 weights, Cast, times both scales, plus a bias")
def matmul_integer_dynamic(m):
    x = m.input("x", [2, 6, 16], -1, 1)
    q, scale, zero = m.node("DynamicQuantizeLinear", [x], outputs=3)
    w = weight7(m, [16, 8])
    y = m.node("MatMulInteger", [q, w, zero, m.const(np.int8(0))])
    scales = m.node("Mul", [scale, m.const(np.float32(0.0123))])
    y = m.node("Mul", [m.node("Cast", [y], to=FLOAT), scales])
    m.output(m.node("Add", [y, m.uniform([8])]), "y")


@model("op_QDQ_Conv", 13, "a QDQ Conv as onnxruntime's static quantization writes it: uint8 activations, int8 "
       "weights per output channel, an int32 bias, Relu between quantize/dequantize pairs")
def qdq_conv(m):
    def qdq(v, scale, zero):
        s, z = m.const(np.float32(scale)), m.const(np.uint8(zero))
        return m.node("DequantizeLinear", [m.node("QuantizeLinear", [v, s, z]), s, z])
    x = qdq(m.input("x", [1, 4, 8, 8], -1, 1), 2 / 255, 128)
    w_scale = m.uniform([6], 0.002, 0.004)
    w = m.node("DequantizeLinear", [m.const(m.rng.integers(-127, 128, size=[6, 4, 3, 3]).astype(np.int8)), w_scale,
                                    m.const(np.zeros(6, np.int8))], axis=0)
    bias = m.node("DequantizeLinear", [m.const(m.rng.integers(-500, 500, size=[6]).astype(np.int32)),
                                       m.const(np.full(6, 1e-4, np.float32)), m.const(np.zeros(6, np.int32))], axis=0)
    y = qdq(m.node("Conv", [x, w, bias], pads=[1, 1, 1, 1]), 0.02, 120)
    y = qdq(m.node("Relu", [y]), 0.01, 0)
    m.output(y, "y")


@model("op_QDQ_MatMul_Gemm", 13, "a QDQ transformer projection (MatMul of [2, 5, 24] by int8 weights per column, "
       "bias added) and a QDQ classifier (Gemm transB with int8 weights per row, an int32 bias), as onnxruntime's "
       "static quantization writes them")
def qdq_matmul_gemm(m):
    def qdq(v, scale, zero):
        s, z = m.const(np.float32(scale)), m.const(np.uint8(zero))
        return m.node("DequantizeLinear", [m.node("QuantizeLinear", [v, s, z]), s, z])

    def weight(shape, axis):
        n = shape[axis]
        return m.node("DequantizeLinear", [m.const(m.rng.integers(-127, 128, size=shape).astype(np.int8)),
                                           m.uniform([n], 0.002, 0.004), m.const(np.zeros(n, np.int8))], axis=axis)
    x = qdq(m.input("x", [2, 5, 24], -1, 1), 2 / 255, 128)
    h = qdq(m.node("Add", [m.node("MatMul", [x, weight([24, 10], 1)]), m.uniform([10])]), 0.02, 120)
    m.output(h, "h")
    bias = m.node("DequantizeLinear", [m.const(m.rng.integers(-500, 500, size=[7]).astype(np.int32)),
                                       m.const(np.full(7, 1e-4, np.float32)), m.const(np.zeros(7, np.int32))], axis=0)
    flat = qdq(m.node("Flatten", [h], axis=1), 0.02, 120)
    m.output(qdq(m.node("Gemm", [flat, weight([7, 50], 0), bias], transB=1), 0.05, 128), "y")


@model("op_ConvInteger", 10, "ConvInteger uint8 x int8 with zero points 120 and 3, pads 1, stride 2")
def conv_integer(m):
    x = integers(m, "x", [1, 3, 7, 7], 0, 256, UINT8)
    w = weight7(m, [4, 3, 3, 3])
    y = m.node("ConvInteger", [x, w, m.const(np.uint8(120)), m.const(np.int8(3))], pads=[1, 1, 1, 1], strides=[2, 2])
    m.output(y, "y", INT32)


@model("op_QLinearConv", 10, "QLinearConv uint8 with int8 weights per output channel and an int32 bias, group 2")
def qlinear_conv(m):
    x = integers(m, "x", [1, 4, 6, 6], 0, 256, UINT8)
    w = weight7(m, [6, 2, 3, 3])
    w_scale = m.uniform([6], 0.002, 0.01)
    bias = m.const(m.rng.integers(-2000, 2000, size=[6]).astype(np.int32))
    y = m.node("QLinearConv", [x, m.const(np.float32(0.02)), m.const(np.uint8(128)), w, w_scale,
                               m.const(np.zeros(6, np.int8)), m.const(np.float32(0.05)), m.const(np.uint8(100)), bias],
               pads=[1, 1, 1, 1], group=2)
    m.output(as_float(m, y), "y")


@model("op_QLinearMatMul", 10, "QLinearMatMul uint8 [2,5,16] x uint8 [16,6] into uint8, every zero point set")
def qlinear_matmul(m):
    a = integers(m, "a", [2, 5, 16], 0, 256, UINT8)
    b = m.const(m.rng.integers(0, 256, size=[16, 6]).astype(np.uint8))
    y = m.node("QLinearMatMul", [a, m.const(np.float32(0.03)), m.const(np.uint8(110)), b, m.const(np.float32(0.004)),
                                 m.const(np.uint8(130)), m.const(np.float32(0.2)), m.const(np.uint8(90))])
    m.output(as_float(m, y), "y")


@model("op_ms_QLinearAdd", 10, "com.microsoft QLinearAdd of uint8 tensors, B broadcast along the last axis")
def qlinear_add(m):
    a = integers(m, "a", [3, 4, 8], 0, 256, UINT8)
    b = integers(m, "b", [8], 0, 256, UINT8)
    y = m.node("QLinearAdd", [a, m.const(np.float32(0.05)), m.const(np.uint8(120)), b, m.const(np.float32(0.03)),
                              m.const(np.uint8(100)), m.const(np.float32(0.07)), m.const(np.uint8(128))], domain=MS)
    m.output(as_float(m, y), "y", shape=[3, 4, 8])


def nbits_weight(m, N, K, block, zero_points):
    """W [N, K] quantized to 4 bits in blocks along K: packed bytes, scales and (packed) zero points."""
    blocks = -(-K // block)
    w = m.rng.uniform(-1, 1, size=[N, blocks * block]).astype(np.float32)
    w = w.reshape(N, blocks, block)
    lo, hi = w.min(axis=2), w.max(axis=2)
    scale = ((hi - lo) / 15).astype(np.float32)
    zero = np.clip(np.round(-lo / scale), 0, 15).astype(np.uint8) if zero_points else np.full([N, blocks], 8, np.uint8)
    q = np.clip(np.round(w / scale[:, :, None]) + zero[:, :, None], 0, 15).astype(np.uint8)
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
    zp = zero if blocks % 2 == 0 else np.concatenate([zero, np.zeros([N, 1], np.uint8)], axis=1)
    zp = (zp[:, 0::2] | (zp[:, 1::2] << 4)).astype(np.uint8).reshape(-1)
    return m.const(packed), m.const(scale.reshape(-1)), m.const(zp) if zero_points else ""


def matmul_nbits(K, N, block, zero_points, bias, rows):
    def build(m):
        a = m.input("a", rows + [K], -1, 1)
        b, scales, zp = nbits_weight(m, N, K, block, zero_points)
        inputs = [a, b, scales, zp]
        if bias:
            inputs += ["", m.uniform([N])]
        y = m.node("MatMulNBits", inputs, domain=MS, K=K, N=N, bits=4, block_size=block)
        m.output(y, "y", shape=rows + [N])
    return build


model("op_ms_MatMulNBits", 17, "com.microsoft MatMulNBits 4-bit, blocks of 32 with zero points, a bias")(
    matmul_nbits(96, 20, 32, True, True, [2, 3]))
model("op_ms_MatMulNBits_16_symmetric", 17, "MatMulNBits 4-bit, blocks of 16 without zero points (8), K = 40 "
      "(the last block cut short)")(matmul_nbits(40, 12, 16, False, False, [5]))
model("op_ms_MatMulNBits_256", 17, "MatMulNBits 4-bit, one block of 256 per row of W, zero points, 3 blocks "
      "(packed zero points with a padding nibble)")(matmul_nbits(768, 8, 256, True, False, [1, 2]))
