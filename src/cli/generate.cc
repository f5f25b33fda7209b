// The steps of a conversion between reading the model and writing the files: the shared rule
// groups, one backend's groups and emit, and for the GPU backends on a model with free dimensions
// the symbolic graph that the generator built into the JavaScript runtime specializes per shape
// (specialize(), the same code in the page as here). No ONNX in here: this file and what it calls
// also build with Emscripten (runtime/wasm, webdnn-generator).
#include <algorithm>
#include <set>
#include <sstream>

#include "backends/backend.h"
#include "runtime/core/specialize.h"
#include "src/cli/convert.h"
#include "src/ir/serialize.h"
#include "src/ops/schema.h"
#include "src/optimizer/groups.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::cli {
namespace {

Json group_report(const optimizer::GroupReport& r) {
  return {{"group", r.group}, {"operators_before", r.operators_before}, {"operators_after", r.operators_after},
          {"rewrites", r.applied}};
}

// A WebAssembly memory's 32-bit address space (the runtime's -sMAXIMUM_MEMORY).
constexpr int64_t kWasmMemoryBytes = int64_t{4} << 30;

// What a descriptor of a model with free dimensions adds to the common envelope
// (docs/descriptor.md): the symbols and what the converted code assumes of them.
// A data symbol also says which variable its operator writes the size into, and the capacity to
// run that operator with (docs/descriptor.md, "Sizes known only at run time").
void add_symbols(const ir::Graph& g, Json& descriptor) {
  if (g.symbols.empty()) return;
  SymbolScope scope(g.symbol_dims());
  std::map<std::string, Json> data;
  const Json& variables = descriptor.at("variables");
  for (const ir::Operator* op : g.topological_order()) {
    const ops::OpSchema& schema = ops::schema_of(op->type);
    if (!schema.capacity) continue;
    size_t v = 0;
    while (v < variables.size() && variables[v].value("name", "") != op->outputs.back()->name) v++;
    WEBDNN_CHECK(v < variables.size(), "internal: the size of ", op->type, " '", op->name, "' has no variable");
    std::string name = params::Reader(op->params).dim("count", 0, params::kMaxExtent).to_string();
    data[name] = {{"variable", v}, {"capacity", params::dim_json(schema.capacity(*op))}};
  }
  Json symbols = Json::array(), guards = Json::array();
  std::set<std::string> gone;  // data symbols whose operator was optimized away
  for (auto& [name, r] : g.symbols) {
    if (r.data && !data.count(name)) {
      gone.insert(name);
      continue;
    }
    symbols.push_back({{"name", name}, {"min", r.min}, {"max", r.max}, {"hint", r.hint}});
    if (r.data) symbols.back()["data"] = data.at(name);
  }
  for (const Guard& guard : g.guards) {
    std::vector<std::string> names = guard.lhs.symbols();
    if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return gone.count(n) > 0; })) continue;
    guards.push_back({{"lhs", params::dim_json(guard.lhs)}, {"equal", guard.equal}, {"where", guard.where}});
  }
  descriptor["symbols"] = symbols;
  descriptor["guards"] = guards;
}

}  // namespace

std::string mib(int64_t bytes) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << bytes / 1048576.0 << " MiB";
  return s.str();
}


Json optimize_shared(ir::Graph& graph, const optimizer::OptimizeOptions& optimize, const Progress& progress,
                     std::unique_ptr<ir::Graph>* after_general) {
  const std::string optimizing = "optimizing " + std::to_string(graph.num_operators()) + " operators";
  if (progress) progress(optimizing, 0);
  Json shared = Json::array();
  for (const optimizer::RuleGroup& group : {optimizer::general_group(), optimizer::fusion_group()}) {
    shared.push_back(group_report(optimizer::run_group(graph, group, optimize)));
    if (after_general && shared.size() == 1) *after_general = graph.clone();
    if (progress) progress(optimizing, shared.size() / 2.0);
  }
  return shared;
}

Json fuse(ir::Graph& graph, const optimizer::OptimizeOptions& optimize) {
  return group_report(optimizer::run_group(graph, optimizer::fusion_group(), optimize));
}

emit::BackendOutput generate(const ir::Graph& graph, backends::Backend& backend, const Json& shared, size_t imported,
                             const optimizer::OptimizeOptions& optimize, const Progress& progress) {
  // examples/common/prepare.mjs reads this step's name to tell which backend failed.
  const std::string generating = "generating the " + backend.name() + " descriptor";
  if (progress) progress(generating, 0);
  std::unique_ptr<ir::Graph> g = graph.clone();
  emit::BackendOutput out;
  out.backend = backend.name();
  out.report = {{"operators_imported", imported}, {"groups", shared}};
  std::vector<optimizer::RuleGroup> groups = backend.rule_groups();
  for (const optimizer::RuleGroup& group : groups) {
    out.report["groups"].push_back(group_report(optimizer::run_group(*g, group, optimize)));
    if (progress) progress(generating, (out.report["groups"].size() - shared.size()) / (groups.size() + 1.0));
  }
  emit::WeightsBuilder weights;
  {
    ir::DimScope dims(*g);
    out.descriptor = backend.emit(*g, weights, out.report);
  }
  add_symbols(*g, out.descriptor);
  out.weights = weights.take();
  out.float_ranges = weights.float_ranges();
  out.derived = weights.derived_ranges();
  // Every backend's weights are decompressed in the WebAssembly runtime's memory at load, and the
  // wasm backend keeps its arena there too: what does not fit there is refused now, not in a
  // visitor's tab after the download.
  int64_t arena = backend.name() == "wasm" ? out.report.value("arena_bytes", int64_t{0}) : 0;
  int64_t held = static_cast<int64_t>(out.weights.size()) + arena;
  WEBDNN_CHECK(held <= kWasmMemoryBytes, "the model needs ", mib(static_cast<int64_t>(out.weights.size())), " of weights",
               arena ? " and " + mib(arena) + " for its intermediate values" : std::string(),
               ", more than the 4096 MiB a WebAssembly runtime can hold",
               arena ? "; convert it for smaller inputs (--input-shape, a smaller batch) or for a GPU backend"
                     : "; the weights must be made smaller (quantized, or the model split)");
  if (progress) progress(generating, 1);
  return out;
}


namespace {

Json optimize_json(const optimizer::OptimizeOptions& o) { return {{"level", o.level}, {"disabled", o.disabled}}; }

optimizer::OptimizeOptions optimize_from_json(const Json& j) {
  optimizer::OptimizeOptions o;
  if (!j.is_object()) return o;
  params::Reader r(j, "field");
  o.level = static_cast<int>(r.integer("level", 0, 1));
  o.disabled = j.at("disabled").get<std::set<std::string>>();
  return o;
}

}  // namespace

emit::BackendOutput generate_symbolic(const ir::Graph& graph, backends::Backend& backend, const Json& shared, size_t imported,
                                      const optimizer::OptimizeOptions& optimize, const Progress& progress) {
  const std::string generating = "generating the " + backend.name() + " descriptor";
  if (progress) progress(generating, 0);
  emit::WeightsBuilder builder;
  Json d = ir::graph_to_json(graph, [&](const Tensor& t) { return builder.add(t); });
  std::vector<uint8_t> weights = builder.take();
  const std::vector<std::pair<int64_t, int64_t>> float_ranges = builder.float_ranges();
  auto ports = [&](const std::vector<ir::Variable*>& vars, const Json& indices) {
    Json list = Json::array();
    for (size_t i = 0; i < vars.size(); i++) list.push_back({{"name", vars[i]->name}, {"variable", indices[i]}});
    return list;
  };
  d["inputs"] = ports(graph.inputs, d["graph_inputs"]);
  d["outputs"] = ports(graph.outputs, d["graph_outputs"]);
  d["backend"] = backend.name();
  d["generate"] = {{"optimize", optimize_json(optimize)}};

  // The page generates each shape's descriptor when it first runs at that shape; the converter
  // generates the sample shape's now, so that a model this backend cannot run (an operator
  // without a kernel, a limit) fails here, and learns what the page needs but cannot afford to
  // compute itself (WebGL's half-float probe runs the whole model on the reference kernels).
  runtime::Signature signature = runtime::read_signature(d);
  Bindings sample = runtime::sample_binding(signature);
  std::vector<Shape> shapes;
  for (auto& [name, dims] : signature.inputs) {
    Shape s;
    for (const Dim& x : dims) s.push_back(x.evaluate(sample));
    shapes.push_back(s);
  }
  d["generate"]["sample_shapes"] = shapes;
  emit::BackendOutput trial = specialize(d, weights.data(), weights.size(), shapes, Json::object());
  if (trial.descriptor.contains("half_float")) d["generate"]["half_float"] = trial.descriptor["half_float"];

  emit::BackendOutput out;
  out.backend = backend.name();
  out.descriptor = std::move(d);
  out.weights = std::move(weights);
  out.float_ranges = float_ranges;
  out.report = trial.report;
  out.report["operators_imported"] = imported;
  out.report["groups"] = shared;
  out.report["symbolic"] = {{"sample", runtime::binding_text(sample)}, {"sample_groups", trial.report["groups"]}};
  WEBDNN_CHECK(static_cast<int64_t>(out.weights.size()) <= kWasmMemoryBytes / 2, "the model needs ",
               mib(static_cast<int64_t>(out.weights.size())),
               " of weights; the generator in the page holds them twice in WebAssembly memory (4096 MiB); convert it with "
               "--input-shape for this backend");
  if (progress) progress(generating, 1);
  return out;
}

emit::BackendOutput specialize(const Json& descriptor, const uint8_t* weights, size_t size, const std::vector<Shape>& shapes,
                               const Json& options) {
  runtime::Signature signature = runtime::read_signature(descriptor);
  Bindings bindings = runtime::bind_inputs(signature, shapes);
  std::unique_ptr<ir::Graph> graph = ir::graph_from_json(descriptor, weights, size, &bindings);
  const Json& name = descriptor.at("backend");
  std::unique_ptr<backends::Backend> backend = name.is_string() ? backends::make_backend(name.get<std::string>()) : nullptr;
  WEBDNN_CHECK(backend, "the symbolic graph names no known backend (", name.dump(), ")");
  Json generate_options = descriptor.value("generate", Json::object());
  for (auto& [key, value] : options.items()) generate_options[key] = value;
  backend->set_options(generate_options);
  optimizer::OptimizeOptions optimize = optimize_from_json(generate_options.value("optimize", Json()));
  size_t imported = graph->num_operators();
  // The shared groups again: what the symbols kept apart (DimValues, Range, the shape arithmetic
  // after them) is constant now and folds, as it does when the converter is given the shapes;
  // fusion comes after that, as there (the graph was written before it: which elementwise
  // operators merge, and how, depends on which operands are constants).
  Json shared = optimize_shared(*graph, optimize);
  return generate(*graph, *backend, shared, imported, optimize);
}

}  // namespace webdnn::cli
