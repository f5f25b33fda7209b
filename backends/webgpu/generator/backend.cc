// The WebGPU backend, transpiler side: WGSL compute shaders generated for every operator of the
// optimized graph with shapes and offsets written in, over one arena buffer and weight buffers
// that each stay under the binding limit. The runner (../runner) compiles them once at load and
// replays the dispatches on every run.
#include <cstdlib>
#include <string>

#include "backends/backend.h"
#include "backends/webgpu/generator/kernels/kernels.h"
#include "backends/webgpu/generator/program.h"
#include "src/optimizer/rules/rules.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

class WebGpuBackend : public Backend {
 public:
  std::string name() const override { return "webgpu"; }
  bool generates_in_page() const override { return true; }

  std::vector<optimizer::RuleGroup> rule_groups() override {
    optimizer::RuleGroup g;
    g.name = "webgpu";
    g.rules.push_back(optimizer::rules::integer_products_in_float());
    // Attention as one kernel (kernels/attention.cc), heads up to 64 (its blocks of V and of the
    // output are sized for them): the scores are never stored, which the separate MatMul, Softmax
    // and MatMul need at once with the probabilities (54 MB each for Whisper's 6 x 1500 x 1500),
    // in an arena that must fit one binding. On an H100 it took as long or less (GPU time of the
    // attention, bench/gpu/run.mjs with WEBDNN_WEBGPU_FUSED_ATTENTION=1 then 0 on one machine:
    // Whisper 1.38 ms against 1.50, BERT 0.062 against 0.059, ViT-B/16 0.665 against 0.655).
    // Before the splitting, which would cut the scores. WEBDNN_WEBGPU_FUSED_ATTENTION=0 keeps the
    // three operators (for measuring).
    const char* fused = std::getenv("WEBDNN_WEBGPU_FUSED_ATTENTION");
    if (!fused || std::string(fused) != "0") g.rules.push_back(optimizer::rules::fuse_attention(64));
    g.rules.push_back(optimizer::rules::split_oversized(max_binding()));
    std::vector<optimizer::RuleGroup> groups;
    groups.push_back(std::move(g));
    return groups;
  }

  Json emit(const ir::Graph& graph, emit::WeightsBuilder& weights, Json& report) override {
    std::vector<ir::Operator*> schedule = graph.topological_order();
    optimizer::MemoryPlanOptions options;
    options.alignment = kAlignment;
    options.element_bytes = 4;  // every dtype stored as f32
    optimizer::MemoryPlan plan = optimizer::plan_memory(graph, schedule, options);
    const int64_t limit = max_binding();
    WEBDNN_CHECK(plan.arena_bytes <= limit, "the intermediate values need ", plan.arena_bytes,
                 " bytes at once, more than one WebGPU binding holds (", limit,
                 ", maxStorageBufferBindingSize on every device); convert the model for smaller inputs (--input-shape, "
                 "a smaller batch), or for the wasm backend");
    std::vector<std::string> missing;
    for (const ir::Operator* op : schedule)
      if (!find_generator(op->type)) missing.push_back(op->type + " ('" + op->name + "')");
    if (!missing.empty()) {
      std::string list;
      for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
      fail("the webgpu backend has no kernel for: ", list);
    }
    Program program(graph, plan, weights, limit);
    for (const ir::Operator* op : schedule) {
      try {
        find_generator(op->type)(*op, program);
      } catch (const Error& e) {
        fail("webgpu kernel for ", op->type, " '", op->name, "': ", e.what());
      }
    }
    Json d = program.to_json(graph);
    d["max_binding"] = limit;
    report["kernels"] = program.num_dispatches();
    report["shaders"] = d["shaders"].size();
    report["arena_bytes"] = plan.arena_bytes;
    report["naive_bytes"] = plan.naive_bytes;
    report["lower_bound_bytes"] = plan.lower_bound_bytes;
    return d;
  }
};

BackendRegistration registration("webgpu", [] { return std::unique_ptr<Backend>(new WebGpuBackend()); });

}  // namespace
}  // namespace webdnn::backends::webgpu
