// Runs a graph through a backend's rule groups and descriptor, then the runtime's Runner, so that
// tests can compare a backend's kernels with the reference kernels.
#pragma once
#include <map>
#include <vector>
#include <string>

#include "src/ir/graph.h"
#include "webdnn/json.h"
#include "webdnn/tensor.h"

namespace webdnn::testing {

struct BackendRun {
  Json descriptor;
  std::map<std::string, Tensor> outputs;
};

// Optimizes a copy of `graph` with the shared and the backend's groups and emits its descriptor
// and (decompressed) weights.
struct Lowered {
  Json descriptor;
  std::vector<uint8_t> weights;
};
Lowered lower(const ir::Graph& graph, const std::string& backend);

// The same, then runs it natively on `inputs` (by input name).
BackendRun run_backend(const ir::Graph& graph, const std::string& backend, const std::map<std::string, Tensor>& inputs);

// Kernel names in the descriptor, in order.
std::vector<std::string> kernel_names(const Json& descriptor);

}  // namespace webdnn::testing
