// Loading a converted model natively: manifest -> descriptor -> verified, decompressed weights.
#pragma once
#include <memory>
#include <string>

#include "runtime/core/runner.h"
#include "webdnn/tensor.h"

namespace webdnn::cli {

std::unique_ptr<runtime::Runner> load_runner(const std::string& dir, const std::string& backend);

// The deterministic input webdnn-run uses for an input not given: floats uniform in [0, 1) from a
// fixed generator seeded by the input's position, integers 0, booleans true.
Tensor default_input(const runtime::TensorInfo& info, size_t input_index);

// Characters outside [A-Za-z0-9_.-] replaced by '_' (output file names).
std::string sanitize_name(const std::string& name);

}  // namespace webdnn::cli
