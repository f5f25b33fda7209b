"""Per-op models: ScatterND and ScatterElements (opsets 9-18, every reduction), GridSample (opsets
16-22, every mode and padding, both corner alignments) and RoiAlign (opsets 10 and 16, avg and max).

Indices drawn at run time may repeat: only the reductions that do not depend on the order of
repeated updates (add, mul, max, min) get such indices; plain replacement gets distinct constant
ones.
"""
import numpy as np

from .builder import INT64, model


def ints(m, name, shape, lo, hi):
    return m.node("Cast", [m.node("Floor", [m.input(name, shape, lo, hi)])], to=INT64)


@model("op_ScatterND", 11, "ScatterND-11: pairs of coordinates into data [4,5,3] replace 3 rows, one index "
       "negative")
def scatter_nd(m):
    idx = m.const(np.array([[0, 1], [3, -2], [2, 0]], np.int64))
    m.output(m.node("ScatterND", [m.input("data", [4, 5, 3], -1, 1), idx, m.input("updates", [3, 3], -1, 1)]), "y")


@model("op_ScatterElements", 11, "ScatterElements-11 along axis 1 of [3,5] with distinct constant indices (one "
       "negative), and along axis 0")
def scatter_elements(m):
    data = m.input("data", [3, 5], -1, 1)
    idx = m.const(np.array([[1, 3], [0, -1], [4, 2]], np.int64))
    m.output(m.node("ScatterElements", [data, idx, m.input("u", [3, 2], -1, 1)], axis=1), "axis1")
    idx0 = m.const(np.array([[2, 0, 1, 1, 0]], np.int64))
    m.output(m.node("ScatterElements", [data, idx0, m.input("u0", [1, 5], -1, 1)]), "axis0")


@model("op_Scatter_reductions", 18, "ScatterND-18 with run-time indices (repeats, negative ones) into [4,6], and "
       "ScatterElements-18 along the last axis of [3,4]: add, mul, max and min")
def scatter_reductions(m):
    data, idx, upd = m.input("data", [4, 6], -1, 1), ints(m, "i", [5, 1], -4, 4), m.input("updates", [5, 6], -1, 1)
    for r in ["add", "mul", "max", "min"]:
        m.output(m.node("ScatterND", [data, idx, upd], reduction=r), "nd_" + r, shape=[4, 6])
    data, idx, upd = m.input("data2", [3, 4], -1, 1), ints(m, "i2", [2, 4], -4, 4), m.input("u", [2, 4], -1, 1)
    for r in ["add", "mul", "max", "min"]:
        m.output(m.node("ScatterElements", [data, idx, upd], axis=-1, reduction=r), "elements_" + r, shape=[3, 4])


@model("op_Scatter_9", 9, "Scatter-9 (ScatterElements' old name) along axis 1")
def scatter_9(m):
    idx = m.const(np.array([[2, 0], [1, 3]], np.int64))
    m.output(m.node("Scatter", [m.input("data", [2, 4], -1, 1), idx, m.input("u", [2, 2], -1, 1)], axis=1), "y")


def grid_modes(m, opset_names, align):
    x, grid = m.input("x", [2, 2, 5, 6], -1, 1), m.input("grid", [2, 4, 3, 2], -1.3, 1.3)
    for mode, padding in zip(opset_names, ["border", "reflection", "zeros"]):
        y = m.node("GridSample", [x, grid], mode=mode, padding_mode=padding, align_corners=align)
        m.output(y, f"{mode}_{padding}", shape=[2, 2, 4, 3])


@model("op_GridSample_16", 16, "GridSample-16 of [2,2,5,6] at a grid beyond [-1, 1]: bilinear/border, "
       "nearest/reflection, bicubic/zeros")
def grid_sample_16(m):
    grid_modes(m, ["bilinear", "nearest", "bicubic"], 0)


@model("op_GridSample_22_align_corners", 22, "GridSample-22 (opset 20's mode names) with align_corners: "
       "cubic/border, linear/reflection, nearest/zeros; and its defaults (linear, zeros)")
def grid_sample_22(m):
    grid_modes(m, ["cubic", "linear", "nearest"], 1)
    y = m.node("GridSample", [m.input("x2", [1, 3, 4, 4], -1, 1), m.input("grid2", [1, 3, 5, 2], -1.2, 1.2)])
    m.output(y, "defaults", shape=[1, 3, 3, 5])


@model("op_RoiAlign_16", 16, "RoiAlign-16 (half_pixel) of [2,3,8,10]: 3 regions at spatial_scale 0.5, 3x2 bins of "
       "2x2 samples, avg and max")
def roi_align_16(m):
    x = m.input("x", [2, 3, 8, 10], -1, 1)
    rois = m.const(np.array([[1.3, 2.1, 15.2, 11.7], [0, 0, 19, 15], [6.4, 3.3, 9.9, 14.6]], np.float32))
    batch = m.const(np.array([0, 1, 1], np.int64))
    for mode in ["avg", "max"]:
        y = m.node("RoiAlign", [x, rois, batch], mode=mode, output_height=3, output_width=2, sampling_ratio=2,
                   spatial_scale=0.5)
        m.output(y, mode, shape=[3, 3, 3, 2])


@model("op_RoiAlign_10", 10, "RoiAlign-10 (output_half_pixel) with run-time regions partly outside [1,2,6,7] and "
       "adaptive sampling")
def roi_align_10(m):
    y = m.node("RoiAlign", [m.input("x", [1, 2, 6, 7], -1, 1), m.input("rois", [4, 4], -1, 9),
                            m.const(np.zeros(4, np.int64))], output_height=2, output_width=3)
    m.output(y, "y", shape=[4, 2, 2, 3])
