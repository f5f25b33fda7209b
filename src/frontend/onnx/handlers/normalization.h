// Normalizations that several handler files build from IR operators.
#pragma once
#include "src/frontend/onnx/node_context.h"

namespace webdnn::onnx_frontend {

// Whether the node's output `i` is named (exporters leave unused optional outputs empty).
inline bool wants_output(NodeContext& ctx, size_t i) {
  return i < ctx.num_outputs() && !ctx.node().output(static_cast<int>(i)).empty();
}

// x / sqrt(mean(x^2 over axes axis..rank-1) + epsilon) * scale: a LayerNormalization with "rms".
// `inv_std`, when given, receives 1 / sqrt(mean + epsilon), shaped like x with the normalized axes
// kept as 1.
ir::Variable* rms_norm(NodeContext& ctx, ir::Variable* x, ir::Variable* scale, int axis, float epsilon,
                       ir::Variable** inv_std = nullptr);

// SimplifiedLayerNormalization (onnxruntime's, in the default domain and in com.microsoft).
void simplified_layer_norm(NodeContext& ctx);

}  // namespace webdnn::onnx_frontend
