// ONNX model -> IR graph: inputs with resolved shapes, initializers as constants, one handler
// per node, shape computations folded.
#pragma once
#include "webdnn/progress.h"
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "src/ir/graph.h"
#include "webdnn/shape.h"

namespace webdnn::onnx_frontend {

struct ImportOptions {
  // Shapes for inputs with free dimensions, by input name.
  std::map<std::string, Shape> input_shapes;
  // Bounds of free dimensions by their name (--dim NAME=MIN..MAX); a model's free dimensions
  // stay symbols (webdnn/dim.h) unless input_shapes pins them.
  std::map<std::string, std::pair<int64_t, int64_t>> dim_ranges;
  // Told how reading the initializers and importing the nodes go (webdnn/progress.h).
  Progress progress;
};

// Throws webdnn::Error naming the file, and the node where one is at fault.
std::unique_ptr<ir::Graph> import_file(const std::string& path, const ImportOptions& options = {});
// The same for a model in memory (`name` stands for the file in messages); it has no directory,
// so initializers with external data are refused.
std::unique_ptr<ir::Graph> import_bytes(const std::string& bytes, const std::string& name,
                                        const ImportOptions& options = {});

}  // namespace webdnn::onnx_frontend
