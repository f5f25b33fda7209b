// A graph written as JSON and read back: how a model with free dimensions reaches the generator
// built into the JavaScript runtime for the GPU backends (docs/descriptor.md, "Symbolic graphs"),
// which reads it with the symbols bound to one input signature and generates that shape's
// descriptor there, with the same code as webdnn-convert.
#pragma once
#include <functional>
#include <memory>

#include "src/ir/graph.h"
#include "webdnn/dim.h"
#include "webdnn/json.h"

namespace webdnn::ir {

// {"variables", "operators", "graph_inputs", "graph_outputs", "symbols", "guards"}: every variable
// with its dims (numbers or {"dim": EXPR}), axes and order, constants with the offset of their data
// (in memory order) that `store` gave them in a weights blob; operators in a topological order.
Json graph_to_json(const Graph& graph, const std::function<int64_t(const Tensor&)>& store);

// Reads graph_to_json()'s form back, the constants' data from `weights` (`size` bytes). Without
// `bindings` the symbols stay symbols (with their ranges, hints and guards). With them every symbol
// takes its value there, so that every dim and every parameter that is a dim comes out a number:
// the graph is that of this one shape (the caller checks the binding first: runtime::bind_inputs).
// The operators' outputs are inferred again and must agree with the dims written. Throws
// webdnn::Error naming the variable or operator and the field.
std::unique_ptr<Graph> graph_from_json(const Json& json, const uint8_t* weights, size_t size,
                                       const Bindings* bindings = nullptr);

}  // namespace webdnn::ir
