"""Per-op models: convolutions, pools, normalizations, matrix products, softmax, reductions."""
import numpy as np

from .builder import FLOAT16, INT64, model


def conv_weight(m, shape):
    fan_in = int(np.prod(shape[1:]))
    return m.uniform(shape, -1.0 / np.sqrt(fan_in), 1.0 / np.sqrt(fan_in))


@model("op_Conv", 13, "Conv 3x3, pads 1, with bias")
def conv(m):
    x = m.input("x", [1, 4, 8, 8], -1, 1)
    m.output(m.node("Conv", [x, conv_weight(m, [6, 4, 3, 3]), m.uniform([6])], pads=[1, 1, 1, 1]), "y")


@model("op_Conv_stride_pads", 13, "Conv with a 3x2 kernel, strides [2,1], asymmetric pads, batch 2, no bias")
def conv_stride(m):
    x = m.input("x", [2, 3, 9, 7], -1, 1)
    m.output(m.node("Conv", [x, conv_weight(m, [5, 3, 3, 2])], strides=[2, 1], pads=[1, 0, 2, 1]), "y")


@model("op_Conv_group_dilation", 13, "Conv with group 2, dilation 2, pads 2")
def conv_group(m):
    x = m.input("x", [1, 6, 9, 9], -1, 1)
    w, b = conv_weight(m, [4, 3, 3, 3]), m.uniform([4])
    m.output(m.node("Conv", [x, w, b], group=2, dilations=[2, 2], pads=[2, 2, 2, 2]), "y")


@model("op_Conv_depthwise", 13, "depthwise Conv (group = channels), stride 2, like MobileNet")
def conv_dw(m):
    x = m.input("x", [1, 8, 8, 8], -1, 1)
    w, b = conv_weight(m, [8, 1, 3, 3]), m.uniform([8])
    m.output(m.node("Conv", [x, w, b], group=8, strides=[2, 2], pads=[1, 1, 1, 1]), "y")


@model("op_Conv_same_upper", 13, "Conv with auto_pad SAME_UPPER and stride 2 on an odd size")
def conv_same(m):
    x = m.input("x", [1, 3, 7, 7], -1, 1)
    m.output(m.node("Conv", [x, conv_weight(m, [4, 3, 3, 3])], auto_pad="SAME_UPPER", strides=[2, 2]), "y")


@model("op_Conv_1d", 13, "1-D Conv (input [N,C,W])")
def conv_1d(m):
    x = m.input("x", [1, 4, 20], -1, 1)
    m.output(m.node("Conv", [x, conv_weight(m, [6, 4, 3]), m.uniform([6])], pads=[1, 1]), "y")


@model("op_ConvTranspose", 13, "ConvTranspose stride 2, pads 1, output_padding 1, bias")
def convt(m):
    x = m.input("x", [1, 4, 5, 5], -1, 1)
    w, b = conv_weight(m, [4, 3, 3, 3]), m.uniform([3])
    m.output(m.node("ConvTranspose", [x, w, b], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]), "y")


@model("op_ConvTranspose_group_dilation", 13, "ConvTranspose with group 2, dilation 2, asymmetric pads")
def convt_group(m):
    x = m.input("x", [1, 4, 4, 5], -1, 1)
    w = conv_weight(m, [4, 2, 3, 3])
    m.output(m.node("ConvTranspose", [x, w], group=2, dilations=[2, 2], pads=[1, 0, 0, 2]), "y")


@model("op_MaxPool", 12, "MaxPool 3x3 stride 2 pads 1 (ResNet stem)")
def maxpool(m):
    m.output(m.node("MaxPool", [m.input("x", [1, 4, 9, 9], -2, 2)], kernel_shape=[3, 3], strides=[2, 2],
                    pads=[1, 1, 1, 1]), "y")


@model("op_MaxPool_ceil", 12, "MaxPool 2x2 stride 2 with ceil_mode on an odd size")
def maxpool_ceil(m):
    m.output(m.node("MaxPool", [m.input("x", [1, 3, 7, 7], -2, 2)], kernel_shape=[2, 2], strides=[2, 2],
                    ceil_mode=1), "y")


@model("op_MaxPool_dilation", 12, "MaxPool with a 3x2 kernel, dilation [2,1], strides [1,2], asymmetric pads")
def maxpool_dil(m):
    m.output(m.node("MaxPool", [m.input("x", [2, 3, 8, 9], -2, 2)], kernel_shape=[3, 2], dilations=[2, 1],
                    strides=[1, 2], pads=[1, 0, 1, 1]), "y")


@model("op_AveragePool_exclude_pad", 11, "AveragePool 3x3 stride 2 pads 1, padding not counted")
def avgpool(m):
    m.output(m.node("AveragePool", [m.input("x", [1, 4, 9, 9], -2, 2)], kernel_shape=[3, 3], strides=[2, 2],
                    pads=[1, 1, 1, 1]), "y")


@model("op_AveragePool_include_pad", 11, "AveragePool 3x3 stride 2 pads 1 with count_include_pad=1")
def avgpool_inc(m):
    m.output(m.node("AveragePool", [m.input("x", [1, 4, 9, 9], -2, 2)], kernel_shape=[3, 3], strides=[2, 2],
                    pads=[1, 1, 1, 1], count_include_pad=1), "y")


@model("op_AveragePool_ceil", 13, "AveragePool 3x3 stride 2 with ceil_mode (last window overhangs)")
def avgpool_ceil(m):
    m.output(m.node("AveragePool", [m.input("x", [1, 3, 8, 8], -2, 2)], kernel_shape=[3, 3], strides=[2, 2],
                    ceil_mode=1), "y")


@model("op_GlobalAveragePool", 13, "GlobalAveragePool")
def gap(m):
    m.output(m.node("GlobalAveragePool", [m.input("x", [2, 5, 6, 7], -2, 2)]), "y")


@model("op_GlobalMaxPool", 13, "GlobalMaxPool")
def gmp(m):
    m.output(m.node("GlobalMaxPool", [m.input("x", [2, 5, 6, 7], -2, 2)]), "y")


def batchnorm(opset):
    def build(m):
        c = 4
        params = [m.uniform([c], 0.5, 1.5), m.uniform([c], -0.5, 0.5), m.uniform([c], -0.5, 0.5),
                  m.uniform([c], 0.2, 2.0)]
        m.output(m.node("BatchNormalization", [m.input("x", [2, c, 5, 6], -2, 2)] + params, epsilon=1e-3), "y")
    return build


model("op_BatchNormalization_9", 9, "BatchNormalization-9 (inference)")(batchnorm(9))
model("op_BatchNormalization_15", 15, "BatchNormalization-15 (inference)")(batchnorm(15))


@model("op_InstanceNormalization", 7, "InstanceNormalization with scale and bias")
def instnorm(m):
    x = m.input("x", [2, 4, 5, 6], -2, 2)
    m.output(m.node("InstanceNormalization", [x, m.uniform([4], 0.5, 1.5), m.uniform([4])], epsilon=1e-5), "y")


@model("op_LayerNormalization", 17, "LayerNormalization-17 over the last axis with scale and bias")
def layernorm(m):
    x = m.input("x", [2, 4, 5, 6], -2, 2)
    m.output(m.node("LayerNormalization", [x, m.uniform([6], 0.5, 1.5), m.uniform([6])], epsilon=1e-5), "y")


@model("op_LayerNormalization_axis1", 17, "LayerNormalization-17 over axes 1..3, scale only")
def layernorm_axis1(m):
    x = m.input("x", [2, 4, 5, 6], -2, 2)
    m.output(m.node("LayerNormalization", [x, m.uniform([4, 5, 6], 0.5, 1.5)], axis=1), "y")


@model("op_LayerNormalization_channels_last", 20, "a ConvNeXt block: depthwise Conv, Transpose to [N,H,W,C], "
       "LayerNorm, MatMul, Gelu, MatMul, Transpose back, residual Add, Conv (wasm: the transposes move no data)")
def layernorm_channels_last(m):
    x = m.node("Conv", [m.input("x", [1, 3, 7, 6], -1, 1), conv_weight(m, [8, 3, 3, 3])], pads=[1, 1, 1, 1])
    d = m.node("Conv", [x, conv_weight(m, [8, 1, 7, 7])], pads=[3, 3, 3, 3], group=8)
    h = m.node("LayerNormalization", [m.node("Transpose", [d], perm=[0, 2, 3, 1]), m.uniform([8], 0.5, 1.5),
                                      m.uniform([8])], epsilon=1e-6)
    h = m.node("Gelu", [m.node("MatMul", [h, m.uniform([8, 32], -0.35, 0.35)])])
    h = m.node("MatMul", [h, m.uniform([32, 8], -0.18, 0.18)])
    r = m.node("Add", [m.node("Transpose", [h], perm=[0, 3, 1, 2]), x])
    m.output(m.node("Conv", [r, conv_weight(m, [4, 8, 1, 1])]), "y", shape=[1, 4, 7, 6])


@model("op_LRN", 13, "LRN size 3 (onnxruntime accepts odd sizes only)")
def lrn(m):
    m.output(m.node("LRN", [m.input("x", [1, 6, 5, 5], -2, 2)], size=3, alpha=0.5, beta=0.75, bias=1.0), "y")


@model("op_Gemm", 13, "Gemm with transB=1 and a bias [N]")
def gemm(m):
    a = m.input("a", [3, 20], -1, 1)
    m.output(m.node("Gemm", [a, m.uniform([8, 20]), m.uniform([8])], transB=1), "y")


@model("op_Gemm_transA_alpha_beta", 13, "Gemm with transA=1, alpha 0.5, beta 2, C [M,N]")
def gemm_ta(m):
    a = m.input("a", [20, 3], -1, 1)
    m.output(m.node("Gemm", [a, m.uniform([20, 8]), m.uniform([3, 8])], transA=1, alpha=0.5, beta=2.0), "y")


@model("op_Gemm_no_bias", 13, "Gemm of two inputs without C")
def gemm_nc(m):
    m.output(m.node("Gemm", [m.input("a", [3, 20], -1, 1), m.input("b", [20, 8], -1, 1)]), "y")


@model("op_MatMul", 13, "MatMul [6,20] x constant [20,7]")
def matmul(m):
    m.output(m.node("MatMul", [m.input("a", [6, 20], -1, 1), m.uniform([20, 7])]), "y")


@model("op_MatMul_batched", 13, "MatMul of two batched inputs [2,3,10] x [2,10,4]")
def matmul_b(m):
    m.output(m.node("MatMul", [m.input("a", [2, 3, 10], -1, 1), m.input("b", [2, 10, 4], -1, 1)]), "y")


@model("op_MatMul_broadcast", 13, "MatMul broadcasting batch dims [2,1,4,8] x [3,8,5]")
def matmul_bc(m):
    m.output(m.node("MatMul", [m.input("a", [2, 1, 4, 8], -1, 1), m.input("b", [3, 8, 5], -1, 1)]), "y")


@model("op_MatMul_vector", 13, "MatMul of a 1-D vector [10] with [10,6]")
def matmul_vec(m):
    m.output(m.node("MatMul", [m.input("a", [10], -1, 1), m.input("b", [10, 6], -1, 1)]), "y")


@model("op_Softmax_11", 11, "Softmax-11 axis=1 on 4-D: normalizes over the flattened C*H*W")
def softmax11(m):
    m.output(m.node("Softmax", [m.input("x", [2, 3, 4, 5], -3, 3)], axis=1), "y")


@model("op_Softmax_13", 13, "Softmax-13 axis=1 on 4-D: normalizes over C only")
def softmax13(m):
    m.output(m.node("Softmax", [m.input("x", [2, 3, 4, 5], -3, 3)], axis=1), "y")


@model("op_Softmax_13_default", 13, "Softmax-13 with the default axis (-1)")
def softmax13d(m):
    m.output(m.node("Softmax", [m.input("x", [2, 3, 4, 5], -3, 3)]), "y")


@model("op_ArgMax", 13, "ArgMax axis 1 without keepdims, and axis -1 with keepdims (int64 outputs)")
def argmax(m):
    x = m.input("x", [2, 6, 4, 5], -2, 2)
    m.output(m.node("ArgMax", [x], axis=1, keepdims=0), "axis1", INT64)
    m.output(m.node("ArgMax", [x], axis=-1), "last", INT64)


@model("op_TopK_9", 9, "TopK-1 (opset 9): k=3 as an attribute, last axis")
def topk1(m):
    values, indices = m.node("TopK", [m.input("x", [2, 3, 7], -2, 2)], 2, k=3)
    m.output(values, "values")
    m.output(indices, "indices", INT64)


@model("op_TopK_11_smallest_ties", 11, "TopK-11: the 4 smallest along axis 1 of values rounded to halves (ties: lower index first)")
def topk11(m):
    x = m.node("Div", [m.node("Floor", [m.node("Mul", [m.input("x", [2, 9, 3], -2, 2), m.const(np.float32(2))])]),
                       m.const(np.float32(2))])
    values, indices = m.node("TopK", [x, m.ints([4])], 2, axis=1, largest=0)
    m.output(values, "values")
    m.output(indices, "indices", INT64)


@model("op_TopK_13_k_from_shape", 13, "TopK-13: k = min(5, the axis length) computed from Shape, axis 0")
def topk13(m):
    x = m.input("x", [12, 2], -2, 2)
    n = m.node("Gather", [m.node("Shape", [x]), m.ints([0])], axis=0)
    k = m.node("Min", [n, m.ints([5])])
    values, indices = m.node("TopK", [x, k], 2, axis=0)
    m.output(values, "values")
    m.output(indices, "indices", INT64)


@model("op_TopK_value_k", 13, "TopK-13 whose k is computed from the values: the count of positives in x's first "
       "row (a data-dependent size), along axis 1; the values then summed")
def topk_value_k(m):
    x = m.input("x", [3, 8], -2, 2)
    first = m.node("Slice", [x, m.ints([0]), m.ints([1]), m.ints([0])])
    positives = m.node("Cast", [m.node("Greater", [first, m.const(np.float32(0))])], to=INT64)
    k = m.node("Reshape", [m.node("ReduceSum", [positives, m.ints([0, 1])], keepdims=1), m.ints([1])])
    values, indices = m.node("TopK", [x, k], 2, axis=1)
    m.output(values, "values")
    m.output(indices, "indices", INT64)
    m.output(m.node("ReduceSum", [values, m.ints([1])], keepdims=0), "sums")


@model("op_half_io", 13, "float16 input, weights and output (a model exported in half precision), and the input Cast to float")
def half_io(m):
    x = m.input("x", [2, 3, 4], -4, 4, dtype=FLOAT16)
    y = m.node("Add", [m.node("Mul", [x, m.const(np.array([1.5, -2, 0.25, 3], np.float16))]),
                       m.const(np.float16(0.1))])
    m.output(y, "y16", FLOAT16)
    # Computed in float32, y16 may differ from onnxruntime's float16 arithmetic by a rounding; the
    # input itself is exact.
    m.output(m.node("Cast", [x], to=1), "x32")


RSHAPE = [2, 4, 5, 6]


def reduce_attr(op, axes, keepdims):
    def build(m):
        attrs = {"keepdims": keepdims} if keepdims is not None else {}
        if axes is not None:
            attrs["axes"] = axes
        m.output(m.node(op, [m.input("x", RSHAPE, -2, 2)], **attrs), "y")
    return build


def reduce_input(op, axes, keepdims, out_shape=None):
    def build(m):
        attrs = {"keepdims": keepdims}
        ins = [m.input("x", RSHAPE, -2, 2)] + ([m.ints(axes)] if axes is not None else [])
        m.output(m.node(op, ins, **attrs), "y", shape=out_shape)
    return build


model("op_ReduceMean_13", 13, "ReduceMean-13, axes attribute [2,3], keepdims")(reduce_attr("ReduceMean", [2, 3], 1))
model("op_ReduceMean_18", 18, "ReduceMean-18, axes input [-1], no keepdims")(
    reduce_input("ReduceMean", [-1], 0, [2, 4, 5]))
model("op_ReduceMax_13", 13, "ReduceMax-13, axes attribute [-1], no keepdims")(reduce_attr("ReduceMax", [-1], 0))
model("op_ReduceMax_18", 18, "ReduceMax-18, axes input [1,3], keepdims")(
    reduce_input("ReduceMax", [1, 3], 1, [2, 1, 5, 1]))
model("op_ReduceMin_13", 13, "ReduceMin-13 without axes: reduces everything")(reduce_attr("ReduceMin", None, None))
model("op_ReduceMin_18", 18, "ReduceMin-18, axes input [0,2], no keepdims")(
    reduce_input("ReduceMin", [0, 2], 0, [4, 6]))
model("op_ReduceSum_11", 11, "ReduceSum-11, axes attribute [1], keepdims")(reduce_attr("ReduceSum", [1], 1))
model("op_ReduceSum_13", 13, "ReduceSum-13, axes input [-2,1], no keepdims")(reduce_input("ReduceSum", [-2, 1], 0))
model("op_ReduceSum_13_all", 13, "ReduceSum-13 with no axes input: reduces everything")(
    reduce_input("ReduceSum", None, 1))
