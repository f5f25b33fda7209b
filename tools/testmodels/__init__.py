"""Test models for WebDNN, built with onnx and numpy only (see tools/make_models.py)."""
from . import (nets, nets_qdq, ops_attention, ops_elementwise, ops_indexing, ops_nn, ops_quant, ops_sampling,  # noqa: F401
               ops_selection, ops_shape, ops_transformer)  # (each registers its models)
from .builder import REGISTRY  # noqa: F401
