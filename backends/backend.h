// A backend, transpiler side: rewrites the graph for its kernels and writes its descriptor.
// Each backend lives in backends/<name>/ with its generator here and its executor beside it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "src/emit/weights.h"
#include "src/ir/graph.h"
#include "src/optimizer/rule.h"
#include "webdnn/json.h"

namespace webdnn::backends {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // The backend's own rule groups (layout selection, splitting...), run on its copy of the graph
  // after the shared groups.
  virtual std::vector<optimizer::RuleGroup> rule_groups() { return {}; }
  // The backend's part of the descriptor; constant data goes into `weights`, and figures worth
  // reporting (kernels, memory plan) into `report`.
  virtual Json emit(const ir::Graph& graph, emit::WeightsBuilder& weights, Json& report) = 0;
  // Whether its descriptors may hold dims of free dimensions (docs/descriptor.md).
  virtual bool runs_free_dimensions() const { return false; }
  // Whether it runs operators whose output size the input values decide (NonZero,
  // NonMaxSuppression: webdnn/params.h, "data symbols"), the runtime splitting the model there.
  virtual bool runs_data_sizes() const { return false; }
  // Whether, for a model with free dimensions, it writes the symbolic graph instead, which the
  // generator built into the JavaScript runtime specializes per input signature (GPU backends,
  // whose kernels have every shape written in).
  virtual bool generates_in_page() const { return false; }
  // Options of that generation (docs/descriptor.md, "Symbolic graphs": "generate"); backends
  // ignore what they do not know.
  virtual void set_options(const Json& options) {}
};

std::unique_ptr<Backend> make_backend(const std::string& name);  // nullptr when unknown
std::vector<std::string> backend_names();

struct BackendRegistration {
  using Factory = std::unique_ptr<Backend> (*)();
  BackendRegistration(const char* name, Factory factory);
};

}  // namespace webdnn::backends
