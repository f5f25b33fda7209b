#include "backends/wasm/kernels/elementwise.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/simd.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

constexpr int kChunk = 256;  // floats per step of the interpreter: big enough to hide its dispatch

// One step of the program over `vecs` groups of four floats: r = f(a, b, c), arguments that the
// op does not take read as zeros.
template <class F>
void vector_step(int vecs, const float* a, const float* b, const float* c, float* r, F f) {
  static const float zeros[kChunk] = {};
  if (!b) b = zeros;
  if (!c) c = zeros;
  for (int v = 0; v < vecs; v++) store(r + 4 * v, f(load(a + 4 * v), load(b + 4 * v), load(c + 4 * v)));
}

// r = f(x, k0, k1, k2, k3) over `vecs` groups of four, the k from registers `k` (null: zeros).
// Where every k is a constant, its register holds one value throughout: taken once.
template <class F>
void fused_step(int vecs, const float* x, const float* const* k, bool constant_k, float* r, F f) {
  static const float zeros[kChunk] = {};
  const float* p[4];
  for (int i = 0; i < 4; i++) p[i] = k[i] ? k[i] : zeros;
  if (constant_k) {
    const f32x4 k0 = splat(p[0][0]), k1 = splat(p[1][0]), k2 = splat(p[2][0]), k3 = splat(p[3][0]);
    for (int v = 0; v < vecs; v++) store(r + 4 * v, f(load(x + 4 * v), k0, k1, k2, k3));
    return;
  }
  for (int v = 0; v < vecs; v++)
    store(r + 4 * v, f(load(x + 4 * v), load(p[0] + 4 * v), load(p[1] + 4 * v), load(p[2] + 4 * v), load(p[3] + 4 * v)));
}

// HardGate, or HardSwish (kTimesX): max(min(x * a + b, hi), lo), times x. With bounds that are
// numbers, plain min and max pass a NaN on as the NaN-propagating forms do, in fewer instructions.
template <bool kTimesX, bool kNumberBounds>
void hard_gate(int vecs, const float* x, const float* const* k, bool constant_k, float* r) {
  fused_step(vecs, x, k, constant_k, r, [](f32x4 x, f32x4 a, f32x4 b, f32x4 hi, f32x4 lo) {
    f32x4 t = x * a;  // separate statements: never contracted into a fused multiply-add
    t = t + b;
    t = kNumberBounds ? max(min(t, hi), lo) : max_nan(min_nan(t, hi), lo);
    return kTimesX ? x * t : t;
  });
}

#ifdef __wasm_simd128__
// Four values at a time where clang leaves the conversion loops scalar; returns how many it read.
int read_vectors(const uint8_t* p, DType dtype, int n, float* r) {
  int k = 0;
  switch (dtype) {
    case DType::Float32:
      for (; k + 4 <= n; k += 4) wasm_v128_store(r + k, wasm_v128_load(p + 4 * k));
      break;
    case DType::Int32:
      for (; k + 4 <= n; k += 4) wasm_v128_store(r + k, wasm_f32x4_convert_i32x4(wasm_v128_load(p + 4 * k)));
      break;
    case DType::UInt8:
    case DType::Int8:
      for (; k + 8 <= n; k += 8) {
        v128_t v = dtype == DType::UInt8 ? wasm_u16x8_load8x8(p + k) : wasm_i16x8_load8x8(p + k);
        v128_t lo = dtype == DType::UInt8 ? wasm_u32x4_extend_low_u16x8(v) : wasm_i32x4_extend_low_i16x8(v);
        v128_t hi = dtype == DType::UInt8 ? wasm_u32x4_extend_high_u16x8(v) : wasm_i32x4_extend_high_i16x8(v);
        wasm_v128_store(r + k, wasm_f32x4_convert_i32x4(lo));
        wasm_v128_store(r + k + 4, wasm_f32x4_convert_i32x4(hi));
      }
      break;
    default: break;
  }
  return k;
}
#endif

// n values of `dtype` from p[from...] (from < 0: p[0] repeated) as floats into r.
void read(const uint8_t* p, DType dtype, int64_t from, int n, float* r) {
  auto convert = [&](auto* typed) {
    if (from < 0) {
      std::fill(r, r + n, static_cast<float>(typed[0]));
      return;
    }
    int k = 0;
#ifdef __wasm_simd128__
    k = read_vectors(reinterpret_cast<const uint8_t*>(typed + from), dtype, n, r);
#endif
    for (; k < n; k++) r[k] = static_cast<float>(typed[from + k]);
  };
  switch (dtype) {
    case DType::UInt8: case DType::Bool: convert(reinterpret_cast<const uint8_t*>(p)); break;
    case DType::Int8: convert(reinterpret_cast<const int8_t*>(p)); break;
    case DType::Int32: convert(reinterpret_cast<const int32_t*>(p)); break;
    default: convert(reinterpret_cast<const float*>(p)); break;
  }
}

#ifdef __wasm_simd128__
// 16 floats at a time into 8-bit integers, as `write` stores them: the saturating conversion takes
// NaN to 0 and truncates toward zero, and two saturating narrowings clamp. A float-to-integer
// conversion one value at a time is guarded against trapping: 2-3 ns a value in V8, the whole cost
// of a requantization. Returns how many values it wrote.
int write_8bit(const float* r, int n, bool is_signed, void* out) {
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    v128_t i[4];
    for (int q = 0; q < 4; q++) i[q] = wasm_i32x4_trunc_sat_f32x4(wasm_v128_load(r + k + 4 * q));
    v128_t lo = wasm_i16x8_narrow_i32x4(i[0], i[1]), hi = wasm_i16x8_narrow_i32x4(i[2], i[3]);
    wasm_v128_store(static_cast<uint8_t*>(out) + k, is_signed ? wasm_i8x16_narrow_i16x8(lo, hi) : wasm_u8x16_narrow_i16x8(lo, hi));
  }
  return k;
}
#endif

// n floats from r into out[at...] as `dtype`: integers as the reference kernel stores them.
void write(const float* r, int n, DType dtype, void* out, int64_t at) {
  auto convert = [&](auto* typed, float lo, float hi) {
    using T = std::remove_pointer_t<decltype(typed)>;
    int k = 0;
#ifdef __wasm_simd128__
    if constexpr (sizeof(T) == 1) k = write_8bit(r, n, std::is_signed_v<T>, typed + at);
#endif
    for (; k < n; k++) {
      float v = r[k];
      typed[at + k] = v != v ? T(0) : static_cast<T>(std::min(std::max(v, lo), hi));
    }
  };
  switch (dtype) {
    case DType::Bool:  // non-zero (NaN too) is true
      for (int k = 0; k < n; k++) static_cast<uint8_t*>(out)[at + k] = r[k] != 0;
      break;
    case DType::UInt8: convert(static_cast<uint8_t*>(out), 0.0f, 255.0f); break;
    case DType::Int8: convert(static_cast<int8_t*>(out), -128.0f, 127.0f); break;
    // 2147483520: the largest float below 2^31 (2^31 itself would not convert).
    case DType::Int32: convert(static_cast<int32_t*>(out), -2147483648.0f, 2147483520.0f); break;
    default: std::copy(r, r + n, static_cast<float*>(out) + at); break;
  }
}

}  // namespace

ElementwiseProgram::ElementwiseProgram(const Expr& expr, const std::vector<runtime::TensorInfo>& inputs,
                                       const runtime::TensorInfo& output) {
  for (const auto& t : inputs) {
    WEBDNN_CHECK(takes_dtype(t.dtype), "fast elementwise inputs are float32, bool, uint8, int8 or int32");
    in_dtypes_.push_back(t.dtype);
  }
  WEBDNN_CHECK(takes_dtype(output.dtype), "the fast elementwise output is float32, bool, uint8, int8 or int32");
  out_dtype_ = output.dtype;
  size_ = output.size();
  // Walk the output in memory order; inputs follow with their strides (0 where broadcast).
  std::vector<int> axes = output.memory_axes();
  std::vector<int64_t> dims, out_strides;
  std::vector<std::vector<int64_t>> in_strides(inputs.size());
  for (int a : axes) {
    dims.push_back(output.shape[a]);
    out_strides.push_back(output.strides[a]);
  }
  for (size_t i = 0; i < inputs.size(); i++) {
    Shape s = broadcast_strides(inputs[i].shape, inputs[i].strides, output.shape);
    for (int a : axes) in_strides[i].push_back(s[a]);
  }
  // Merge neighbouring dims that every operand walks as one, and drop size-1 dims: their strides
  // say nothing (a broadcast input's stride there need not be 0) and must not replace the
  // stride of the dim they would merge into.
  for (size_t d = 0; d < dims.size(); d++) {
    if (dims[d] == 1) continue;
    if (dims_.empty()) {
      dims_.push_back(dims[d]);
      for (size_t i = 0; i < inputs.size(); i++) strides_.push_back({in_strides[i][d]});
      continue;
    }
    bool merge = true;
    for (size_t i = 0; i < inputs.size(); i++) {
      int64_t outer = strides_[i].back(), inner = in_strides[i][d];
      merge &= outer == inner * dims[d];
    }
    if (merge) {
      dims_.back() *= dims[d];
      for (size_t i = 0; i < inputs.size(); i++) strides_[i].back() = in_strides[i][d];
    } else {
      dims_.push_back(dims[d]);
      for (size_t i = 0; i < inputs.size(); i++) strides_[i].push_back(in_strides[i][d]);
    }
  }
  if (dims_.empty()) dims_ = {1}, strides_.assign(inputs.size(), {0});
  // The output is written as one contiguous run in its memory order.
  int64_t expect = 1;
  for (size_t d = dims.size(); d-- > 0;) {
    WEBDNN_CHECK(dims[d] == 1 || out_strides[d] == expect, "the elementwise output is not dense");
    expect *= dims[d];
  }
  for (size_t i = 0; i < inputs.size(); i++) {
    int64_t inner = strides_[i].back();
    WEBDNN_CHECK(inner == 0 || inner == 1, "elementwise input ", i, " is not contiguous along the output's rows");
  }
  flat_ = true;
  for (size_t i = 0; i < inputs.size(); i++) {
    bool dense = true, scalar = true, row = true;
    int64_t expect_stride = 1;
    for (size_t d = dims_.size(); d-- > 0;) {
      const int64_t st = strides_[i][d];
      dense &= dims_[d] == 1 || st == expect_stride;
      scalar &= dims_[d] == 1 || st == 0;
      row &= dims_[d] == 1 || st == (d + 1 == dims_.size() ? 1 : 0);
      expect_stride *= dims_[d];
    }
    walks_.push_back(dense ? Walk::Dense : scalar ? Walk::Scalar : Walk::Row);
    flat_ &= dense || scalar || row;
  }
  // Every step computes in float32 already: an f32 node is its argument (no step, no copy).
  std::vector<int> step_of(expr.nodes.size());
  for (size_t i = 0; i < expr.nodes.size(); i++) {
    const ExprNode& n = expr.nodes[i];
    if (n.op == ExprOp::F32) {
      step_of[i] = step_of[static_cast<size_t>(n.args[0])];
      continue;
    }
    // An input read twice (an epilogue's x0 is both the value and a HardSwish's x) is read once.
    if (n.op == ExprOp::Input) {
      auto same = std::find(input_of_step_.begin(), input_of_step_.end(), static_cast<int>(n.value));
      if (same != input_of_step_.end()) {
        step_of[i] = static_cast<int>(same - input_of_step_.begin());
        continue;
      }
    }
    Step s;
    s.op = n.op;
    s.value = static_cast<float>(n.value);
    for (int a = 0; a < 3; a++)
      if (n.args[a] >= 0) s.args[a] = step_of[static_cast<size_t>(n.args[a])];
    input_of_step_.push_back(n.op == ExprOp::Input ? static_cast<int>(n.value) : -1);
    step_of[i] = static_cast<int>(steps_.size());
    steps_.push_back(s);
  }
  result_ = expr.nodes.empty() ? 0 : step_of.back();
  fuse_steps();
}

void ElementwiseProgram::fuse_steps() {
  // How many steps (and the final write) read each step: a run is fused only where nothing
  // else reads the values inside it.
  std::vector<int> uses(steps_.size());
  for (const Step& s : steps_)
    for (int a : s.args)
      if (a >= 0) uses[static_cast<size_t>(a)]++;
  if (!steps_.empty()) uses[static_cast<size_t>(result_)]++;
  // The step `s` if it is an `op` read by nothing else (and not folded already), else null.
  auto inner = [&](int s, ExprOp op) -> Step* {
    Step& st = steps_[static_cast<size_t>(s)];
    return st.op == op && st.fused == Fused::No && uses[static_cast<size_t>(s)] == 1 ? &st : nullptr;
  };
  auto same = [&](int a, int b) {
    const Step &x = steps_[static_cast<size_t>(a)], &y = steps_[static_cast<size_t>(b)];
    return a == b || (x.op == ExprOp::Const && y.op == ExprOp::Const && x.value == y.value);
  };
  auto fold = [&](Step& into, Fused kind, std::initializer_list<int> args, std::initializer_list<Step*> dead) {
    for (Step* d : dead) d->fused = Fused::Dead;
    into.fused = kind;
    std::fill(std::begin(into.args), std::end(into.args), -1);
    std::copy(args.begin(), args.end(), into.args);
  };
  for (Step& st : steps_) {
    if (st.op == ExprOp::Mul && st.fused == Fused::No) {
      // round(clamp(x / s, lo, hi)) * s, either factor first.
      for (int side = 0; side < 2; side++) {
        Step* round = inner(st.args[side], ExprOp::Round);
        Step* clamp = round ? inner(round->args[0], ExprOp::Clamp) : nullptr;
        Step* div = clamp ? inner(clamp->args[0], ExprOp::Div) : nullptr;
        if (!div || !same(div->args[1], st.args[1 - side])) continue;
        fold(st, Fused::FakeQuant, {div->args[0], div->args[1], clamp->args[1], clamp->args[2]}, {round, clamp, div});
        break;
      }
    }
    if (st.op == ExprOp::Max && st.fused == Fused::No) {
      // max(min(x * a + b, hi), lo) as HardSigmoid writes it: the value first in min and max.
      Step* min = inner(st.args[0], ExprOp::Min);
      Step* add = min ? inner(min->args[0], ExprOp::Add) : nullptr;
      if (!add) continue;
      for (int side = 0; side < 2; side++) {
        Step* mul = inner(add->args[side], ExprOp::Mul);
        if (!mul) continue;
        fold(st, Fused::HardGate, {mul->args[0], mul->args[1], add->args[1 - side], min->args[1], st.args[1]}, {min, add, mul});
        break;
      }
    }
    if (st.op == ExprOp::Mul && st.fused == Fused::No) {
      // x * HardGate(x): HardSwish. The gate's product is taken with x first.
      for (int side = 0; side < 2; side++) {
        const int g = st.args[side], x = st.args[1 - side];
        Step& gate = steps_[static_cast<size_t>(g)];
        if (gate.fused != Fused::HardGate || uses[static_cast<size_t>(g)] != 1) continue;
        if (gate.args[1] == x) std::swap(gate.args[0], gate.args[1]);
        if (gate.args[0] != x) continue;
        Step g_copy = gate;
        gate.fused = Fused::Dead;
        st.fused = Fused::HardSwish;
        std::copy(std::begin(g_copy.args), std::end(g_copy.args), st.args);
        break;
      }
    }
  }
  auto is_const = [&](int a) { return steps_[static_cast<size_t>(a)].op == ExprOp::Const; };
  for (Step& st : steps_) {
    if (st.fused == Fused::Dead) continue;
    if (st.fused == Fused::No) {
      for (int a : st.args)
        if (a >= 0 && is_const(a)) steps_[static_cast<size_t>(a)].wide = true;
      continue;
    }
    st.constant_k = true;
    for (int k = 1; k < 5; k++) st.constant_k &= st.args[k] < 0 || is_const(st.args[k]);
    if (!st.constant_k)
      for (int k = 1; k < 5; k++)
        if (st.args[k] >= 0 && is_const(st.args[k])) steps_[static_cast<size_t>(st.args[k])].wide = true;
    if (st.fused == Fused::HardGate || st.fused == Fused::HardSwish) {
      const float hi = steps_[static_cast<size_t>(st.args[3])].value, lo = steps_[static_cast<size_t>(st.args[4])].value;
      st.number_bounds = st.constant_k && hi == hi && lo == lo;
    }
  }
  if (!steps_.empty() && steps_[static_cast<size_t>(result_)].op == ExprOp::Const) steps_[static_cast<size_t>(result_)].wide = true;
  // What each chunk runs: a chunk costs every step's dispatch, and an epilogue's chunks are few.
  for (size_t s = 0; s < steps_.size(); s++)
    if (steps_[s].fused != Fused::Dead && steps_[s].op != ExprOp::Const) active_.push_back(s);
}

// The program's steps over one chunk of `vecs` groups of four. view[s] is where step s's values
// are: its register, or for an input read_input(i, register) says (the input's own memory where
// it can be read as it is). `out`, when not null, takes the result step's values in place of its
// register (a float32 output of whole groups of four: no copy out).
template <class Read>
void ElementwiseProgram::run_steps(float* regs, const float** view, float* out, int vecs, Read read_input) const {
  for (size_t s : active_) {
    const Step& st = steps_[s];
    float* r = out && static_cast<int>(s) == result_ ? out : regs + s * kChunk;
    view[s] = r;
    const float* p[5];
    for (int k = 0; k < 5; k++) p[k] = st.args[k] >= 0 ? view[st.args[k]] : nullptr;
    if (st.fused != Fused::No) {
      // Each as the steps it replaces compute it (the clamp as ExprOp::Clamp's vector form).
      const bool hs = st.fused == Fused::HardSwish, nb = st.number_bounds;
      switch (st.fused) {
        case Fused::FakeQuant:
          fused_step(vecs, p[0], p + 1, st.constant_k, r, [](f32x4 x, f32x4 scale, f32x4 lo, f32x4 hi, f32x4) {
            const f32x4 q = round_even(min(max(lo, x / scale), hi));
            return q * scale;
          });
          break;
        case Fused::HardGate:
        case Fused::HardSwish:
          (hs ? (nb ? hard_gate<true, true> : hard_gate<true, false>) : (nb ? hard_gate<false, true> : hard_gate<false, false>))(
              vecs, p[0], p + 1, st.constant_k, r);
          break;
        default: break;  // Dead
      }
      continue;
    }
    // The reference semantics lane by lane, for the ops without a vector form.
    auto lanes = [&](f32x4 x, f32x4 y, f32x4 z) {
      float o[4];
      for (int l = 0; l < 4; l++) o[l] = static_cast<float>(expr_apply(st.op, x[l], y[l], z[l]));
      return load(o);
    };
    switch (st.op) {
      case ExprOp::Input: view[s] = read_input(input_of_step_[s], r); break;
      case ExprOp::Const: break;  // not active: filled once
#define WEBDNN_EXPR_SIMD(Name, name, arity, reference, simd, ...)                        \
  case ExprOp::Name:                                                                    \
    vector_step(vecs, p[0], p[1], p[2], r, [&](f32x4 x, f32x4 y, f32x4 z) { return simd; }); \
    break;
      WEBDNN_EXPR_OPS(WEBDNN_EXPR_SIMD)
#undef WEBDNN_EXPR_SIMD
    }
  }
}

float* ElementwiseProgram::registers(int64_t n, const float**& view) const {
  // Uninitialized but for constants: every step writes its register before it is read. An
  // epilogue calls this per block of rows, so constants are filled as far as the block reaches,
  // once for all its chunks, and only where a step reads more than their one value.
  thread_local std::vector<const float*> views;
  if (views.size() < steps_.size()) views.resize(steps_.size());
  view = views.data();
  float* regs = scratch(steps_.size() * kChunk, 4);
  const int64_t used = std::min<int64_t>(kChunk, (n + 3) / 4 * 4);
  for (size_t s = 0; s < steps_.size(); s++) {
    if (steps_[s].op != ExprOp::Const) continue;
    std::fill(regs + s * kChunk, regs + s * kChunk + (steps_[s].wide ? used : 1), steps_[s].value);
    view[s] = regs + s * kChunk;
  }
  return regs;
}

// Where the result of n values goes: straight into a float32 output of whole groups of four, if
// the result is the last step's own (not an input's or constant's register). The output may be
// input 0 (an epilogue's): the last step reads each group before it writes it, and no step after
// it reads the input.
float* ElementwiseProgram::direct_out(void* output, int64_t at, int n) const {
  if (steps_.empty() || static_cast<size_t>(result_) + 1 != steps_.size()) return nullptr;
  const ExprOp op = steps_.back().op;
  if (out_dtype_ != DType::Float32 || n % 4 != 0 || op == ExprOp::Input || op == ExprOp::Const) return nullptr;
  return static_cast<float*>(output) + at;
}

// n values of input i read in step from p (already at the chunk's first one) into r, or p itself
// where it holds float32 and whole groups of four (the steps read it as it is).
const float* ElementwiseProgram::dense(int i, const uint8_t* p, int n, float* r) const {
  if (in_dtypes_[static_cast<size_t>(i)] == DType::Float32 && n % 4 == 0) return reinterpret_cast<const float*>(p);
  read(p, in_dtypes_[static_cast<size_t>(i)], 0, n, r);
  return r;
}

void ElementwiseProgram::run_flat(const void* const* inputs, void* output, int64_t begin, int64_t end,
                                  int64_t origin) const {
  const float** view = nullptr;
  float* regs = registers(end - begin, view);
  const int64_t row = dims_.back();
  for (int64_t at = begin; at < end; at += kChunk) {
    const int n = static_cast<int>(std::min<int64_t>(kChunk, end - at));
    const int vecs = (n + 3) / 4;
    auto read_input = [&](int i, float* r) -> const float* {
      const auto* base = static_cast<const uint8_t*>(inputs[i]);
      const int64_t size = static_cast<int64_t>(dtype_size(in_dtypes_[i]));
      switch (walks_[i]) {
        case Walk::Dense: return dense(i, base + (at - (i == 0 ? origin : 0)) * size, n, r);
        case Walk::Scalar: read(base, in_dtypes_[i], -1, n, r); break;
        case Walk::Row:  // the row from the chunk's place in it, repeated
          for (int done = 0; done < n;) {
            const int64_t col = (at + done) % row;
            const int m = static_cast<int>(std::min<int64_t>(n - done, row - col));
            read(base, in_dtypes_[i], col, m, r + done);
            done += m;
          }
          break;
      }
      return r;
    };
    float* out = direct_out(output, at - origin, n);
    run_steps(regs, view, out, vecs, read_input);
    if (!out) write(view[static_cast<size_t>(result_)], n, out_dtype_, output, at - origin);
  }
}

void ElementwiseProgram::run(const void* const* inputs, void* output, int64_t begin, int64_t end, int64_t origin) const {
  if (flat_) {
    run_flat(inputs, output, begin, end, origin);
    return;
  }
  const size_t rank = dims_.size();
  const int64_t row = dims_.back();
  const float** view = nullptr;
  float* regs = registers(end - begin, view);
  std::vector<const uint8_t*> row_base(strides_.size());
  std::vector<int64_t> index(rank);
  // Position of `begin` as a multi-index.
  int64_t rest = begin;
  for (size_t d = rank; d-- > 0;) {
    index[d] = rest % dims_[d];
    rest /= dims_[d];
  }
  int64_t at = begin;
  while (at < end) {
    int64_t n_row = std::min(end - at, row - index[rank - 1]);
    for (size_t i = 0; i < strides_.size(); i++) {
      int64_t off = 0;
      for (size_t d = 0; d < rank; d++) off += index[d] * strides_[i][d];
      if (i == 0) off -= origin;
      row_base[i] = static_cast<const uint8_t*>(inputs[i]) + off * static_cast<int64_t>(dtype_size(in_dtypes_[i]));
    }
    for (int64_t done = 0; done < n_row; done += kChunk) {
      int n = static_cast<int>(std::min<int64_t>(kChunk, n_row - done));
      int vecs = (n + 3) / 4;
      auto read_input = [&](int i, float* r) -> const float* {
        if (strides_[i].back()) return dense(i, row_base[i] + done * static_cast<int64_t>(dtype_size(in_dtypes_[i])), n, r);
        read(row_base[i], in_dtypes_[i], -1, n, r);
        return r;
      };
      float* out = direct_out(output, at + done - origin, n);
      run_steps(regs, view, out, vecs, read_input);
      if (!out) write(view[static_cast<size_t>(result_)], n, out_dtype_, output, at + done - origin);
    }
    at += n_row;
    // Advance the multi-index by n_row along the last dim.
    index[rank - 1] += n_row;
    for (size_t d = rank; d-- > 1 && index[d] >= dims_[d];) {
      index[d] = 0;
      index[d - 1]++;
    }
  }
}

void ElementwiseProgram::run_all(const void* const* inputs, void* output) const {
  runtime::parallel_for(size_, 16384, [&](int64_t b, int64_t e) { run(inputs, output, b, e); });
}

}  // namespace webdnn::wasm
