#!/usr/bin/env python3
"""Runs fill_weights.py (../shared/tools) under an onnx without the onnx.mapping module.

onnx 1.17 removed onnx.mapping, which fill_weights.py reads one table from; the GPU machine's
Python has onnx 1.23. This provides that table from onnx.helper, then runs the script as is.

usage: fill.py FILL_WEIGHTS.py STRIPPED.onnx FILLED.onnx
"""
import runpy
import sys
import types

import onnx

if len(sys.argv) != 4:
    sys.exit(__doc__)
try:
    import onnx.mapping  # noqa: F401
except ImportError:
    class DtypeTable(dict):
        def __missing__(self, data_type):
            return onnx.helper.tensor_dtype_to_np_dtype(data_type)

    mapping = types.ModuleType("onnx.mapping")
    mapping.TENSOR_TYPE_TO_NP_TYPE = DtypeTable()
    sys.modules["onnx.mapping"] = mapping
    onnx.mapping = mapping

script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")
