"""Per-op models: data movement, shape computation, padding, resizing, constants."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from .builder import FLOAT, INT64, model

X4 = [2, 3, 4, 5]
INT64_MAX = np.iinfo(np.int64).max


def simple(op, shape, **attrs):
    def build(m):
        m.output(m.node(op, [m.input("x", shape, -2, 2)], **attrs), "y")
    return build


model("op_Flatten", 13, "Flatten axis 2")(simple("Flatten", X4, axis=2))
model("op_Flatten_axis0", 13, "Flatten axis 0 (gives [1, size])")(simple("Flatten", X4, axis=0))
model("op_Flatten_negative", 13, "Flatten axis -1")(simple("Flatten", X4, axis=-1))
model("op_Transpose", 13, "Transpose perm [0,2,3,1] (NCHW to NHWC)")(simple("Transpose", X4, perm=[0, 2, 3, 1]))
model("op_Transpose_default", 13, "Transpose without perm (reverses the axes)")(simple("Transpose", X4))
model("op_DepthToSpace_DCR", 13, "DepthToSpace blocksize 2, DCR mode")(simple("DepthToSpace", [1, 8, 3, 4], blocksize=2))
model("op_DepthToSpace_CRD", 13, "DepthToSpace blocksize 2, CRD mode")(
    simple("DepthToSpace", [1, 8, 3, 4], blocksize=2, mode="CRD"))
model("op_Squeeze_11", 11, "Squeeze-11, axes attribute [1,3]")(simple("Squeeze", [4, 1, 6, 1, 10], axes=[1, 3]))
model("op_Squeeze_all", 13, "Squeeze without axes (all size-1 axes)")(simple("Squeeze", [4, 1, 6, 1, 10]))
model("op_Unsqueeze_11", 11, "Unsqueeze-11, axes attribute [0,3]")(simple("Unsqueeze", [4, 6, 10], axes=[0, 3]))


def with_ints(op, shape, values, **attrs):
    """`op` whose second input is a constant int64 tensor (axes, shape, repeats)."""
    def build(m):
        m.output(m.node(op, [m.input("x", shape, -2, 2), m.ints(values)], **attrs), "y")
    return build


model("op_Squeeze_13", 13, "Squeeze-13, axes input [-2]")(with_ints("Squeeze", [4, 6, 1, 10], [-2]))
model("op_Unsqueeze_13", 13, "Unsqueeze-13, axes input [1,-1]")(with_ints("Unsqueeze", [4, 6, 10], [1, -1]))
model("op_Reshape", 14, "Reshape with 0 (copy) and -1 (infer) in the shape")(with_ints("Reshape", X4, [0, -1, 10]))
model("op_Expand", 13, "Expand [6,1] to [4,6,10]")(with_ints("Expand", [6, 1], [4, 6, 10]))
model("op_Expand_shorter_shape", 13, "Expand [4,6,1] by a shorter shape [1,10]")(with_ints("Expand", [4, 6, 1], [1, 10]))
model("op_Tile", 13, "Tile [2,3,5] by [2,1,3]")(with_ints("Tile", [2, 3, 5], [2, 1, 3]))


@model("op_Concat", 13, "Concat of two inputs and a constant on axis 1")
def concat(m):
    ins = [m.input("a", [2, 3, 5], -2, 2), m.input("b", [2, 4, 5], -2, 2), m.uniform([2, 1, 5])]
    m.output(m.node("Concat", ins, axis=1), "y")


@model("op_Concat_negative_axis", 13, "Concat on axis -1")
def concat_neg(m):
    m.output(m.node("Concat", [m.input("a", [4, 6, 3], -2, 2), m.input("b", [4, 6, 5], -2, 2)], axis=-1), "y")


def split_outputs(m, outs, shapes=None):
    for i, o in enumerate(outs):
        m.output(o, f"y{i}", shape=shapes[i] if shapes else None)


@model("op_Split_11", 11, "Split-11, split attribute [2,4] on axis 1")
def split11(m):
    split_outputs(m, m.node("Split", [m.input("x", [2, 6, 5], -2, 2)], 2, axis=1, split=[2, 4]))


@model("op_Split_13", 13, "Split-13, split input [1,2,3] on axis 1")
def split13(m):
    split_outputs(m, m.node("Split", [m.input("x", [2, 6, 5], -2, 2), m.ints([1, 2, 3])], 3, axis=1))


@model("op_Split_13_equal", 13, "Split-13 into 3 equal parts on axis -1, no split input")
def split13e(m):
    split_outputs(m, m.node("Split", [m.input("x", [2, 6, 6], -2, 2)], 3, axis=-1))


@model("op_Split_18_uneven", 18, "Split-18 num_outputs=3 over 7: parts 3,3,1")
def split18(m):
    outs = m.node("Split", [m.input("x", [2, 3, 7], -2, 2)], 3, axis=2, num_outputs=3)
    split_outputs(m, outs, [[2, 3, 3], [2, 3, 3], [2, 3, 1]])


@model("op_Slice", 13, "Slice with negative starts/ends, clamped ends and a negative step")
def slice13(m):
    ins = [m.input("x", [4, 6, 10], -2, 2), m.ints([1, -1]), m.ints([3, -1000]), m.ints([0, 2]), m.ints([1, -2])]
    m.output(m.node("Slice", ins), "y")


@model("op_Slice_default_axes", 13, "Slice without axes and steps, an end of INT64_MAX")
def slice13d(m):
    ins = [m.input("x", [4, 6, 10], -2, 2), m.ints([0, 1, 2]), m.ints([INT64_MAX, 5, 9])]
    m.output(m.node("Slice", ins), "y")


@model("op_Slice_1", 9, "Slice-1: starts/ends/axes are attributes")
def slice1(m):
    m.output(m.node("Slice", [m.input("x", [4, 6, 10], -2, 2)], axes=[1, 2], starts=[1, 0], ends=[-1, 100]), "y")


@model("op_Gather", 13, "Gather on axis 1 with negative indices [[0,-1],[2,-3]]")
def gather(m):
    m.output(m.node("Gather", [m.input("x", [4, 6, 10], -2, 2), m.ints([[0, -1], [2, -3]])], axis=1), "y")


@model("op_Gather_scalar", 13, "Gather on axis 0 with a scalar index (drops the axis)")
def gather_scalar(m):
    m.output(m.node("Gather", [m.input("x", [4, 6, 10], -2, 2), m.ints(2)]), "y")


@model("op_GatherElements", 13, "GatherElements on axis 1 with negative indices")
def gather_elements(m):
    idx = m.rng.integers(-6, 6, size=[4, 3]).astype(np.int64)
    m.output(m.node("GatherElements", [m.input("x", [4, 6], -2, 2), m.const(idx)], axis=1), "y")


@model("op_Pad_2", 10, "Pad-2: pads and value are attributes")
def pad2(m):
    m.output(m.node("Pad", [m.input("x", X4, -2, 2)], pads=[0, 0, 1, 2, 0, 1, 2, 0], value=0.5), "y")


def pad(mode, pads, value=None):
    def build(m):
        ins = [m.input("x", [1, 3, 5, 6], -2, 2), m.ints(pads)]
        if value is not None:
            ins.append(m.const(np.float32(value)))
        m.output(m.node("Pad", ins, mode=mode), "y")
    return build


model("op_Pad_constant", 13, "Pad-13 constant mode with value 0.5")(pad("constant", [0, 0, 1, 2, 0, 1, 2, 0], 0.5))
model("op_Pad_constant_negative", 13, "Pad-13 constant mode with negative pads (crops)")(
    pad("constant", [0, 0, -1, 2, 0, 0, 2, -2]))
model("op_Pad_reflect", 13, "Pad-13 reflect mode")(pad("reflect", [0, 0, 2, 1, 0, 0, 1, 3]))
model("op_Pad_edge", 13, "Pad-13 edge mode")(pad("edge", [0, 0, 2, 1, 0, 0, 1, 3]))
model("op_Pad_11_reflect", 11, "Pad-11 reflect mode")(pad("reflect", [0, 0, 1, 2, 0, 0, 2, 1]))


@model("op_Pad_18_axes", 18, "Pad-18 with an axes input [3,-2]")
def pad18(m):
    ins = [m.input("x", [1, 3, 5, 6], -2, 2), m.ints([1, 2, 0, 1]), m.const(np.float32(-0.5)), m.ints([3, -2])]
    m.output(m.node("Pad", ins, mode="constant"), "y", shape=[1, 3, 8, 7])


RX = [1, 3, 5, 6]


def resize(opset, scales=None, sizes=None, out_shape=None, **attrs):
    def build(m):
        x = m.input("x", RX, -2, 2)
        empty = m.const(np.zeros([0], np.float32))
        roi = empty if opset < 13 else ""
        if sizes is None:
            ins = [x, roi, m.const(np.array(scales, np.float32))]
        else:
            ins = [x, roi, empty if opset < 13 else "", m.ints(sizes)]
        m.output(m.node("Resize", ins, **attrs), "y", shape=out_shape)
    return build


model("op_Resize_11_nearest", 11, "Resize-11 nearest, asymmetric, floor, scales [1,1,2,3] (PyTorch 'nearest')")(
    resize(11, scales=[1, 1, 2, 3], mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor"))
model("op_Resize_11_linear_align_corners", 11, "Resize-11 linear, align_corners, sizes [1,3,9,11]")(
    resize(11, sizes=[1, 3, 9, 11], mode="linear", coordinate_transformation_mode="align_corners"))
model("op_Resize_13_nearest_sizes", 13, "Resize-13 nearest with default half_pixel/round_prefer_floor, sizes")(
    resize(13, sizes=[1, 3, 8, 4], mode="nearest"))
model("op_Resize_13_linear", 13, "Resize-13 linear, pytorch_half_pixel, scales [1,1,2,2]")(
    resize(13, scales=[1, 1, 2, 2], mode="linear", coordinate_transformation_mode="pytorch_half_pixel"))
model("op_Resize_13_linear_down", 13, "Resize-13 linear half_pixel downsampling, scales [1,1,0.6,0.5]")(
    resize(13, scales=[1, 1, 0.6, 0.5], mode="linear"))
model("op_Resize_19_nearest", 19, "Resize-19 nearest, asymmetric, floor, scales [1,1,2,2]")(
    resize(19, scales=[1, 1, 2, 2], out_shape=[1, 3, 10, 12], mode="nearest",
           coordinate_transformation_mode="asymmetric", nearest_mode="floor"))
model("op_Resize_19_linear_axes", 19, "Resize-19 linear, half_pixel_symmetric, axes [2,3] with sizes [9,8]")(
    resize(19, sizes=[9, 8], out_shape=[1, 3, 9, 8], mode="linear", axes=[2, 3],
           coordinate_transformation_mode="half_pixel_symmetric"))

model("op_Resize_13_cubic", 13, "Resize-13 cubic (a=-0.75), half_pixel, scales [1,1,2,1.5] (PyTorch 'bicubic')")(
    resize(13, scales=[1, 1, 2, 1.5], mode="cubic"))
model("op_Resize_13_cubic_down_exclude", 13, "Resize-13 cubic a=-0.5, exclude_outside, align_corners, sizes [1,3,3,4]")(
    resize(13, sizes=[1, 3, 3, 4], mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1,
           coordinate_transformation_mode="align_corners"))
model("op_Resize_18_cubic_antialias", 18, "Resize-18 cubic antialias, scales [1,1,0.5,0.4] (PIL-like shrinking)")(
    resize(18, scales=[1, 1, 0.5, 0.4], out_shape=[1, 3, 2, 2], mode="cubic", antialias=1))
model("op_Resize_18_linear_antialias", 18, "Resize-18 linear antialias, pytorch_half_pixel, sizes [1,3,3,2]")(
    resize(18, sizes=[1, 3, 3, 2], out_shape=[1, 3, 3, 2], mode="linear", antialias=1,
           coordinate_transformation_mode="pytorch_half_pixel"))


@model("op_Upsample_7", 7, "Upsample-7 nearest, scales attribute [1,1,2,3]")
def upsample7(m):
    m.output(m.node("Upsample", [m.input("x", RX, -2, 2)], scales=[1.0, 1.0, 2.0, 3.0]), "y")


def upsample9(mode):
    def build(m):
        scales = m.const(np.array([1, 1, 2, 2], np.float32))
        m.output(m.node("Upsample", [m.input("x", RX, -2, 2), scales], mode=mode), "y")
    return build


model("op_Upsample_9_nearest", 9, "Upsample-9 nearest, scales input [1,1,2,2]")(upsample9("nearest"))
model("op_Upsample_9_linear", 9, "Upsample-9 linear, scales input [1,1,2,2]")(upsample9("linear"))


@model("op_Shape", 15, "Shape (int64 output), Shape-15 with start/end, Reshape to another input's shape")
def shape(m):
    x, y = m.input("x", [4, 6, 5], -2, 2), m.input("y", [6, 20], -2, 2)
    m.output(m.node("Shape", [x]), "shape", INT64)
    m.output(m.node("Shape", [x], start=1, end=-1), "middle", INT64)
    m.output(m.node("Reshape", [y, m.node("Shape", [x])]), "reshaped", shape=[4, 6, 5])


@model("op_ConstantOfShape", 13, "ConstantOfShape of an input's shape, and of a constant shape")
def constant_of_shape(m):
    x = m.input("x", [4, 6, 5], -2, 2)
    fill = m.node("ConstantOfShape", [m.node("Shape", [x])], value=numpy_helper.from_array(np.array([0.25], np.float32)))
    m.output(m.node("Add", [x, fill]), "y")
    m.output(m.node("ConstantOfShape", [m.ints([2, 3])]), "zeros")


@model("op_Constant", 13, "Constant nodes: a tensor, value_float and value_ints")
def constant(m):
    x = m.input("x", [4, 6, 10], -2, 2)
    t = m.node("Constant", [], value=numpy_helper.from_array(m.rng.uniform(-1, 1, [6, 1]).astype(np.float32)))
    f = m.node("Constant", [], value_float=1.5)
    s = m.node("Constant", [], value_ints=[4, 60])
    m.output(m.node("Reshape", [m.node("Add", [m.node("Mul", [x, t]), f]), s]), "y", shape=[4, 60])


@model("op_Range", 15, "Range on floats and int64, one limit computed from a shape")
def range_(m):
    x = m.input("x", [4, 6], -2, 2)
    r = m.node("Range", [m.const(np.float32(1)), m.const(np.float32(3.9)), m.const(np.float32(0.5))])
    m.output(m.node("Add", [m.input("z", [4, 6], -2, 2), r]), "float_range")
    n = m.node("Squeeze", [m.node("Shape", [x], start=1)])
    m.output(m.node("Add", [x, m.node("Cast", [m.node("Range", [m.ints(0), n, m.ints(1)])], to=FLOAT)]), "shape_range")
    m.output(m.node("Range", [m.ints(2), m.ints(20), m.ints(3)]), "int_range", INT64)


@model("op_Dropout_7", 7, "Dropout-7 with a ratio attribute (identity in inference)")
def dropout7(m):
    m.output(m.node("Dropout", [m.input("x", [4, 6, 10], -2, 2)], ratio=0.3), "y")


@model("op_Dropout_13", 13, "Dropout-13 with a ratio input and the mask output (all true in inference)")
def dropout13(m):
    y, mask = m.node("Dropout", [m.input("x", [4, 6, 10], -2, 2), m.const(np.float32(0.3))], 2)
    m.output(y, "y")
    m.output(m.node("Cast", [mask], to=FLOAT), "mask")


def branch(name, op, operand):
    """A subgraph of If: x (from the outer graph) op a constant, as its output `name`."""
    c = helper.make_tensor(name + "_c", TensorProto.FLOAT, [], [operand])
    nodes = [helper.make_node("Constant", [], [name + "_k"], value=c), helper.make_node(op, ["x", name + "_k"], [name])]
    return helper.make_graph(nodes, name, [], [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)])


@model("op_If_on_shape", 13, "If on whether x has 2 rows (known from the shape): x * 2 in then, x + 1 in else")
def if_on_shape(m):
    x = m.input("x", [2, 3], -2, 2)
    rows = m.node("Gather", [m.node("Shape", [x]), m.ints(0)], axis=0)
    cond = m.node("Equal", [rows, m.ints(2)])
    m.output(m.node("If", [cond], then_branch=branch("doubled", "Mul", 2.0), else_branch=branch("plus_one", "Add", 1.0)), "y")


@model("op_If_on_values", 13, "Ifs on conditions known only at run time (the sum of x positive, and not): both "
       "branches run and each If picks its result, so one takes then (x * 2) and the other else (x + 1)")
def if_on_values(m):
    x = m.input("x", [2, 3], -2, 2)
    positive = m.node("Greater", [m.node("ReduceSum", [x], keepdims=0), m.const(np.float32(0))])
    for name, cond in [("y", positive), ("y_not", m.node("Not", [positive]))]:
        m.output(m.node("If", [cond], then_branch=branch(name + "_doubled", "Mul", 2.0),
                        else_branch=branch(name + "_plus_one", "Add", 1.0)), name)


@model("op_If_branch_not_taken", 13, "an If whose then branch would fail (a Gather of row 9 of 4) and is never taken "
       "(the sum of |x| is never above 1000): it must not run; else is x . W")
def if_branch_not_taken(m):
    x = m.input("x", [2, 3], -2, 2)
    cond = m.node("Greater", [m.node("ReduceSum", [m.node("Abs", [x])], keepdims=0), m.const(np.float32(1000))])
    nine = m.node("Add", [m.node("Mul", [m.node("ReduceSum", [x, m.const(np.array([1], np.int64))], keepdims=0), m.const(np.float32(0))]),
                          m.const(np.float32(9))])
    rows = m.node("Cast", [nine], to=TensorProto.INT64)
    table = helper.make_tensor("table", TensorProto.FLOAT, [4, 3], np.arange(12, dtype=np.float32).tolist())
    w = helper.make_tensor("w", TensorProto.FLOAT, [3, 3], m.rng.uniform(-1, 1, 9).astype(np.float32).tolist())

    def one(name, const, node):
        nodes = [helper.make_node("Constant", [], [const.name], value=const), node]
        return helper.make_graph(nodes, name, [], [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)])
    then = one("picked", table, helper.make_node("Gather", ["table", rows], ["picked"], axis=0))
    other = one("product", w, helper.make_node("MatMul", ["x", "w"], ["product"]))
    m.output(m.node("If", [cond], then_branch=then, else_branch=other), "y")


@model("op_If_constant_false", 11, "If on a constant false: the else branch (x + 1)")
def if_constant_false(m):
    x = m.input("x", [2, 3], -2, 2)
    cond = m.const(np.array(False))
    m.output(m.node("If", [cond], then_branch=branch("doubled", "Mul", 2.0), else_branch=branch("plus_one", "Add", 1.0)), "y")

