// The wasm backend, transpiler side: a list of kernel calls over one arena. The same descriptor
// runs natively (webdnn-run), in WebAssembly and in the plain-JavaScript fallback build.
#include <algorithm>

#include "backends/backend.h"
#include "backends/wasm/generator/lowering.h"
#include "src/emit/variable_table.h"
#include "src/ops/schema.h"
#include "src/ops/branches.h"
#include "src/optimizer/layout.h"
#include "src/optimizer/memory_plan.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::backends {
namespace {

const optimizer::Order kNHWC = {0, 2, 3, 1};

// Convolutions and pools work on channels-last images, where the channels of one pixel are
// contiguous; Reshape wants row-major so that it stays a copy-free reinterpretation. Operators
// that move axes (Transpose) leave the data where it is when that puts their output in one of
// those two orders: a channels-last image seen as [N, H, W, C] (LayerNorm and MatMuls over
// channels, as ConvNeXt blocks write them) is already row-major, and back it is channels-last.
// Operators whose kernels take row-major tensors only say so.
optimizer::LayoutRequest wasm_layouts(const ir::Operator& op) {
  optimizer::LayoutRequest r;
  if (op.type == "Conv" || op.type == "MaxPool" || op.type == "AveragePool") {
    r.inputs = {kNHWC};
    r.outputs = {kNHWC};
  } else if (op.type == "Reshape") {
    r.inputs = {optimizer::row_major(op.inputs[0]->rank())};
    r.outputs = {optimizer::row_major(op.outputs[0]->rank())};
  } else if (wasm_backend::row_major_kernel(op.type)) {
    // A channels-last view that a transpose left is converted for them rather than sent to the
    // reference kernel.
    for (const ir::Variable* in : op.inputs)
      r.inputs.push_back(in && !in->is_constant() ? std::optional(optimizer::row_major(in->rank())) : std::nullopt);
    for (const ir::Variable* out : op.outputs) r.outputs.push_back(optimizer::row_major(out->rank()));
  } else if (std::vector<int> moved = ops::traits_of(op).moved_axes; !moved.empty()) {
    const ir::Variable* in = op.inputs[0];
    optimizer::Order in_place;  // the output's axes in the order their input axes lie in memory
    for (int axis : in->order)
      in_place.push_back(static_cast<int>(std::find(moved.begin(), moved.end(), axis) - moved.begin()));
    if (in_place == optimizer::row_major(in->rank()) || (in->rank() == 4 && in_place == kNHWC)) {
      r.inputs = {in->order};
      r.outputs = {in_place};
    }
  }
  return r;
}

// Which outputs may take over an input's memory, for a runtime that plans the arena again at each
// binding of the free dimensions (the same handovers as optimizer::plan_memory's).
void add_inplace(const ir::Operator& op, emit::VariableTable& table, Json& kernel) {
  Json pairs = Json::array();
  const ops::Traits traits = ops::traits_of(op);
  for (auto [in_index, out_index] : traits.inplace) {
    const ir::Variable *in = op.inputs[in_index], *out = op.outputs[out_index];
    if (!in || in->is_constant() || !ops::shares_memory(op, traits, in_index, out_index)) continue;
    pairs.push_back({table.index(in), table.index(out)});
  }
  if (!pairs.empty()) kernel["inplace"] = pairs;
}

class WasmBackend : public Backend {
 public:
  std::string name() const override { return "wasm"; }
  bool runs_free_dimensions() const override { return true; }
  bool runs_data_sizes() const override { return true; }

  std::vector<optimizer::RuleGroup> rule_groups() override {
    optimizer::RuleGroup g;
    g.name = "wasm";
    g.rules.push_back(optimizer::rules::fuse_attention());
    g.rules.push_back(optimizer::rules::conv_integer_on_grid());
    g.passes.push_back(optimizer::layout_selection(wasm_layouts));
    std::vector<optimizer::RuleGroup> groups;
    groups.push_back(std::move(g));
    return groups;
  }

  Json emit(const ir::Graph& graph, emit::WeightsBuilder& weights, Json& report) override {
    // The runner skips an If's branch that its condition does not take (docs/descriptor.md, "when"):
    // the conditions are computed first.
    std::vector<ir::Operator*> schedule = ops::conditions_first(graph.topological_order());
    const auto branches = ops::branches(graph, schedule);
    optimizer::MemoryPlan plan = optimizer::plan_memory(graph, schedule);
    emit::VariableTable table(plan, weights);
    Json kernels = Json::array(), chosen = Json::array();
    for (const ir::Operator* op : schedule) {
      kernels.push_back(wasm_backend::lower(*op, table));
      if (!graph.symbols.empty()) add_inplace(*op, table, kernels.back());
      if (auto b = branches.find(op); b != branches.end())
        kernels.back()["when"] = {{"variable", table.index(b->second.condition)}, {"value", b->second.value}};
      chosen.push_back({{"op", op->name}, {"type", op->type}, {"kernel", kernels.back()["kernel"]}, {"flops", ops::flops_of(*op)}});
    }
    report["kernels"] = kernels.size();
    // Which kernel runs each operator and what it weighs: a reference kernel (named after its
    // operator, without "wasm.") on a heavy operator is a missing fast kernel.
    report["kernel_choices"] = chosen;
    report["arena_bytes"] = plan.arena_bytes;
    report["naive_bytes"] = plan.naive_bytes;
    report["lower_bound_bytes"] = plan.lower_bound_bytes;
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
