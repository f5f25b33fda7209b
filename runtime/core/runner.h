// The descriptor runner core: loads a wasm-backend descriptor and its (decompressed) weights,
// prepares every kernel once, and runs them in order over one arena. The same code runs
// natively, in WebAssembly and in the JavaScript fallback.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/kernel.h"
#include "webdnn/json.h"
#include "webdnn/version.h"

namespace webdnn::runtime {

// The format version this runtime reads: the one this build writes.
constexpr int kDescriptorVersion = kFormatVersion;

// Throws webdnn::Error unless `descriptor` is a graph descriptor of a version this runtime reads.
void check_descriptor(const Json& descriptor);

struct Port {
  std::string name;
  TensorInfo info;
  void* data;  // where to write an input before run() / read an output after it
};

class Runner {
 public:
  Runner(const Json& descriptor, std::vector<uint8_t> weights);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  const std::vector<Port>& inputs() const { return inputs_; }
  const std::vector<Port>& outputs() const { return outputs_; }
  void run();
  // Runs once, timing each kernel: [{"op", "kernel", "ms"}], slowest first. For tuning.
  Json profile();

 private:
  struct Step {
    std::string op, kernel_name;
    std::unique_ptr<Kernel> kernel;
    std::vector<void*> inputs, outputs;
  };
  uint8_t* arena_ = nullptr;
  std::vector<uint8_t> weights_;
  std::vector<Step> steps_;
  std::vector<Port> inputs_, outputs_;
};

}  // namespace webdnn::runtime
