"""A small model builder and registry shared by the net and per-op model definitions."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT, INT64, BOOL, FLOAT16 = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL, TensorProto.FLOAT16
INT32, INT8, UINT8 = TensorProto.INT32, TensorProto.INT8, TensorProto.UINT8
MS = "com.microsoft"  # onnxruntime's contrib operators: Model.node(..., domain=MS)
DTYPE_NAMES = {FLOAT: "float32", INT64: "int64", BOOL: "bool", FLOAT16: "float16", INT32: "int32", INT8: "int8",
               UINT8: "uint8"}

# name -> (function filling a Model, opset, purpose); filled by @model, in definition order.
REGISTRY = {}
# Models too big for the test suite, made only when named (the benchmark's): not in --list or a group.
BENCH_ONLY = set()


def model(name, opset, purpose, bench_only=False):
    def register(fn):
        assert name not in REGISTRY, f"model '{name}' defined twice"
        REGISTRY[name] = (fn, opset, purpose)
        if bench_only:
            BENCH_ONLY.add(name)
        return fn
    return register


class Model:
    """Collects nodes, inputs (with the value range the tests should draw from) and outputs."""

    def __init__(self, name, opset, seed):
        self.name, self.opset = name, opset
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inputs, self.outputs, self.inits = [], [], [], []
        self.ranges = {}
        self.at = None  # sizes of the free dimensions to test at, when the inputs have any
        self.count = 0

    def input(self, name, shape, lo=0.0, hi=1.0, dtype=FLOAT):
        self.inputs.append(helper.make_tensor_value_info(name, dtype, shape))
        self.ranges[name] = [lo, hi]
        return name

    def const(self, array, name=None):
        """An initializer; float64 arrays are stored as float32."""
        array = np.asarray(array)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        name = name or self.fresh("c")
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def ints(self, values):
        return self.const(np.array(values, dtype=np.int64))

    def uniform(self, shape, lo=-1.0, hi=1.0):
        return self.const(self.rng.uniform(lo, hi, size=shape).astype(np.float32))

    def fresh(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def node(self, op, inputs, outputs=1, **attrs):
        """Adds a node; `outputs` is a count (fresh names) or a list of names. Returns its outputs."""
        names = [self.fresh(op.lower() + "_") for _ in range(outputs)] if isinstance(outputs, int) else outputs
        self.nodes.append(helper.make_node(op, inputs, names, name=self.fresh(op + "_"), **attrs))
        return names[0] if len(names) == 1 else names

    def output(self, value, name, dtype=FLOAT, shape=None):
        """Makes `value` a graph output called `name` (through Identity when it has another name).

        `shape` is needed only where onnx 1.12's shape inference cannot work it out (opset > 17).
        """
        if value != name:
            self.nodes.append(helper.make_node("Identity", [value], [name], name=self.fresh("Identity_")))
        self.outputs.append((name, dtype, shape))

    def build(self):
        outputs = [helper.make_tensor_value_info(n, t, s) for n, t, s in self.outputs]
        graph = helper.make_graph(self.nodes, self.name, self.inputs, outputs, initializer=self.inits)
        domains = sorted({n.domain for n in self.nodes if n.domain not in ("", "ai.onnx")})
        opsets = [helper.make_opsetid("", self.opset)] + [helper.make_opsetid(d, 1) for d in domains]
        # IR 10 at most: a newer onnx writes its own newest, which onnxruntime(-web) 1.30 refuses.
        m = helper.make_model(graph, opset_imports=opsets, ir_version=min(onnx.IR_VERSION, 10),
                              producer_name="webdnn tools/make_models.py")
        return infer_output_shapes(m)


def infer_output_shapes(m):
    """Fills output shapes that were not given, from onnx's shape inference (opsets <= 17 only)."""
    missing = [o for o in m.graph.output if not o.type.tensor_type.HasField("shape")]
    if not missing:
        return m
    inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True, data_prop=True)
    by_name = {v.name: v for v in list(inferred.graph.output) + list(inferred.graph.value_info)}
    for o in missing:
        found = by_name.get(o.name)
        if found is None or not found.type.tensor_type.HasField("shape"):
            raise ValueError(f"model '{m.graph.name}': give the shape of output '{o.name}' (not inferred)")
        o.type.tensor_type.shape.CopyFrom(found.type.tensor_type.shape)
    return m
