// The descriptor runner core: checks a wasm-backend descriptor in full, prepares every kernel once,
// then, given the decompressed weights, runs the kernels in order over one arena. The same code
// runs natively, in WebAssembly and in the JavaScript fallback.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/kernel.h"
#include "runtime/core/specialize.h"
#include "webdnn/json.h"
#include "webdnn/version.h"

namespace webdnn::runtime {

// The format version this runtime reads: the one this build writes.
constexpr int kDescriptorVersion = kFormatVersion;
// The most bytes an arena or a weights blob may hold: what a 32-bit address space can allocate
// (WebAssembly), and a sane bound natively.
constexpr int64_t kMaxBufferBytes = sizeof(size_t) < 8 ? (int64_t{1} << 32) - 65536 : int64_t{1} << 40;

// The most memory one model's arena and weights may take together: what the WebAssembly heap can
// grow to (4 GiB; 2 GiB in the JavaScript fallback), kMaxBufferBytes natively. A Runner checks a
// descriptor against it before it allocates anything (and before the weights are downloaded).
int64_t memory_limit();
// Lowers (or restores, with 0) that limit for this process: for the fuzzer and tests.
void set_memory_limit(int64_t bytes);

// Throws webdnn::Error unless `descriptor` is a graph descriptor of a version this runtime reads
// whose weights entry is well formed.
void check_descriptor(const Json& descriptor);

struct Port {
  std::string name;
  TensorInfo info;
  void* data;  // where to write an input before run() / read an output after it
};

class Runner {
 public:
  // Checks every field of the descriptor and prepares every kernel (each checks its parameters
  // against its tensors), before anything large is allocated: a malformed descriptor fails here,
  // naming the kernel or variable and the field. A descriptor with free dimensions is checked as
  // specialized for the converter's sample shapes, which are the current shapes until
  // set_input_shapes() says otherwise.
  explicit Runner(const Json& descriptor);
  // Both steps at once.
  Runner(const Json& descriptor, std::vector<uint8_t> weights);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Takes the decompressed weights (of the size the descriptor says) and allocates the arena.
  void load(std::vector<uint8_t> weights);

  // The inputs' shapes for the next runs, in the order of inputs(): binds the model's free
  // dimensions, checks everything the model requires of them (webdnn::Error naming the input and
  // axis otherwise) and makes the plan for those shapes current. Plans of the last few shapes are
  // kept, so that alternating between them costs nothing; inputs must be written again after a
  // change.
  void set_input_shapes(const std::vector<Shape>& shapes);
  const Signature& signature() const { return signature_; }

  // The current plan's inputs and outputs (their shapes, and where their data lives). A model with
  // sizes that the input values decide (NonZero...) knows its outputs' shapes only after run().
  const std::vector<Port>& inputs() const { return stages_.front().plan->inputs; }
  const std::vector<Port>& outputs() const { return stages_.back().plan->outputs; }
  void run();
  // Runs once, timing each kernel: [{"op", "kernel", "ms"}], slowest first. For tuning.
  Json profile();

  static constexpr size_t kCachedPlans = 4;

 private:
  struct Place {
    bool in_weights;
    int64_t offset;
  };
  struct Step {
    std::string op, kernel_name;
    std::unique_ptr<Kernel> kernel;
    std::vector<int> input_vars, output_vars;
    std::vector<void*> inputs, outputs;
    // "when": the step runs only while this bool variable holds `when_value` (-1: always).
    int when_var = -1;
    bool when_value = true;
    const uint8_t* when = nullptr;
  };
  // One specialization of the descriptor: its kernels prepared, pointed at its stage's arena.
  struct Plan {
    std::string key;
    int64_t arena_bytes = 0;
    uint8_t* arena = nullptr;  // the arena its steps and ports point into (its stage's, when current)
    std::vector<TensorInfo> infos;
    std::vector<Place> places;
    std::vector<Step> steps;
    std::vector<std::pair<std::string, int>> input_vars, output_vars;
    std::vector<Port> inputs, outputs;
  };
  // One run at a time uses a stage's plans, one plan at a time: they share one arena, as large as
  // the largest of them so far. A plan made for new shapes then finds its memory allocated and
  // warm (only growth allocates and clears), and the cached plans hold one arena, not one each.
  struct Arena {
    uint8_t* data = nullptr;
    int64_t bytes = 0;
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    Arena(Arena&& other) noexcept : data(other.data), bytes(other.bytes) { other.data = nullptr; }
    ~Arena();
  };
  // The kernels up to a size found at run time, or after the last one (all of them in most
  // models: runtime/core/stages.h), with the plans made of them for the bindings met.
  struct StagePlans {
    std::unique_ptr<Specializer> specializer;  // of a descriptor with symbols, to specialize again
    std::vector<std::pair<std::string, int>> finds;  // data symbols, and the output port of each
    std::vector<std::unique_ptr<Plan>> plans;        // most recently used first
    Plan* plan = nullptr;
    Arena arena;
  };
  // Checks a descriptor without symbols and prepares its kernels.
  std::unique_ptr<Plan> prepare(const Json& d) const;
  // Points the plan's steps and ports at their data in `arena`, which it grows first if the plan
  // needs more (other plans of the stage then point into it again at their next use).
  void attach(Plan& plan, Arena& arena) const;
  template <class Variable>
  static void read_ports(const Json& d, const char* key, Plan& plan, Variable variable);
  // Makes the stage's plan for binding `b` current: made at the first use of that binding (the
  // symbols the stage finds bound to their capacity), then kept while it is among the last few.
  void use_plan(StagePlans& stage, const Bindings& b);
  // Runs the stages in order, binding each size found before the next; `times`, when given,
  // receives the time of every kernel.
  void run_stages(std::vector<std::pair<double, const Step*>>* times);

  Signature signature_;
  Bindings binding_;  // of the inputs' symbols
  int64_t weights_bytes_ = 0;
  std::vector<uint8_t> weights_;
  bool loaded_ = false;
  std::vector<StagePlans> stages_;
};

}  // namespace webdnn::runtime
