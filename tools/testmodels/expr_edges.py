#!/usr/bin/python3
"""The model of the expression edge-value test (tests/js/expr_edges.mjs): every expression op of
webdnn/expr_ops.h as the ONNX op that maps onto it, each reading the graph inputs directly.

usage: expr_edges.py OUT.onnx

Inputs: a [N] (unary ops), x, y [M] (binary float ops), p, q [M] bool (logic, Where's condition),
i, j [K] int32 (integer division, Python's mod, bitwise ops, which need opset 18). Outputs are named
after the op (u_Exp, b_Pow, ...).
"""
import sys

import onnx
from onnx import TensorProto as T
from onnx import helper as h

UNARY = ["Neg", "Abs", "Exp", "Log", "Sqrt", "Sin", "Cos", "Tanh", "Erf", "Floor", "Ceil", "Round", "Sign",
         "IsNaN", "Sigmoid"]
BINARY = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Equal", "Less", "Greater"]
BOOL_OUT = {"IsNaN", "Equal", "Less", "Greater", "And", "Or", "Not"}


def make():
    nodes, outputs = [], []

    def add(op, inputs, name, dtype, **attrs):
        nodes.append(h.make_node(op, inputs, [name], name=name, **attrs))
        outputs.append(h.make_tensor_value_info(name, dtype, None))

    for op in UNARY:
        add(op, ["a"], "u_" + op, T.BOOL if op in BOOL_OUT else T.FLOAT)
    for op in BINARY:
        add(op, ["x", "y"], "b_" + op, T.BOOL if op in BOOL_OUT else T.FLOAT)
    add("Mod", ["x", "y"], "b_FMod", T.FLOAT, fmod=1)  # floats take C's fmod only
    add("Not", ["p"], "l_Not", T.BOOL)
    add("And", ["p", "q"], "l_And", T.BOOL)
    add("Or", ["p", "q"], "l_Or", T.BOOL)
    add("Where", ["p", "x", "y"], "l_Where", T.FLOAT)
    add("Div", ["i", "j"], "i_Div", T.INT32)
    add("Mod", ["i", "j"], "i_Mod", T.INT32, fmod=0)
    for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"]:
        add(op, ["i", "j"], "i_" + op, T.INT32)
    inputs = [h.make_tensor_value_info(n, t, [d]) for n, t, d in
              [("a", T.FLOAT, "n"), ("x", T.FLOAT, "m"), ("y", T.FLOAT, "m"), ("p", T.BOOL, "m"), ("q", T.BOOL, "m"),
               ("i", T.INT32, "k"), ("j", T.INT32, "k")]]
    graph = h.make_graph(nodes, "expr_edges", inputs, outputs)
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 18)], producer_name="webdnn tests")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    onnx.save(make(), sys.argv[1])
