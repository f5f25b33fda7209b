"""Per-op models: GatherND and CumSum (float32 and int64 data; constant and computed indices)."""
import numpy as np

from .builder import INT64, model


@model("op_GatherND", 13, "GatherND: [3,2] constant tuples with negative coordinates pick rows of [4,3,5]")
def gather_nd(m):
    idx = m.ints([[1, -1], [-4, 2], [3, 0]])
    m.output(m.node("GatherND", [m.input("x", [4, 3, 5], -2, 2), idx]), "y")


@model("op_GatherND_batch_dims", 12, "GatherND-12 batch_dims 1: one coordinate per tuple, slices of [2,3,4]")
def gather_nd_batch(m):
    idx = m.ints([[[2], [-1]], [[0], [-3]]])
    m.output(m.node("GatherND", [m.input("x", [2, 3, 4], -2, 2), idx], batch_dims=1), "y")


@model("op_GatherND_elements", 13, "GatherND batch_dims 1 with full tuples (single elements) from [2,3,4]")
def gather_nd_elements(m):
    idx = np.stack([m.rng.integers(-3, 3, size=[2, 5]), m.rng.integers(-4, 4, size=[2, 5])], axis=-1)
    m.output(m.node("GatherND", [m.input("x", [2, 3, 4], -2, 2), m.const(idx.astype(np.int64))], batch_dims=1), "y")


@model("op_GatherND_int64", 13, "GatherND on int64 data with int64 indices computed at run time (-2..2)")
def gather_nd_int64(m):
    data = m.node("Cast", [m.input("x", [4, 3, 5], -100, 100)], to=INT64)
    idx = m.node("Cast", [m.input("i", [2, 3, 2], -2.99, 2.99)], to=INT64)
    m.output(m.node("GatherND", [data, idx]), "y", INT64)


@model("op_CumSum", 11, "CumSum-11 on axis 1 of [3,4,5] (scalar int64 axis)")
def cum_sum(m):
    axis = m.const(np.array(1, np.int64))
    m.output(m.node("CumSum", [m.input("x", [3, 4, 5], -2, 2), axis]), "y")


@model("op_CumSum_exclusive_reverse", 14, "CumSum-14 exclusive and reverse on axis [-1] (int32) of [3,4,5]")
def cum_sum_exclusive_reverse(m):
    axis = m.const(np.array([-1], np.int32))
    m.output(m.node("CumSum", [m.input("x", [3, 4, 5], -2, 2), axis], exclusive=1, reverse=1), "y")


@model("op_CumSum_exclusive", 14, "CumSum-14 exclusive on axis 0 of [6,7]")
def cum_sum_exclusive(m):
    m.output(m.node("CumSum", [m.input("x", [6, 7], -2, 2), m.ints(0)], exclusive=1), "y")


@model("op_CumSum_int64", 14, "CumSum-14 reverse on axis 0 of int64 [5,6]")
def cum_sum_int64(m):
    x = m.node("Cast", [m.input("x", [5, 6], -1000, 1000)], to=INT64)
    m.output(m.node("CumSum", [x, m.ints(0)], reverse=1), "y", INT64)
