"""Per-op models: the activations, normalizations and position ops of transformer and detector exports,
ONNX's and onnxruntime's contrib ones (com.microsoft) that its transformer optimizer writes.

Integer inputs are drawn as floats and cast inside the graph (the harness draws float32 uniformly).
"""
import numpy as np

from .builder import FLOAT, INT32, INT64, MS, UINT8, model

SHAPE = [4, 6, 10]


def activation(op, lo, hi, opset_shape=None, domain="", **attrs):
    def build(m):
        y = m.node(op, [m.input("x", SHAPE, lo, hi)], domain=domain, **attrs)
        m.output(y, "y", shape=opset_shape)
    return build


model("op_Mish", 18, "Mish on [-6, 6)")(activation("Mish", -6, 6, SHAPE))
model("op_Celu", 12, "Celu with alpha 0.8 on [-4, 4)")(activation("Celu", -4, 4, alpha=0.8))
model("op_ThresholdedRelu", 10, "ThresholdedRelu with alpha 0.4 on [-2, 2)")(
    activation("ThresholdedRelu", -2, 2, alpha=0.4))
model("op_Shrink", 9, "Shrink with lambd 0.6, bias 0.2 on [-2, 2)")(activation("Shrink", -2, 2, lambd=0.6, bias=0.2))
model("op_Shrink_default", 9, "Shrink with its defaults (lambd 0.5, bias 0: hard shrink)")(activation("Shrink", -2, 2))
model("op_ms_Gelu", 17, "com.microsoft Gelu (erf form)")(activation("Gelu", -4, 4, SHAPE, MS))
model("op_ms_FastGelu_no_bias", 17, "com.microsoft FastGelu without its bias input")(
    activation("FastGelu", -4, 4, SHAPE, MS))
model("op_ms_QuickGelu", 17, "com.microsoft QuickGelu with alpha 1.5")(activation("QuickGelu", -5, 5, SHAPE, MS, alpha=1.5))


@model("op_ms_FastGelu", 17, "com.microsoft FastGelu with a bias along the last axis")
def fast_gelu(m):
    m.output(m.node("FastGelu", [m.input("x", SHAPE, -4, 4), m.uniform([10])], domain=MS), "y", shape=SHAPE)


@model("op_ms_BiasGelu", 17, "com.microsoft BiasGelu: Gelu (erf) of x + bias")
def bias_gelu(m):
    m.output(m.node("BiasGelu", [m.input("x", SHAPE, -4, 4), m.uniform([10])], domain=MS), "y", shape=SHAPE)


# com.microsoft BiasAdd has no CPU kernel in onnxruntime, so no oracle here: the unit tests
# (tests/unit/transformer_ops_test.cc) check it on hand values.


def bitwise(dtype, lo, hi, b_shape):
    def build(m):
        a = m.node("Cast", [m.input("a", SHAPE, lo, hi)], to=dtype)
        b = m.node("Cast", [m.input("b", b_shape, lo, hi)], to=dtype)
        for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"]:
            m.output(m.node("Cast", [m.node(op, [a, b])], to=FLOAT), op, shape=SHAPE)
        m.output(m.node("Cast", [m.node("BitwiseNot", [a])], to=FLOAT), "BitwiseNot", shape=SHAPE)
    return build


model("op_Bitwise_int32", 18, "BitwiseAnd/Or/Xor/Not on int32 of both signs, b broadcast [6,10]")(
    bitwise(INT32, -300, 300, [6, 10]))
model("op_Bitwise_int64", 18, "BitwiseAnd/Or/Xor/Not on int64, b broadcast [6,1]")(bitwise(INT64, -5000, 5000, [6, 1]))
model("op_Bitwise_uint8", 18, "BitwiseAnd/Or/Xor/Not on uint8 (Not is 255 - x)")(bitwise(UINT8, 0, 255.99, [10]))


@model("op_RMSNormalization", 23, "RMSNormalization (opset 23) over the last axis of [2,5,8]")
def rms_norm(m):
    y = m.node("RMSNormalization", [m.input("x", [2, 5, 8], -2, 2), m.uniform([8], 0.5, 1.5)])
    m.output(y, "y", shape=[2, 5, 8])


@model("op_RMSNormalization_axis", 23, "RMSNormalization over the last two axes (axis -2), epsilon 1e-3")
def rms_norm_axis(m):
    y = m.node("RMSNormalization", [m.input("x", [3, 5, 4], -2, 2), m.uniform([5, 4], 0.5, 1.5)], axis=-2,
               epsilon=1e-3)
    m.output(y, "y", shape=[3, 5, 4])


@model("op_SimplifiedLayerNormalization", 18, "onnxruntime's SimplifiedLayerNormalization (default domain) "
       "with its inv_std_var output")
def simplified_ln(m):
    y, inv = m.node("SimplifiedLayerNormalization", [m.input("x", [2, 5, 8], -2, 2), m.uniform([8], 0.5, 1.5)],
                    outputs=["y", "inv"], epsilon=1e-5)
    m.output(y, "y", shape=[2, 5, 8])
    m.output(inv, "inv", shape=[2, 5, 1])


@model("op_ms_SkipLayerNormalization", 17, "com.microsoft SkipLayerNormalization with beta, bias and the "
       "input+skip+bias sum output")
def skip_ln(m):
    x, skip = m.input("x", [2, 4, 8], -2, 2), m.input("skip", [2, 4, 8], -2, 2)
    gamma, beta, bias = m.uniform([8], 0.5, 1.5), m.uniform([8]), m.uniform([8])
    y, _, _, s = m.node("SkipLayerNormalization", [x, skip, gamma, beta, bias], outputs=["y", "", "", "sum"],
                        domain=MS, epsilon=1e-5)
    m.output(y, "y", shape=[2, 4, 8])
    m.output(s, "sum", shape=[2, 4, 8])


@model("op_ms_SkipLayerNormalization_gamma_only", 17, "com.microsoft SkipLayerNormalization without beta or "
       "bias, default epsilon, one output")
def skip_ln_gamma(m):
    x, skip = m.input("x", [2, 4, 8], -2, 2), m.input("skip", [2, 4, 8], -2, 2)
    m.output(m.node("SkipLayerNormalization", [x, skip, m.uniform([8], 0.5, 1.5)], domain=MS), "y", shape=[2, 4, 8])


@model("op_ms_SkipSimplifiedLayerNormalization", 17, "com.microsoft SkipSimplifiedLayerNormalization with a "
       "bias and the sum output")
def skip_simplified_ln(m):
    x, skip = m.input("x", [2, 4, 8], -2, 2), m.input("skip", [2, 4, 8], -2, 2)
    y, _, _, s = m.node("SkipSimplifiedLayerNormalization", [x, skip, m.uniform([8], 0.5, 1.5), m.uniform([8])],
                        outputs=["y", "", "", "sum"], domain=MS, epsilon=1e-5)
    m.output(y, "y", shape=[2, 4, 8])
    m.output(s, "sum", shape=[2, 4, 8])


@model("op_GroupNormalization_18", 18, "GroupNormalization-18: 3 groups of 2 channels, scale and bias per group")
def group_norm_18(m):
    x = m.input("x", [2, 6, 3, 4], -2, 2)
    y = m.node("GroupNormalization", [x, m.uniform([3], 0.5, 1.5), m.uniform([3])], num_groups=3, epsilon=1e-4)
    m.output(y, "y", shape=[2, 6, 3, 4])


@model("op_GroupNormalization_21", 21, "GroupNormalization-21 on [2,6,5]: 2 groups, scale and bias per channel")
def group_norm_21(m):
    x = m.input("x", [2, 6, 5], -2, 2)
    y = m.node("GroupNormalization", [x, m.uniform([6], 0.5, 1.5), m.uniform([6])], num_groups=2)
    m.output(y, "y", shape=[2, 6, 5])


@model("op_LpNormalization", 13, "LpNormalization p=2 along axis 1 of [3,4,5]")
def lp_norm(m):
    m.output(m.node("LpNormalization", [m.input("x", [3, 4, 5], -2, 2)], axis=1), "y")


@model("op_LpNormalization_p1", 13, "LpNormalization p=1 along the default last axis")
def lp_norm_p1(m):
    m.output(m.node("LpNormalization", [m.input("x", [3, 4, 5], -2, 2)], p=1), "y")


@model("op_MeanVarianceNormalization", 13, "MeanVarianceNormalization over its default axes N, H, W")
def mvn(m):
    m.output(m.node("MeanVarianceNormalization", [m.input("x", [2, 3, 4, 5], -2, 2)]), "y")


@model("op_MeanVarianceNormalization_axes", 13, "MeanVarianceNormalization over axes [-1] of [3,4,6]")
def mvn_axes(m):
    m.output(m.node("MeanVarianceNormalization", [m.input("x", [3, 4, 6], -2, 2)], axes=[-1]), "y")


@model("op_Trilu", 14, "Trilu: the upper triangle of [2,4,5] (no k)")
def trilu(m):
    m.output(m.node("Trilu", [m.input("x", [2, 4, 5], -2, 2)]), "y")


@model("op_Trilu_lower_k", 14, "Trilu: the lower triangle with k = -1 of [3,5,4]")
def trilu_lower(m):
    m.output(m.node("Trilu", [m.input("x", [3, 5, 4], -2, 2), m.const(np.int64(-1))], upper=0), "y")


@model("op_Trilu_int64", 14, "Trilu: upper with k = 2 of int64 [4,6]")
def trilu_int(m):
    x = m.node("Cast", [m.input("x", [4, 6], -100, 100)], to=INT64)
    m.output(m.node("Trilu", [x, m.const(np.int64(2))]), "y", INT64)


@model("op_OneHot", 11, "OneHot of int64 indices in [-5, 5) with depth 4 (negative and out-of-range ones), "
       "values [0.5, 2], last axis")
def one_hot(m):
    idx = m.node("Cast", [m.node("Floor", [m.input("i", [3, 5], -5, 5)])], to=INT64)
    m.output(m.node("OneHot", [idx, m.const(np.int64(4)), m.const(np.array([0.5, 2], np.float32))]), "y")


@model("op_OneHot_axis", 11, "OneHot of int32 indices, depth a float 3.0, axis 1 (middle)")
def one_hot_axis(m):
    idx = m.node("Cast", [m.node("Floor", [m.input("i", [2, 4], -3, 3)])], to=INT32)
    depth = m.const(np.array([3.0], np.float32))
    m.output(m.node("OneHot", [idx, depth, m.const(np.array([-1, 1], np.float32))], axis=1), "y")


@model("op_Hardmax", 13, "Hardmax along the last axis of [3,4,5]")
def hardmax(m):
    m.output(m.node("Hardmax", [m.input("x", [3, 4, 5], -2, 2)]), "y")


@model("op_Hardmax_axis0", 13, "Hardmax along axis 0 of [3,4,5]")
def hardmax_axis0(m):
    m.output(m.node("Hardmax", [m.input("x", [3, 4, 5], -2, 2)], axis=0), "y")


@model("op_Hardmax_11", 11, "Hardmax-11 with axis 1: the maximum over the flattened trailing axes of [2,3,4]")
def hardmax_11(m):
    m.output(m.node("Hardmax", [m.input("x", [2, 3, 4], -2, 2)], axis=1), "y")
