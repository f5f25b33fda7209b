// Fuzz target: webdnn-convert's --input-shape NAME=D1,D2,... argument. Only webdnn::Error may
// come out; a shape it returns has only positive dimensions, and its element count is checked.
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
  return 0;
}
