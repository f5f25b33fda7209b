// The wasm backend, transpiler side: a list of kernel calls over one arena. The same descriptor
// runs natively (webdnn-run), in WebAssembly and in the plain-JavaScript fallback build.
#include "backends/backend.h"
#include "src/emit/variable_table.h"
#include "src/ops/schema.h"
#include "src/optimizer/memory_plan.h"

namespace webdnn::backends {
namespace {

class WasmBackend : public Backend {
 public:
  std::string name() const override { return "wasm"; }

  Json emit(const ir::Graph& graph, emit::WeightsBuilder& weights) override {
    std::vector<ir::Operator*> schedule = graph.topological_order();
    optimizer::MemoryPlan plan = optimizer::plan_memory(graph, schedule);
    emit::VariableTable table(plan, weights);
    Json kernels = Json::array();
    for (const ir::Operator* op : schedule) {
      Json k = {{"kernel", ops::schema_of(op->type).kernel}, {"op", op->name}, {"params", ops::kernel_params_of(*op)}};
      Json ins = Json::array(), outs = Json::array();
      for (const ir::Variable* v : op->inputs) ins.push_back(table.index(v));
      for (const ir::Variable* v : op->outputs) outs.push_back(table.index(v));
      k["inputs"] = ins;
      k["outputs"] = outs;
      kernels.push_back(k);
    }
    Json inputs = emit::io_list(graph.inputs, table);
    Json outputs = emit::io_list(graph.outputs, table);
    return {{"memory", {{"arena_bytes", plan.arena_bytes}, {"alignment", 64}}},
            {"inputs", inputs},
            {"outputs", outputs},
            {"variables", table.to_json()},
            {"kernels", kernels}};
  }
};

BackendRegistration registration("wasm", [] { return std::unique_ptr<Backend>(new WasmBackend()); });

}  // namespace
}  // namespace webdnn::backends
