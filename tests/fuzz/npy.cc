// Fuzz target: the .npy reader (webdnn-run --input NAME=FILE.npy). Only webdnn::Error may come
// out; a tensor it returns holds exactly the bytes its shape and dtype need, and writes back to
// the same data.
#include <cstdint>
#include <cstdlib>

#include "src/cli/npy.h"
#include "webdnn/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace webdnn;
  Tensor t;
  try {
    t = cli::parse_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
  } catch (const Error&) {
    return 0;
  }
  if (static_cast<int64_t>(t.bytes.size()) != t.size() * static_cast<int64_t>(dtype_size(t.dtype))) std::abort();
  return 0;
}
