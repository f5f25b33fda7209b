#include "src/cli/convert.h"

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>

#include "backends/backend.h"
#include "src/cli/weights_cost.h"
#include "src/emit/compress_weights.h"
#include "src/emit/output_dir.h"
#include "src/frontend/onnx/importer.h"
#include "src/ir/split.h"
#include "src/ops/schema.h"
#include "src/optimizer/groups.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::cli {
namespace {

// The model's inputs or outputs as its user sees them: a float16 port is computed in float32
// but keeps its declared dtype here (docs/descriptor.md, "Manifest").
Json describe_ports(const ir::Graph& graph, const std::vector<ir::Variable*>& vars) {
  Json list = Json::array();
  for (const ir::Variable* v : vars) {
    auto declared = graph.port_types.find(v->name);
    std::string dtype = declared != graph.port_types.end() ? declared->second : dtype_name(v->dtype);
    list.push_back({{"name", v->name}, {"dtype", dtype}, {"shape", params::dims_json(v->dims)}});
  }
  return list;
}

}  // namespace

std::vector<std::string> rule_names() {
  std::set<std::string> names;
  auto add = [&](const optimizer::RuleGroup& g) {
    for (const auto& r : g.rules) names.insert(r->name());
    for (const auto& p : g.passes) names.insert(p->name());
  };
  add(optimizer::general_group());
  add(optimizer::fusion_group());
  for (const std::string& b : backends::backend_names())
    for (const auto& g : backends::make_backend(b)->rule_groups()) add(g);
  return {names.begin(), names.end()};
}

namespace {

// --weights: codes every backend's weights and measures the cost on the wasm descriptor (made for
// the measurement alone when wasm is not a target); both go into each backend's report.
void code_weights(const ir::Graph& graph, const Json& shared, size_t imported, const ConvertOptions& options,
                  std::vector<emit::BackendOutput>& outputs) {
  const runtime::WeightCoding coding = *options.weights;
  const std::string name = runtime::weight_coding_name(coding);
  if (options.progress) options.progress("coding the weights as " + name, kStepStarts);
  Json cost;
  auto measure = [&](emit::BackendOutput& wasm) {
    std::vector<uint8_t> float32 = wasm.weights;
    emit::code_weights(wasm, coding);
    if (options.progress) options.progress("measuring what " + name + " weights cost", kStepStarts);
    try {
      cost = measure_weights_cost(wasm.descriptor, float32, emit::expanded_weights(wasm));
    } catch (const Error& e) {  // a model the native runtime cannot run here (its memory limit)
      cost = {{"not_measured", std::string("the wasm descriptor it is measured on does not run: ") + e.what()}};
    }
  };
  auto wasm = std::find_if(outputs.begin(), outputs.end(), [](const emit::BackendOutput& o) { return o.backend == "wasm"; });
  if (wasm == outputs.end()) {
    try {
      emit::BackendOutput probe = generate(graph, *backends::make_backend("wasm"), shared, imported, options.optimize, {});
      measure(probe);
    } catch (const Error& e) {
      cost = {{"not_measured", std::string("the wasm descriptor it is measured on cannot be made: ") + e.what()}};
    }
  }
  for (emit::BackendOutput& out : outputs) {
    if (out.backend == "wasm") measure(out);
    else emit::code_weights(out, coding);
    if (out.tail) emit::code_weights(*out.tail, coding);
  }
  std::ostringstream line;
  line << "weights coded as " << name << ":";
  for (const emit::BackendOutput& out : outputs) {
    line << " " << out.backend << " " << mib(out.expanded_bytes) << " -> " << mib(static_cast<int64_t>(out.weights.size()));
    if (out.tail) line << " (and its wasm tail " << mib(out.tail->expanded_bytes) << " -> " << mib(static_cast<int64_t>(out.tail->weights.size())) << ")";
  }
  if (cost.contains("max_rel_error")) {
    line << "; outputs off by at most " << cost["max_rel_error"].get<double>() << " of their largest value";
    if (cost.contains("top1_agreement")) line << ", top-1 agreement " << 100 * cost["top1_agreement"].get<double>() << "%";
    if (cost.contains("top5_overlap")) line << ", top-5 overlap " << 100 * cost["top5_overlap"].get<double>() << "%";
    line << " (" << cost["measured_on"].get<std::string>() << ")";
  } else {
    line << "; not measured: " << cost["not_measured"].get<std::string>();
  }
  cost["coding"] = name;
  for (emit::BackendOutput& out : outputs) out.report["weights_coding"] = cost;
  if (options.progress) options.progress(line.str(), kStepStarts);
}

// A model with operators whose output size the input values decide, for a backend that cannot run
// them (the GPU backends): the backend runs the model up to them (the head), the wasm runtime in
// the page runs them and everything after (the tail; docs/descriptor.md, "A wasm tail"). The cut
// is made after the general group, so that each half is fused on its own and the values between
// them keep their names.
struct Halves {
  std::unique_ptr<ir::Graph> head_general;  // null when nothing comes before the tail
  std::unique_ptr<ir::Graph> head, tail;    // after the fusion group
  Json head_shared, tail_shared;            // the shared groups' reports
  std::vector<std::string> carried;
};

Halves cut_at_found_sizes(const ir::Graph& general, const Json& shared, const optimizer::OptimizeOptions& optimize) {
  ir::Split split = ir::split_graph(general, ops::finds_size);
  Halves h;
  h.carried = split.carried;
  auto fused = [&](const ir::Graph& g, Json& report) {
    std::unique_ptr<ir::Graph> copy = g.clone();
    report = Json::array({shared.at(0), fuse(*copy, optimize)});
    return copy;
  };
  if (split.head) {
    h.head = fused(*split.head, h.head_shared);
    h.head_general = std::move(split.head);
  }
  h.tail = fused(*split.tail, h.tail_shared);
  return h;
}

emit::BackendOutput generate_with_tail(const Halves& h, backends::Backend& backend, size_t imported, const ConvertOptions& options) {
  emit::BackendOutput out;
  if (!h.head) {
    out.backend = backend.name();
    out.report = {{"operators_imported", imported}, {"groups", Json::array()}, {"kernels", 0}};
  } else if (!h.head->symbols.empty() && backend.generates_in_page()) {
    out = generate_symbolic(*h.head_general, backend, h.head_shared, imported, options.optimize, options.progress);
  } else {
    out = generate(*h.head, backend, h.head_shared, imported, options.optimize, options.progress);
  }
  auto wasm = backends::make_backend("wasm");
  out.tail = std::make_shared<emit::BackendOutput>(generate(*h.tail, *wasm, h.tail_shared, imported, options.optimize));
  out.tail->carried = h.carried;
  out.tail->report["carried"] = h.carried;
  return out;
}

}  // namespace

Json convert(const ConvertOptions& options) {
  auto progress = [&](const std::string& step, double done = kStepStarts) {
    if (options.progress) options.progress(step, done);
  };
  std::vector<std::unique_ptr<backends::Backend>> targets;
  for (const std::string& name : options.backends) {
    auto b = backends::make_backend(name);
    if (!b) {
      std::string known;
      for (const std::string& n : backends::backend_names()) known += (known.empty() ? "" : ", ") + n;
      fail("unknown backend '", name, "'; available backends: ", known);
    }
    targets.push_back(std::move(b));
  }
  WEBDNN_CHECK(!targets.empty() || options.output_dir.empty(), "no backend given");
  std::vector<std::string> known_rules = rule_names();
  for (const std::string& r : options.optimize.disabled)
    WEBDNN_CHECK(std::find(known_rules.begin(), known_rules.end(), r) != known_rules.end(), "--disable-rule: no rule named '",
                 r, "' (see webdnn-convert --list-rules)");

  auto start = std::chrono::steady_clock::now();
  progress("reading " + options.model);
  onnx_frontend::ImportOptions import_options;
  import_options.input_shapes = options.input_shapes;
  import_options.dim_ranges = options.dim_ranges;
  import_options.progress = options.progress;
  std::unique_ptr<ir::Graph> graph = onnx_frontend::import_file(options.model, import_options);
  size_t imported = graph->num_operators();
  for (auto& backend : targets)
    if (!graph->symbols.empty() && !backend->runs_free_dimensions() && !backend->generates_in_page()) {
      std::string names;
      for (auto& [name, r] : graph->symbols) names += (names.empty() ? "" : ", ") + name;
      fail("the ", backend->name(), " backend cannot run models with free dimensions (this one has ", names,
           "); pin them with --input-shape");
    }
  std::string selecting;  // operators whose output size the input values decide
  for (const ir::Operator* op : graph->topological_order())
    if (ops::finds_size(*op)) selecting += (selecting.empty() ? "" : ", ") + op->type + " '" + op->name + "'";
  bool symbolic = false, cut = false;
  for (auto& backend : targets) {
    symbolic |= !graph->symbols.empty() && backend->generates_in_page();
    cut |= !selecting.empty() && !backend->runs_data_sizes();
  }
  std::unique_ptr<ir::Graph> before_fusion;
  Json shared = optimize_shared(*graph, options.optimize, options.progress, symbolic || cut ? &before_fusion : nullptr);
  if (options.dump_ir && options.print) options.print(ir::dump(*graph));
  if (options.output_dir.empty()) return Json::object();
  std::optional<Halves> halves;
  if (cut) {
    progress("cutting the model before " + selecting + " (its output size is found at run time): the GPU backends run "
             "what comes before, the wasm runtime in the page the rest");
    try {
      halves = cut_at_found_sizes(*before_fusion, shared, options.optimize);
    } catch (const Error& e) {
      fail("cannot cut '", options.model, "' before ", selecting, " for the GPU backends: ", e.what(),
           "; convert it for the wasm backend alone (--backend wasm)");
    }
  }

  emit::ModelInfo info;
  info.source = std::filesystem::path(options.model).filename().string();
  info.inputs = describe_ports(*graph, graph->inputs);
  info.outputs = describe_ports(*graph, graph->outputs);
  std::vector<emit::BackendOutput> outputs;
  for (auto& backend : targets) {
    try {
      bool in_page = !graph->symbols.empty() && backend->generates_in_page();
      if (halves && !backend->runs_data_sizes()) outputs.push_back(generate_with_tail(*halves, *backend, imported, options));
      else outputs.push_back(in_page ? generate_symbolic(*before_fusion, *backend, shared, imported, options.optimize, options.progress)
                                 : generate(*graph, *backend, shared, imported, options.optimize, options.progress));
    } catch (const Error& e) {
      fail("cannot convert '", info.source, "' for the ", backend->name(), " backend: ", e.what());
    }
  }
  if (options.weights) code_weights(*graph, shared, imported, options, outputs);
  else
    for (emit::BackendOutput& out : outputs) {  // derived weights
      emit::code_weights(out, std::nullopt);
      if (out.tail) emit::code_weights(*out.tail, std::nullopt);
    }
  Json report = emit::write_output_directory(options.output_dir, info, std::move(outputs), options.progress);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress("wrote " + options.output_dir + " in " + std::to_string(seconds).substr(0, 4) + " s");
  return report;
}

std::string format_report(const Json& report) {
  std::ostringstream s;
  s << "report for " << report.value("model", "") << "\n";
  for (const Json& b : report.at("backends")) {
    s << "backend " << b.at("backend").get<std::string>() << "\n  operators: " << b.at("operators_imported").get<int64_t>()
      << " imported";
    for (const Json& g : b.at("groups")) s << " -> " << g.at("operators_after").get<int64_t>() << " after " << g.at("group").get<std::string>();
    s << "\n";
    for (const Json& g : b.at("groups")) {
      if (g.at("rewrites").empty()) continue;
      s << "  " << g.at("group").get<std::string>() << ":";
      for (auto& [rule, n] : g.at("rewrites").items()) s << " " << rule << " x" << n.get<int>();
      s << "\n";
    }
    int64_t arena = b.value("arena_bytes", int64_t{0}), bound = b.value("lower_bound_bytes", int64_t{0});
    s << "  kernels emitted: " << b.value("kernels", 0) << "\n";
    s << "  arena: " << mib(arena) << " planned, " << mib(b.value("naive_bytes", int64_t{0})) << " for every intermediate apart, "
      << mib(bound) << " alive at once at most";
    if (bound > 0) s << " (planned / lower bound = " << std::to_string(static_cast<double>(arena) / bound).substr(0, 4) << ")";
    s << "\n  weights: " << mib(b.at("weight_bytes").get<int64_t>()) << " raw, ";
    if (b.contains("coded_weight_bytes")) s << mib(b.at("coded_weight_bytes").get<int64_t>()) << " coded, ";
    s << mib(b.at("compressed_weight_bytes").get<int64_t>()) << " compressed\n";
    if (b.contains("weights_coding")) s << "  weights coding: " << b.at("weights_coding").dump() << "\n";
    if (b.contains("tail")) {
      const Json& t = b.at("tail");
      s << "  wasm tail (what follows a size found at run time, on the wasm runtime in the page): " << t.value("kernels", 0)
        << " kernels, taking " << t.value("carried", Json::array()).dump() << " from the GPU; weights "
        << mib(t.value("weight_bytes", int64_t{0})) << "\n";
    }
  }
  return s.str();
}

}  // namespace webdnn::cli
