// Loading a converted model natively: manifest -> descriptor -> verified, decompressed weights.
#pragma once
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <string>

#include "runtime/core/runner.h"
#include "webdnn/tensor.h"

namespace webdnn::cli {

std::unique_ptr<runtime::Runner> load_runner(const std::string& dir, const std::string& backend);

// The same over any storage: `open(file)` gives a stream of a file of the model (the manifest, a
// descriptor, a weights file), or nullptr when there is none; `where` names the model in messages.
using OpenFile = std::function<std::unique_ptr<std::istream>(const std::string& file)>;
std::unique_ptr<runtime::Runner> load_runner(const OpenFile& open, const std::string& where, const std::string& backend);

// The inputs and outputs, by name, that the manifest in `dir` declares float16, bfloat16 or
// float64: the model computes them in float32 (docs/descriptor.md, "manifest.json"). Anything
// else in the manifest's port lists is left to the runner's own checks.
std::map<std::string, std::string> declared_port_types(const std::string& dir);

// The deterministic input webdnn-run uses for an input not given: floats uniform in [0, 1) from a
// fixed generator seeded by the input's position, integers 0, booleans true.
Tensor default_input(const runtime::TensorInfo& info, size_t input_index);

// Characters outside [A-Za-z0-9_.-] replaced by '_' (output file names).
std::string sanitize_name(const std::string& name);

}  // namespace webdnn::cli
