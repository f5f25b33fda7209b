// Fuzz target: ONNX bytes -> import -> shared rules -> every backend's rules and emit, in memory.
// Any webdnn::Error is a proper answer to a bad model; anything else (another exception, a crash,
// a sanitizer report, a timeout) is a finding. What the converter emits for the wasm backend must
// then pass the runtime's own check of a descriptor and run: the converter may refuse a model,
// never write one that the runtime refuses. Where the model has operators that find sizes at run
// time, the cut the GPU backends get there (src/ir/split.h) must leave two valid graphs.
#include <cstdint>
#include <cstring>

#include "backends/backend.h"
#include "runtime/core/runner.h"
#include "runtime/kernels/reference/reference.h"
#include "src/cli/convert.h"
#include "src/cli/load.h"
#include "src/frontend/onnx/importer.h"
#include "src/frontend/onnx/model_file.h"
#include "src/ir/split.h"
#include "src/ops/schema.h"
#include "webdnn/error.h"
#include "webdnn/version.h"

namespace {

using namespace webdnn;

// Models with free dimensions get 1 for each, as `--input-shape` would give them.
std::map<std::string, Shape> free_dims_as_one(const std::string& bytes) {
  std::map<std::string, Shape> shapes;
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) return shapes;
  for (const auto& info : model.graph().input()) {
    const auto& type = info.type().tensor_type();
    if (!type.has_shape()) continue;
    Shape s;
    bool free = false;
    for (const auto& d : type.shape().dim()) {
      bool known = d.has_dim_value() && d.dim_value() > 0;
      free |= !known;
      s.push_back(known ? d.dim_value() : 1);
    }
    if (free) shapes[info.name()] = s;
  }
  return shapes;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // What a run of a converted model may take (the runtime refuses more before allocating).
  runtime::set_memory_limit(int64_t{64} << 20);
  // What one tensor may take while converting (constants folded at import, the webgl probe, which
  // runs the model): at 256 MiB a valid Pad or Resize of a few bytes took minutes under ASan.
  set_max_tensor_bytes(int64_t{32} << 20);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<ir::Graph> graph;
  onnx_frontend::ImportOptions import;
  import.input_shapes = free_dims_as_one(bytes);
  optimizer::OptimizeOptions optimize;
  optimize.validate = true;  // every rewrite leaves a valid graph
  Json shared;
  std::unique_ptr<ir::Graph> general;
  try {
    graph = onnx_frontend::import_bytes(bytes, "fuzz.onnx", import);
    shared = cli::optimize_shared(*graph, optimize, {}, &general);
  } catch (const Error&) {
    return 0;
  }
  ir::Split split;
  try {
    split = ir::split_graph(*general, ops::finds_size);
  } catch (const Error&) {  // a tail symbol that no model input binds
  }
  for (ir::Graph* half : {split.head.get(), split.tail.get()}) {
    if (!half) continue;
    ir::DimScope scope(*half);
    ir::validate(*half);
  }
  for (const std::string& name : backends::backend_names()) {
    emit::BackendOutput out;
    try {
      out = cli::generate(*graph, *backends::make_backend(name), shared, graph->num_operators(), optimize);
    } catch (const Error&) {
      continue;
    }
    std::string text = out.descriptor.dump();  // what the output directory holds
    if (name != "wasm") continue;
    Json d = Json::parse(text);
    d["format"] = "webdnn-graph-descriptor";
    d["version"] = kFormatVersion;
    d["backend"] = name;
    d["weights"] = {{"bytes", out.weights.size()}};
    std::unique_ptr<runtime::Runner> runner;
    try {
      runner = std::make_unique<runtime::Runner>(d, std::move(out.weights));
    } catch (const Error& e) {
      if (std::string(e.what()).find("this runtime can hold at most") != std::string::npos) continue;
      std::fprintf(stderr, "the runtime refuses the converted wasm descriptor: %s\n", e.what());
      std::abort();
    }
    for (size_t i = 0; i < runner->inputs().size(); i++) {
      const runtime::Port& port = runner->inputs()[i];
      runtime::reference::scatter_contiguous(cli::default_input(port.info, i), port.data, port.info);
    }
    try {
      runner->run();
    } catch (const Error&) {  // data the kernels refuse (an index out of range, say)
    }
  }
  return 0;
}
