// The WebGPU backend, transpiler side: WGSL compute shaders generated for every operator of the
// optimized graph with shapes and offsets written in, over one arena buffer and weight buffers
// that each stay under the binding limit. The runner (../runner) compiles them once at load and
// replays the dispatches on every run.
#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include "backends/backend.h"
#include "backends/webgpu/generator/kernels/kernels.h"
#include "backends/webgpu/generator/program.h"
#include "src/ops/schema.h"
#include "src/optimizer/rules/rules.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

// Transposes that their readers read in place, through the permutation: those whose every reader
// is elementwise or a kernel that reads views (kernels.h). A channels-last block (ConvNeXt's
// Transpose to [N,H,W,C], LayerNorm, ..., Transpose back, residual Add) so moves no data. Not a
// graph output, which must be there as it is; the memory plan still decides (the input must die
// at the transpose), and transpose() in kernels/movement.cc dispatches a copy where it did not.
std::set<const ir::Operator*> views(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule) {
  std::set<const ir::Variable*> outputs(graph.outputs.begin(), graph.outputs.end());
  std::set<const ir::Operator*> chosen;
  for (const ir::Operator* op : schedule) {
    if (ops::traits_of(*op).moved_axes.empty() || outputs.count(op->outputs[0])) continue;
    bool readers = !op->outputs[0]->consumers.empty();
    for (const ir::Operator* c : op->outputs[0]->consumers) readers &= ops::traits_of(*c).elementwise || reads_views(c->type);
    if (readers) chosen.insert(op);
  }
  return chosen;
}

// Whether the model was exported in half precision: a float16 input or output. Its weights and
// tensors are float16 values already, so storing them as f16 loses nothing the model kept.
bool exported_in_half(const ir::Graph& graph) {
  for (const auto& [name, type] : graph.port_types)
    if (type == "float16") return true;
  return false;
}

// The f16 program (program.h): the same kernels over float tensors stored as f16, in an arena of
// their own planned with 2 bytes an element, beside an arena of the integer and bool tensors.
// Emitted after `f32`, whose f32 copies of the weights it converts at load.
Json half_program(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule,
                  optimizer::MemoryPlanOptions options, const Program& f32, emit::WeightsBuilder& weights, int64_t limit) {
  auto is_float = [](const ir::Variable* v) { return v->dtype == DType::Float32; };
  options.element_bytes = 4;
  options.select = [&](const ir::Variable* v) { return !is_float(v); };
  optimizer::MemoryPlan exact = optimizer::plan_memory(graph, schedule, options);
  options.element_bytes = 2;
  options.select = is_float;
  optimizer::MemoryPlan halves = optimizer::plan_memory(graph, schedule, options);
  WEBDNN_CHECK(std::max(exact.arena_bytes, halves.arena_bytes) <= limit, "the intermediate values need ",
               std::max(exact.arena_bytes, halves.arena_bytes), " bytes at once, more than one WebGPU binding holds (", limit, ")");
  Program program(graph, exact, halves, weights, f32, limit);
  for (const ir::Operator* op : schedule) {
    try {
      find_generator(op->type)(*op, program);
    } catch (const Error& e) {
      fail("webgpu kernel (f16 program) for ", op->type, " '", op->name, "': ", e.what());
    }
  }
  return program.to_json(graph);
}

class WebGpuBackend : public Backend {
 public:
  std::string name() const override { return "webgpu"; }
  bool generates_in_page() const override { return true; }
  // "half": true makes the f16 program too. The page's generator is asked so for a model whose
  // manifest declares float16 ports (the symbolic graph it reads has no port types); false or
  // absent: as the graph's port types say.
  void set_options(const Json& options) override { half_ = options.value("half", false); }

  std::vector<optimizer::RuleGroup> rule_groups() override {
    optimizer::RuleGroup g;
    g.name = "webgpu";
    g.rules.push_back(optimizer::rules::integer_products_in_float());
    // Attention as one kernel (kernels/attention.cc), heads up to 256 (Stable Diffusion's 160
    // included; larger heads would hold more than 128 values of the output in each invocation's
    // registers): the scores are never stored, which the separate MatMul, Softmax and MatMul need
    // at once with the probabilities (54 MB each for Whisper's 6 x 1500 x 1500), in an arena that
    // must fit one binding. On an H100 it took as long or less for heads of 64 (GPU time of the
    // attention, bench/gpu/run.mjs with WEBDNN_WEBGPU_FUSED_ATTENTION=1 then 0 on one machine:
    // Whisper 1.38 ms against 1.50, BERT 0.062 against 0.059, ViT-B/16 0.665 against 0.655).
    // Larger heads take V in slices and were slower fused than not on that H100 (8 heads of 1024
    // queries and keys: 80: 0.32 ms against 0.24, 128: 0.52 against 0.27, 256: 1.19 against 0.43;
    // a decoding step of 128: 0.18 against 0.08), so they are fused only where the scores take an
    // eighth of a binding or more (16 MB), past which storing them whole soon does not fit.
    // Before the splitting, which would cut the scores. WEBDNN_WEBGPU_FUSED_ATTENTION=0 keeps the
    // three operators, =all fuses every head up to 256 whatever its scores (for measuring, testing).
    const char* fused = std::getenv("WEBDNN_WEBGPU_FUSED_ATTENTION");
    const std::string fusing = fused ? fused : "";
    if (fusing != "0") g.rules.push_back(optimizer::rules::fuse_attention(256, fusing == "all" ? 0 : 64, max_binding() / 8));
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
    options.views = views(graph, schedule);
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
    if (half_ || exported_in_half(graph)) {
      Json f16 = half_program(graph, schedule, options, program, weights, limit);
      report["f16"] = {{"shaders", f16["shaders"].size()}, {"arena_bytes", f16["buffers"][0]["bytes"]},
                       {"arena16_bytes", f16["buffers"][1]["bytes"]}};
      d["f16"] = std::move(f16);
    }
    report["kernels"] = program.num_dispatches();
    report["shaders"] = d["shaders"].size();
    report["arena_bytes"] = plan.arena_bytes;
    report["naive_bytes"] = plan.naive_bytes;
    report["lower_bound_bytes"] = plan.lower_bound_bytes;
    return d;
  }

 private:
  bool half_ = false;
};

BackendRegistration registration("webgpu", [] { return std::unique_ptr<Backend>(new WebGpuBackend()); });

}  // namespace
}  // namespace webdnn::backends::webgpu
