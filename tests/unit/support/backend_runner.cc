#include "tests/unit/support/backend_runner.h"

#include "backends/backend.h"
#include "runtime/core/runner.h"
#include "runtime/kernels/reference/reference.h"
#include "src/optimizer/groups.h"
#include "webdnn/error.h"

namespace webdnn::testing {

Lowered lower(const ir::Graph& graph, const std::string& name) {
  auto backend = backends::make_backend(name);
  WEBDNN_CHECK(backend, "no backend ", name);
  auto g = graph.clone();
  optimizer::OptimizeOptions options;
  options.validate = true;
  for (const auto& group : {optimizer::general_group(), optimizer::fusion_group()}) optimizer::run_group(*g, group, options);
  for (const auto& group : backend->rule_groups()) optimizer::run_group(*g, group, options);
  emit::WeightsBuilder weights;
  Json report;
  Json d = backend->emit(*g, weights, report);
  d["format"] = "webdnn-graph-descriptor";
  d["version"] = runtime::kDescriptorVersion;
  d["weights"] = {{"bytes", weights.size()}};
  return {d, weights.take()};
}

BackendRun run_backend(const ir::Graph& graph, const std::string& name, const std::map<std::string, Tensor>& inputs) {
  Lowered l = lower(graph, name);
  BackendRun result;
  result.descriptor = l.descriptor;
  runtime::Runner runner(l.descriptor, std::move(l.weights));
  for (const auto& port : runner.inputs()) runtime::reference::scatter_contiguous(inputs.at(port.name), port.data, port.info);
  runner.run();
  for (const auto& port : runner.outputs())
    result.outputs[port.name] = runtime::reference::gather_contiguous(port.data, port.info);
  return result;
}

std::vector<std::string> kernel_names(const Json& descriptor) {
  std::vector<std::string> names;
  for (const Json& k : descriptor.at("kernels")) names.push_back(k.at("kernel").get<std::string>());
  return names;
}

}  // namespace webdnn::testing
