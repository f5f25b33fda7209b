#include "src/cli/convert.h"

#include <chrono>
#include <filesystem>

#include "backends/backend.h"
#include "src/emit/output_dir.h"
#include "src/frontend/onnx/importer.h"
#include "webdnn/error.h"

namespace webdnn::cli {
namespace {

Json describe_ports(const std::vector<ir::Variable*>& vars) {
  Json list = Json::array();
  for (const ir::Variable* v : vars) list.push_back({{"name", v->name}, {"dtype", dtype_name(v->dtype)}, {"shape", v->shape}});
  return list;
}

}  // namespace

void convert(const ConvertOptions& options) {
  auto progress = [&](const std::string& line) {
    if (options.progress) options.progress(line);
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

  auto start = std::chrono::steady_clock::now();
  progress("reading " + options.model);
  onnx_frontend::ImportOptions import_options;
  import_options.input_shapes = options.input_shapes;
  import_options.progress = options.progress;
  std::unique_ptr<ir::Graph> graph = onnx_frontend::import_file(options.model, import_options);
  progress("imported " + std::to_string(graph->num_operators()) + " operators");
  if (options.dump_ir && options.print) options.print(ir::dump(*graph));
  if (options.output_dir.empty()) return;

  emit::ModelInfo info;
  info.source = std::filesystem::path(options.model).filename().string();
  info.inputs = describe_ports(graph->inputs);
  info.outputs = describe_ports(graph->outputs);
  std::vector<emit::BackendOutput> outputs;
  for (auto& backend : targets) {
    progress("generating the " + backend->name() + " descriptor");
    emit::WeightsBuilder weights;
    backend->lower(*graph);
    emit::BackendOutput out;
    out.backend = backend->name();
    out.descriptor = backend->emit(*graph, weights);
    out.weights = weights.take();
    outputs.push_back(std::move(out));
  }
  emit::write_output_directory(options.output_dir, info, std::move(outputs), options.progress);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress("wrote " + options.output_dir + " in " + std::to_string(seconds).substr(0, 4) + " s");
}

}  // namespace webdnn::cli
