// The conversion pipeline behind webdnn-convert: ONNX -> IR -> rules -> backend lowering -> emit.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "runtime/core/weights_codec.h"
#include "src/emit/output_dir.h"
#include "src/ir/graph.h"
#include "src/optimizer/rule.h"
#include "webdnn/json.h"
#include "webdnn/progress.h"
#include "webdnn/shape.h"

namespace webdnn::cli {

struct ConvertOptions {
  std::string model;
  std::string output_dir;  // empty: convert without writing (for --dump-ir)
  std::vector<std::string> backends;
  std::map<std::string, Shape> input_shapes;
  std::map<std::string, std::pair<int64_t, int64_t>> dim_ranges;  // --dim NAME=MIN..MAX
  optimizer::OptimizeOptions optimize;
  // --weights: the model's float32 weights coded compactly in every weights file (none: as
  // they are); what it costs is measured and reported (src/cli/weights_cost.h).
  std::optional<runtime::WeightCoding> weights;
  bool dump_ir = false;
  Progress progress;
  std::function<void(const std::string&)> print;  // where --dump-ir goes
};

// Throws webdnn::Error; the output directory is untouched on failure. Returns the report
// (also written as report.json): per backend, operators after each rule group, kernels, memory
// plan and weight sizes.
Json convert(const ConvertOptions& options);

// The steps of convert() between reading the model and writing the files, in memory (the fuzzer
// and tests call them). optimize_shared runs the shared rule groups and returns their reports;
// generate runs one backend's groups on a copy of the graph and emits its descriptor and weights.
// `after_general`, when given, receives a copy of the graph between the general and the fusion
// groups (what generate_symbolic takes).
Json optimize_shared(ir::Graph& graph, const optimizer::OptimizeOptions& optimize, const Progress& progress = {},
                     std::unique_ptr<ir::Graph>* after_general = nullptr);
// The fusion group alone, on a graph that had the general group (see convert.cc's cut); its report.
Json fuse(ir::Graph& graph, const optimizer::OptimizeOptions& optimize);
emit::BackendOutput generate(const ir::Graph& graph, backends::Backend& backend, const Json& shared, size_t imported,
                             const optimizer::OptimizeOptions& optimize, const Progress& progress = {});

// For a GPU backend on a model with free dimensions: the symbolic graph (`graph`: after the
// general group, before fusion; see optimize_shared) and its weights, which the generator built into the JavaScript runtime turns into a descriptor
// per input signature (docs/descriptor.md, "Symbolic graphs"). The sample shape's descriptor is
// generated too, as a check that the backend runs the model.
emit::BackendOutput generate_symbolic(const ir::Graph& graph, backends::Backend& backend, const Json& shared,
                                      size_t imported, const optimizer::OptimizeOptions& optimize,
                                      const Progress& progress = {});
// What the page does at a new input signature: the descriptor and weights of a symbolic graph
// (`weights`: its blob decompressed) for inputs of `shapes`, as the converter writes them for
// those shapes; `options` adds to the graph's "generate" options (webgl: "max_texture_size").
// Throws webdnn::Error, with the runtime's own message for shapes the model does not take.
emit::BackendOutput specialize(const Json& descriptor, const uint8_t* weights, size_t size,
                               const std::vector<Shape>& shapes, const Json& options);

// "12.3 MiB"
std::string mib(int64_t bytes);

// Every rule and pass name, of the shared groups and of every backend.
std::vector<std::string> rule_names();

// The report as a few readable lines per backend.
std::string format_report(const Json& report);

}  // namespace webdnn::cli
