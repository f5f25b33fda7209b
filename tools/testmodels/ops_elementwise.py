"""Per-op models: elementwise math, comparisons, logic and casts.

Inputs are float32 so the tests can draw them uniformly; bool and int64 tensors are made inside
the graph and cast back where the op's output would otherwise be bool.
"""
import numpy as np

from .builder import BOOL, FLOAT, INT64, model

SHAPE = [4, 6, 10]

# op -> (input range, opset, attributes). Ranges avoid the poles and the domain edges.
UNARY = {
    "Abs": ((-2, 2), 13, {}),
    "Ceil": ((-3, 3), 13, {}),
    "Floor": ((-3, 3), 13, {}),
    "Round": ((-3, 3), 13, {}),
    "Neg": ((-2, 2), 13, {}),
    "Relu": ((-2, 2), 14, {}),
    "Sigmoid": ((-4, 4), 13, {}),
    "Tanh": ((-3, 3), 13, {}),
    "Exp": ((-3, 3), 13, {}),
    "Erf": ((-2, 2), 13, {}),
    "Sin": ((-4, 4), 13, {}),
    "Cos": ((-4, 4), 13, {}),
    "Sign": ((-2, 2), 13, {}),
    "Reciprocal": ((0.5, 2), 13, {}),
    "Softplus": ((-3, 3), 13, {}),
    "Sqrt": ((0.1, 4), 13, {}),
    "Log": ((0.1, 4), 13, {}),
    "Identity": ((-2, 2), 16, {}),
    "Elu": ((-3, 3), 7, {"alpha": 0.7}),
    "LeakyRelu": ((-2, 2), 16, {"alpha": 0.15}),
    "Selu": ((-3, 3), 7, {"alpha": 1.5, "gamma": 1.1}),
    "HardSigmoid": ((-4, 4), 7, {"alpha": 0.3, "beta": 0.45}),
    "HardSwish": ((-5, 5), 14, {}),
}


def unary(op, lo, hi, attrs):
    def build(m):
        m.output(m.node(op, [m.input("x", SHAPE, lo, hi)], **attrs), "y")
    return build


for _op, ((_lo, _hi), _opset, _attrs) in UNARY.items():
    model(f"op_{_op}", _opset, f"{_op} on [{_lo}, {_hi})" + (f" with {_attrs}" if _attrs else ""))(
        unary(_op, _lo, _hi, _attrs))


@model("op_Gelu_20", 20, "Gelu (opset 20), exact erf form")
def gelu(m):
    m.output(m.node("Gelu", [m.input("x", SHAPE, -4, 4)]), "y", shape=SHAPE)


@model("op_Gelu_20_tanh", 20, "Gelu (opset 20) with approximate='tanh'")
def gelu_tanh(m):
    m.output(m.node("Gelu", [m.input("x", SHAPE, -4, 4)], approximate="tanh"), "y", shape=SHAPE)


@model("op_Clip_6", 10, "Clip-6 (opsets 6-10): bounds are attributes")
def clip6(m):
    m.output(m.node("Clip", [m.input("x", SHAPE, -2, 2)], min=-0.5, max=1.2), "y")


@model("op_Clip_13", 13, "Clip-13: bounds are inputs")
def clip13(m):
    lo, hi = m.const(np.float32(-0.7)), m.const(np.float32(0.6))
    m.output(m.node("Clip", [m.input("x", SHAPE, -2, 2), lo, hi]), "y")


@model("op_Clip_13_max_only", 13, "Clip-13 with the min input left empty")
def clip13_max(m):
    m.output(m.node("Clip", [m.input("x", SHAPE, -2, 2), "", m.const(np.float32(0.5))]), "y")


@model("op_Add", 13, "Add with two-way broadcasting [4,6,10] + [6,1]")
def add(m):
    m.output(m.node("Add", [m.input("a", SHAPE, -2, 2), m.input("b", [6, 1], -2, 2)]), "y")


@model("op_Sub", 13, "Sub with a broadcast input [10] and a constant")
def sub(m):
    d = m.node("Sub", [m.input("a", SHAPE, -2, 2), m.input("b", [10], -2, 2)])
    m.output(m.node("Sub", [m.uniform([6, 1]), d]), "y")


@model("op_Mul", 13, "Mul by a broadcast constant and by a second input")
def mul(m):
    p = m.node("Mul", [m.input("a", SHAPE, -2, 2), m.uniform([6, 10])])
    m.output(m.node("Mul", [p, m.input("b", [4, 1, 10], -2, 2)]), "y")


@model("op_Div", 13, "Div with the divisor in [0.5, 2)")
def div(m):
    m.output(m.node("Div", [m.input("a", SHAPE, -2, 2), m.input("b", [6, 10], 0.5, 2)]), "y")


@model("op_Pow", 15, "Pow with a positive base and an exponent input")
def pow_(m):
    m.output(m.node("Pow", [m.input("a", SHAPE, 0.5, 2), m.input("b", SHAPE, -2, 2)]), "y")


@model("op_Pow_square", 13, "Pow with a scalar constant exponent 2 on a signed base")
def pow_square(m):
    m.output(m.node("Pow", [m.input("a", SHAPE, -2, 2), m.const(np.float32(2.0))]), "y")


@model("op_Mod_fmod", 13, "Mod with fmod=1 on floats of both signs")
def mod_fmod(m):
    b = m.const(np.array([1.5, -0.7, 2.3, -3.1, 0.9, 1.1, -1.9, 2.6, -0.8, 1.3], np.float32))
    m.output(m.node("Mod", [m.input("a", SHAPE, -5, 5), b], fmod=1), "y")


@model("op_Mod_int", 13, "Mod with fmod=0 on int64: the result takes the divisor's sign")
def mod_int(m):
    a = m.node("Cast", [m.input("a", SHAPE, -20, 20)], to=INT64)
    b = m.ints([3, -4, 5, 7, -2, 6, -9, 4, 11, -3])
    m.output(m.node("Mod", [a, b]), "y", INT64)


@model("op_Max", 13, "Max of three inputs with broadcasting")
def max_(m):
    m.output(m.node("Max", [m.input("a", SHAPE, -2, 2), m.input("b", [6, 10], -2, 2), m.input("c", [10], -2, 2)]), "y")


@model("op_Min", 13, "Min of three inputs with broadcasting")
def min_(m):
    m.output(m.node("Min", [m.input("a", SHAPE, -2, 2), m.input("b", [6, 1], -2, 2), m.uniform([10])]), "y")


@model("op_Sum", 13, "Sum of three inputs with broadcasting")
def sum_(m):
    m.output(m.node("Sum", [m.input("a", SHAPE, -2, 2), m.input("b", [6, 10], -2, 2), m.input("c", [4, 1, 1], -2, 2)]), "y")


@model("op_PRelu", 16, "PRelu with a per-channel slope [6,1,1]")
def prelu(m):
    slope = m.uniform([6, 1, 1], 0.0, 0.5)
    m.output(m.node("PRelu", [m.input("x", [2, 6, 4, 5], -2, 2), slope]), "y")


def compare_model(op, int_inputs=False):
    def build(m):
        a, b = m.input("a", SHAPE, -2, 2), m.input("b", [6, 10], -2, 2)
        # Floor makes ties common, so Equal and the *OrEqual ops see both outcomes.
        a, b = m.node("Floor", [a]), m.node("Floor", [b])
        if int_inputs:
            a, b = m.node("Cast", [a], to=INT64), m.node("Cast", [b], to=INT64)
        m.output(m.node("Cast", [m.node(op, [a, b])], to=FLOAT), "y")
    return build


for _op, _opset in [("Greater", 13), ("Less", 13), ("Equal", 13), ("GreaterOrEqual", 16), ("LessOrEqual", 16)]:
    model(f"op_{_op}", _opset, f"{_op} on floored floats, bool cast to float")(compare_model(_op))
model("op_Equal_int64", 13, "Equal on int64 tensors, bool cast to float")(compare_model("Equal", True))


@model("op_And", 13, "And of two comparisons, cast to float")
def and_(m):
    p = m.node("Greater", [m.input("a", SHAPE), m.const(np.float32(0.3))])
    q = m.node("Less", [m.input("b", [6, 10]), m.const(np.float32(0.7))])
    m.output(m.node("Cast", [m.node("And", [p, q])], to=FLOAT), "y")


@model("op_Or", 13, "Or of two comparisons, cast to float")
def or_(m):
    p = m.node("Greater", [m.input("a", SHAPE), m.const(np.float32(0.6))])
    q = m.node("Less", [m.input("b", [6, 10]), m.const(np.float32(0.3))])
    m.output(m.node("Cast", [m.node("Or", [p, q])], to=FLOAT), "y")


@model("op_Not", 13, "Not of a comparison, cast to float")
def not_(m):
    p = m.node("Greater", [m.input("a", SHAPE), m.const(np.float32(0.5))])
    m.output(m.node("Cast", [m.node("Not", [p])], to=FLOAT), "y")


@model("op_Where", 16, "Where with a computed condition and broadcast branches")
def where(m):
    a = m.input("a", SHAPE, -2, 2)
    cond = m.node("Greater", [a, m.input("b", [6, 10], -2, 2)])
    m.output(m.node("Where", [cond, a, m.uniform([10])]), "y")


@model("op_IsNaN", 13, "IsNaN of Sqrt of signed values (NaN where negative), cast to float")
def isnan(m):
    s = m.node("Sqrt", [m.input("x", SHAPE, -1, 1)])
    m.output(m.node("Cast", [m.node("IsNaN", [s])], to=FLOAT), "y")


@model("op_Cast", 13, "Cast float->int64 (truncates), float->bool->float, int64->float")
def cast(m):
    x = m.input("x", SHAPE, -3, 3)
    i = m.node("Cast", [x], to=INT64)
    m.output(i, "as_int64", INT64)
    b = m.node("Cast", [m.node("Floor", [x])], to=BOOL)
    m.output(m.node("Cast", [b], to=FLOAT), "via_bool")
    m.output(m.node("Mul", [m.node("Cast", [i], to=FLOAT), x]), "from_int64")


@model("op_Round_halves", 13, "Round of exact halves (Floor(x) + 0.5): ties go to even")
def round_halves(m):
    halves = m.node("Add", [m.node("Floor", [m.input("x", SHAPE, -3, 3)]), m.const(np.float32(0.5))])
    m.output(m.node("Round", [halves]), "y")
