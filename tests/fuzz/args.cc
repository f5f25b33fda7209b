// Fuzz target: webdnn-convert's --input-shape NAME=D1,D2,... and --dim NAME=MIN..MAX arguments,
// each given the input. Only webdnn::Error may come out; what they return holds: a shape has only
// positive dimensions and a checked element count, a range has 0 <= MIN <= MAX <= 2^40.
#include <cstdint>
#include <cstdlib>

#include "src/cli/args.h"
#include "webdnn/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace webdnn;
  std::string arg(reinterpret_cast<const char*>(data), size);
  try {
    auto [name, shape] = cli::parse_input_shape(arg);
    if (name.empty() || shape.empty()) std::abort();
    for (int64_t d : shape)
      if (d <= 0) std::abort();
    num_elements(shape);
  } catch (const Error&) {
  }
  try {
    auto [name, range] = cli::parse_dim_range(arg);
    if (name.empty() || range.first < 0 || range.first > range.second || range.second > (int64_t{1} << 40)) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
