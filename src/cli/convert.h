// The conversion pipeline behind webdnn-convert: ONNX -> IR -> rules -> backend lowering -> emit.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "webdnn/shape.h"

namespace webdnn::cli {

struct ConvertOptions {
  std::string model;
  std::string output_dir;  // empty: convert without writing (for --dump-ir)
  std::vector<std::string> backends;
  std::map<std::string, Shape> input_shapes;
  bool dump_ir = false;
  std::function<void(const std::string&)> progress;
  std::function<void(const std::string&)> print;  // where --dump-ir goes
};

// Throws webdnn::Error; the output directory is untouched on failure.
void convert(const ConvertOptions& options);

}  // namespace webdnn::cli
