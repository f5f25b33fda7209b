#include "backends/wasm/kernels/elementwise.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

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
    Step s{n.op, {-1, -1, -1}, static_cast<float>(n.value)};
    for (int a = 0; a < 3; a++)
      if (n.args[a] >= 0) s.args[a] = step_of[static_cast<size_t>(n.args[a])];
    input_of_step_.push_back(n.op == ExprOp::Input ? static_cast<int>(n.value) : -1);
    step_of[i] = static_cast<int>(steps_.size());
    steps_.push_back(s);
  }
  result_ = expr.nodes.empty() ? 0 : step_of.back();
}

// The program's steps over one chunk of `vecs` groups of four; read_input(i, r) fills register r
// with the chunk's values of input i.
template <class Read>
void ElementwiseProgram::run_steps(float* regs, int vecs, Read read_input) const {
  for (size_t s = 0; s < steps_.size(); s++) {
    const Step& st = steps_[s];
    // The reference semantics lane by lane, for the ops without a vector form.
    auto lanes = [&](f32x4 x, f32x4 y, f32x4 z) {
      float out[4];
      for (int l = 0; l < 4; l++) out[l] = static_cast<float>(expr_apply(st.op, x[l], y[l], z[l]));
      return load(out);
    };
    float* r = regs + s * kChunk;
    const float* a = st.args[0] >= 0 ? regs + st.args[0] * kChunk : nullptr;
    const float* b = st.args[1] >= 0 ? regs + st.args[1] * kChunk : nullptr;
    const float* c = st.args[2] >= 0 ? regs + st.args[2] * kChunk : nullptr;
    switch (st.op) {
      case ExprOp::Input: read_input(input_of_step_[s], r); break;
      case ExprOp::Const: break;  // filled once
#define WEBDNN_EXPR_SIMD(Name, name, arity, reference, simd, ...)                  \
  case ExprOp::Name:                                                              \
    vector_step(vecs, a, b, c, r, [&](f32x4 x, f32x4 y, f32x4 z) { return simd; }); \
    break;
      WEBDNN_EXPR_OPS(WEBDNN_EXPR_SIMD)
#undef WEBDNN_EXPR_SIMD
    }
  }
}

std::unique_ptr<float[]> ElementwiseProgram::registers(int64_t n) const {
  // Uninitialized: every step writes its register before it is read. An epilogue calls this per
  // block of rows, so constants are filled as far as the block reaches, once for all its chunks.
  std::unique_ptr<float[]> regs(new float[steps_.size() * kChunk]);
  const int64_t used = std::min<int64_t>(kChunk, (n + 3) / 4 * 4);
  for (size_t s = 0; s < steps_.size(); s++)
    if (steps_[s].op == ExprOp::Const) std::fill(regs.get() + s * kChunk, regs.get() + s * kChunk + used, steps_[s].value);
  return regs;
}

void ElementwiseProgram::run_flat(const void* const* inputs, void* output, int64_t begin, int64_t end,
                                  int64_t origin) const {
  std::unique_ptr<float[]> regs = registers(end - begin);
  const int64_t row = dims_.back();
  for (int64_t at = begin; at < end; at += kChunk) {
    const int n = static_cast<int>(std::min<int64_t>(kChunk, end - at));
    const int vecs = (n + 3) / 4;
    auto read_input = [&](int i, float* r) {
      const auto* base = static_cast<const uint8_t*>(inputs[i]);
      const int64_t size = static_cast<int64_t>(dtype_size(in_dtypes_[i]));
      switch (walks_[i]) {
        case Walk::Dense: read(base + (at - (i == 0 ? origin : 0)) * size, in_dtypes_[i], 0, n, r); break;
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
    };
    run_steps(regs.get(), vecs, read_input);
    write(regs.get() + result_ * kChunk, n, out_dtype_, output, at - origin);
  }
}

void ElementwiseProgram::run(const void* const* inputs, void* output, int64_t begin, int64_t end, int64_t origin) const {
  if (flat_) {
    run_flat(inputs, output, begin, end, origin);
    return;
  }
  const size_t rank = dims_.size();
  const int64_t row = dims_.back();
  std::unique_ptr<float[]> regs = registers(end - begin);
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
      run_steps(regs.get(), vecs, [&](int i, float* r) { read(row_base[i], in_dtypes_[i], strides_[i].back() ? done : -1, n, r); });
      write(regs.get() + result_ * kChunk, n, out_dtype_, output, at + done - origin);
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
