// Elementwise expressions evaluated four floats at a time: the fused elementwise kernel and the
// epilogues of convolutions and matrix products. The expression is compiled once into a list of
// vector steps; inputs are read contiguously along rows of the output's memory, or broadcast.
#pragma once
#include <memory>
#include <vector>

#include "runtime/core/kernel.h"
#include "webdnn/expr.h"

namespace webdnn::wasm {

class ElementwiseProgram {
 public:
  // `inputs` and `output` as the kernel sees them (any strides, inputs broadcast to the output's
  // shape): float32, or integers that a float holds (takes_dtype) converted as they are read and
  // written (as the reference kernel stores them: NaN 0, saturated, truncated toward zero).
  ElementwiseProgram(const Expr& expr, const std::vector<runtime::TensorInfo>& inputs, const runtime::TensorInfo& output);
  // float32, bool (masks), and the integers the quantized operators read and write: uint8, int8
  // and int32 (int32 values beyond 2^24 round to float32, as a Cast to float does).
  static bool takes_dtype(DType t) {
    return t == DType::Float32 || t == DType::Bool || t == DType::UInt8 || t == DType::Int8 || t == DType::Int32;
  }

  // Computes output elements [begin, end) in the output's memory order. With an `origin`, the
  // output and input 0 (laid out like it) hold only the elements from `origin` on: a block of a
  // larger tensor that a fused kernel keeps in its cache (wasm.Attention's scores).
  void run(const void* const* inputs, void* output, int64_t begin, int64_t end, int64_t origin = 0) const;
  // All of it, split across threads.
  void run_all(const void* const* inputs, void* output) const;
  int64_t size() const { return size_; }
  // How many steps a chunk runs (inputs read and ops, fused runs counting one): for tests.
  size_t steps_per_chunk() const { return active_.size(); }

 private:
  // Runs of steps that quantized models repeat in every epilogue, done as one step each (one
  // pass over the chunk, the values between them kept in vector registers): results bit for bit
  // those of the steps they replace. Dead: a step folded into a later one.
  enum class Fused : uint8_t {
    No,
    Dead,
    FakeQuant,   // round(clamp(x / s, lo, hi)) * s: args x, s, lo, hi (QuantizeLinear -> DequantizeLinear)
    HardGate,    // max(min(x * a + b, hi), lo): args x, a, b, hi, lo (HardSigmoid)
    HardSwish,   // x * HardGate
  };
  struct Step {
    ExprOp op;
    Fused fused = Fused::No;
    int args[5] = {-1, -1, -1, -1, -1};
    float value = 0;  // constants
    // Fused: every argument after x is a constant (taken once per chunk); those of a HardGate's
    // bounds are numbers, not NaN (plain min and max then do what the NaN-passing forms do).
    bool constant_k = false, number_bounds = false;
    // Const: some step reads it as a whole register rather than its one value.
    bool wide = false;
  };
  std::vector<Step> steps_;
  std::vector<size_t> active_;  // the steps a chunk runs: not constants, not folded
  void fuse_steps();
  int result_ = 0;
  // The output's memory as `dims` (outermost first) after merging dimensions every operand
  // walks alike; per input its stride along each dim (0 = broadcast).
  std::vector<int64_t> dims_;
  std::vector<std::vector<int64_t>> strides_;
  // How each input follows a flat walk of the output, when all of them do (flat_): read in step,
  // one value for all, or one row repeated (a per-channel constant of a channels-last image). The
  // interpreter then takes chunks across rows: with rows of a few channels, each row alone would
  // pay the dispatch of every step.
  enum class Walk { Dense, Scalar, Row };
  std::vector<Walk> walks_;
  bool flat_ = false;
  void run_flat(const void* const* inputs, void* output, int64_t begin, int64_t end, int64_t origin) const;
  // Runs the steps over one chunk; see the definition.
  template <class Read>
  void run_steps(float* regs, const float** view, float* out, int vecs, Read read_input) const;
  // The calling thread's registers (a chunk per step) and view table, constants filled for n values.
  float* registers(int64_t n, const float**& view) const;
  float* direct_out(void* output, int64_t at, int n) const;
  const float* dense(int i, const uint8_t* p, int n, float* r) const;
  std::vector<int> input_of_step_;  // step index -> input index, -1 for non-inputs
  std::vector<DType> in_dtypes_;
  DType out_dtype_ = DType::Float32;
  int64_t size_ = 0;
};

}  // namespace webdnn::wasm
