#!/usr/bin/python3
"""Writes the ONNX models WebDNN's tests use, with weights from seeded numpy generators.

usage: make_models.py --out DIR [--only NAME,...] [--force]
       make_models.py --list

--only takes model names and the groups 'nets' (resnet50, vit_tiny, ...) and 'ops' (every op_* model).
--list, the groups and a run without --only leave out the models made only for the benchmark
(vit_b16 344 MB, vgg16 553 MB, resnet50_qdq), which --only makes when named.
A model is rebuilt only when its file is older than the code that makes it (or with --force). DIR/models.json
describes every model written: inputs with the value range to draw them from, outputs, purpose,
and how it was validated. Needs Debian's python3-onnx and python3-numpy (/usr/bin/python3).
"""
import argparse
import json
import os
import sys
import zlib

import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testmodels import REGISTRY  # noqa: E402
from testmodels.builder import BENCH_ONLY, DTYPE_NAMES, Model  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KNOWN_OPSET = onnx.defs.onnx_opset_version()


def sources_mtime(fn):
    """Newest change to the code that makes a model: its own module, the builder and this script."""
    files = [os.path.abspath(__file__), sys.modules["testmodels.builder"].__file__, sys.modules[fn.__module__].__file__]
    return max(os.path.getmtime(f) for f in files)


def select(only):
    tested = [n for n in REGISTRY if n not in BENCH_ONLY]
    if not only:
        return tested
    names = []
    for item in only.split(","):
        if item == "ops":
            names += [n for n in tested if n.startswith("op_")]
        elif item == "nets":
            names += [n for n in tested if not n.startswith("op_")]
        elif item in REGISTRY:
            names.append(item)
        else:
            sys.exit(f"make_models.py: no model or group '{item}' (see --list)")
    return names


def validate(proto):
    """Runs onnx.checker and says what was checked.

    libonnx 1.12 knows opsets up to 17; for newer models the checker falls back to the newest
    schema it has, which rejects ops whose signature changed (ReduceMean-18's axes input,
    Gelu-20...). Those models get a structural check only, and models.json says so.
    """
    opset = proto.opset_import[0].version
    if opset <= KNOWN_OPSET:
        onnx.checker.check_model(proto)
        return "onnx.checker"
    try:
        onnx.checker.check_model(proto)
        return f"onnx.checker with onnx {onnx.__version__}'s schemas of opset <= {KNOWN_OPSET}"
    except onnx.checker.ValidationError as e:
        check_structure(proto)
        reason = str(e).strip().splitlines()[0]
        return f"structure only: onnx {onnx.__version__} knows opsets <= {KNOWN_OPSET} ({reason})"


def check_structure(proto):
    g = proto.graph
    known = {i.name for i in g.input} | {t.name for t in g.initializer} | {""}
    for node in g.node:
        for name in node.input:
            if name not in known:
                raise ValueError(f"{g.name}: node {node.name} reads '{name}' before it is computed")
        for name in filter(None, node.output):  # an empty name is an output left out
            if name in known:
                raise ValueError(f"{g.name}: '{name}' is computed twice")
            known.add(name)
    for o in g.output:
        if o.name not in known:
            raise ValueError(f"{g.name}: output '{o.name}' is not computed")


def dims(value_info):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in value_info.type.tensor_type.shape.dim]


def describe(name, proto, m, purpose, checked):
    g = proto.graph
    return {
        "file": name + ".onnx",
        "opset": proto.opset_import[0].version,
        "purpose": purpose,
        "inputs": [{"name": i.name, "dtype": DTYPE_NAMES[i.type.tensor_type.elem_type], "shape": dims(i),
                    "range": m.ranges[i.name]} for i in g.input],
        "outputs": [{"name": o.name, "dtype": DTYPE_NAMES[o.type.tensor_type.elem_type], "shape": dims(o)}
                    for o in g.output],
        "ops": sorted({n.op_type for n in g.node}),
        **({"at": m.at} if m.at else {}),
        "checked": checked,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--only", help="comma-separated model names or groups (nets, ops)")
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    ap.add_argument("--list", action="store_true", help="print the names of the test suite's models and exit")
    args = ap.parse_args()
    if args.list:
        print("\n".join(select(None)))
        return
    if not args.out:
        ap.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    index_path = os.path.join(args.out, "models.json")
    try:
        with open(index_path) as f:
            index = json.load(f)
    except (OSError, ValueError):
        index = {}
    for name in select(args.only):
        fn, opset, purpose = REGISTRY[name]
        path = os.path.join(args.out, name + ".onnx")
        fresh = os.path.exists(path) and os.path.getmtime(path) >= sources_mtime(fn) and name in index
        if fresh and not args.force:
            continue
        m = Model(name, opset, zlib.crc32(name.encode()))
        fn(m)
        proto = m.build()
        checked = validate(proto)
        onnx.save(proto, path + ".tmp")
        os.replace(path + ".tmp", path)  # a reader never sees half a model
        index[name] = describe(name, proto, m, purpose, checked)
        print(f"wrote {path} ({checked})", flush=True)
    ordered = {n: index[n] for n in REGISTRY if n in index}
    with open(index_path + ".tmp", "w") as f:
        json.dump(ordered, f, indent=1)
    os.replace(index_path + ".tmp", index_path)


if __name__ == "__main__":
    main()
