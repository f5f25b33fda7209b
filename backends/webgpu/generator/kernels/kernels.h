// WGSL kernel generators, one per IR operator type (or family), and the WGSL snippets they share.
// A generator declares the tensors of each dispatch (Program::input / output), writes its WGSL
// through their accessors, and writes a shader longer than a few lines as a template (template.h).
//
// Written for SwiftShader as much as for GPUs: conditions combine with `&` / `|` on bools, never
// `&&` / `||` (short-circuits become branches, and branches inside a kernel that also waits at
// workgroup barriers make SwiftShader's compiler take the GPU process down); values outside a
// tensor are read at a clamped index and dropped with select(), not guarded by `if`.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "backends/webgpu/generator/program.h"
#include "backends/webgpu/generator/template.h"
#include "webdnn/expr.h"

namespace webdnn::backends::webgpu {

using Generator = void (*)(const ir::Operator& op, Program& program);
void register_generator(const char* type, Generator generator);
Generator find_generator(const std::string& type);

struct GeneratorRegistration {
  GeneratorRegistration(Generator g, std::initializer_list<const char*> types) {
    for (const char* t : types) register_generator(t, g);
  }
};

// Kernels that read their inputs through the accessors element by element and for whom a
// transposed view of a tensor costs index arithmetic (and reads less contiguous) rather than a
// dispatch: a transpose feeding only them and elementwise operators is a view (backend.cc). Rows
// of normalizations; the fused attention, measured worth it; not the tiled products, whose tiles
// load contiguous runs.
void register_view_reader(const char* type);
bool reads_views(const std::string& type);
struct ViewReaders {
  ViewReaders(std::initializer_list<const char*> types) {
    for (const char* t : types) register_view_reader(t);
  }
};

#define WEBDNN_WGSL_CONCAT_INNER(a, b) a##b
#define WEBDNN_WGSL_CONCAT(a, b) WEBDNN_WGSL_CONCAT_INNER(a, b)
// WEBDNN_WGSL_KERNEL(generator, "Type1", "Type2", ...)
#define WEBDNN_WGSL_KERNEL(fn, ...) \
  static ::webdnn::backends::webgpu::GeneratorRegistration WEBDNN_WGSL_CONCAT(wgsl_registration_, __COUNTER__)(fn, {__VA_ARGS__})
// WEBDNN_WGSL_READS_VIEWS("Type1", ...): see register_view_reader.
#define WEBDNN_WGSL_READS_VIEWS(...) \
  static ::webdnn::backends::webgpu::ViewReaders WEBDNN_WGSL_CONCAT(wgsl_view_readers_, __COUNTER__)({__VA_ARGS__})

// Statements computing `e` on the WGSL f32 expressions `inputs`; returns the name of the result.
// (expression.cc; the helper functions it calls are added by Program.)
std::string expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix, std::string& code);
// The helper functions (is_nan, max_n, erf_f, ...) that WGSL `code` calls, to put before it.
std::string wgsl_helpers(const std::string& code);
std::string u32(int64_t v);
std::string i32(int64_t v);

// The row-major strides of `shape` (elements).
Shape strides_of(const Shape& shape);
// WGSL function `fn store_y(i: u32, x: f32)` that stores x, the finished value of output element i
// of op's output 0, after op.params["epilogue"] if any. Declares the epilogue's extra inputs
// (from input `first_extra` on, as extra1, extra2, ..., read at i's position broadcast to the
// output) and then the output, y.
std::string store_function(const ir::Operator& op, size_t first_extra, Program& program);
// WGSL function `fn <name>(i: u32, x: f32) -> f32`: x after op.params["epilogue"] (x itself
// without one) as element i of a tensor of `shape`; the extra inputs are declared as for
// store_function (an operator whose epilogue applies to a value it does not store: attention's
// scores).
std::string epilogue_function(const ir::Operator& op, size_t first_extra, const Shape& shape, const std::string& name,
                              Program& program);
// The value stored for an output of `dtype` computed as f32 expression `x`.
std::string cast_value(DType dtype, const std::string& x);
// Round `n` up to a multiple of `m`, and the ceiling of n / m.
inline int64_t round_up(int64_t n, int64_t m) { return (n + m - 1) / m * m; }
inline int64_t ceil_div(int64_t n, int64_t m) { return (n + m - 1) / m; }
// A workgroup size for `threads` simple invocations: small outputs get small groups so that they
// still spread over several workgroups.
int workgroup_for(int64_t threads);

// A WGSL function `name(lid: u32, sg_n: u32, v: f32) -> f32` (sg_n: @builtin(subgroup_size))
// giving every invocation of a workgroup of `group` the merge of their `v`s, `merge` being a
// template of `${a}` and `${b}`: within each subgroup by shuffles, then across subgroups through
// `part` (var<workgroup> array<f32, group / 4> at least), two barriers where a halving tree in
// workgroup memory takes log2(group). The variant for devices with 'subgroups' (see
// Program::dispatch_variants). Subgroups are taken as runs of consecutive invocations, as
// implementations lay out a one-dimensional workgroup; `group` >= 128, the most lanes a subgroup
// may have, so a subgroup never holds invocations of two workgroups' worth of parts.
std::string subgroup_merge(const std::string& name, const std::string& merge, int group);
// What else a shader calling subgroup_merge's functions needs: the directive that heads it, and
// the entry point's parameter `sg_n` that the calls pass on.
constexpr const char* kEnableSubgroups = "enable subgroups;";
constexpr const char* kSubgroupSizeParameter = ", @builtin(subgroup_size) sg_n: u32";

// The tiled matrix product shared by Conv, MatMul and Gemm: for each of `batch` products,
// out(m, n) = sum over k of A(m, k) * B(k, n), M x N outputs over depth K. A workgroup computes
// a BM x BN block: it stages BK-deep slices of A and B in workgroup memory (loaded with
// consecutive invocations on consecutive addresses), then each invocation accumulates a TM x TN
// register block (rows contiguous, columns WN apart so that neighbouring invocations read
// neighbouring values). The callbacks return WGSL: `a`/`b` the f32 value at (batch, row, depth)
// and (batch, depth, col), given u32 expressions known to be in range; `store` the statements
// that finish output (batch, m, n) with value x.
struct GemmSpec {
  int64_t batch = 1, M = 0, N = 0, K = 0;
  std::function<std::string(const std::string& b, const std::string& m, const std::string& k)> a;
  std::function<std::string(const std::string& b, const std::string& k, const std::string& n)> b;
  std::function<std::string(const std::string& b, const std::string& m, const std::string& n, const std::string& x)>
      store;
  // Whether A(m, k+1) follows A(m, k) in memory (else A(m+1, k) follows A(m, k)), and likewise
  // B(k, n+1) after B(k, n): the staging loads walk along that axis.
  bool a_k_contiguous = true, b_n_contiguous = true;
  std::string extra;  // WGSL put before the entry point (the store function)
  // WGSL functions that a() and b() call, put only into the kernels that call them (the CPU
  // kernel of a convolution reads its operands through cpu_loop instead).
  std::string operand_functions;
  // CPU kernel only: the accumulation in place of the plain loop over k, for operands whose
  // index math is cheaper by other loops (convolution windows). Given the register block tm x tn,
  // it returns statements that add A(bt, am<r>, k) * B(bt, k, bn<q>) over all k into
  // acc<r>_<q> (am<r>, bn<q>: rows and columns already clamped into range; acc() names them).
  std::function<std::string(int tm, int tn)> cpu_loop;
  // Integer operands: a() and b() return u32 words of four int8 values along the depth, K counts
  // words, sums are i32 (dot4), and store() gets an i32 sum. See integer_product.cc.
  bool packed = false;
};
void gemm(const ir::Operator& op, Program& program, const GemmSpec& spec);
// Whether a convolution is run by Winograd F(2x2, 3x3) on GPUs (a 3x3 of stride 1 whose shape it
// measured faster for), and its dispatches (conv_winograd.cc).
bool winograd_chosen(const ir::Operator& op);
void winograd_conv(const ir::Operator& op, Program& program);
// A flat batch index `b` (u32 WGSL) as the offset of one operand's matrix of `matrix` elements,
// given the output's batch shape and the operand's batch strides (in matrices; 0 where broadcast).
std::string batch_offset(const Shape& batch, const Shape& strides, int64_t matrix, const std::string& b);
// Statements adding a<r> * b<q> into acc<r>_<q> over a tm x tn register block (packed: dot4(a<r>, b<q>)).
std::string multiply_add(int tm, int tn, bool packed = false);
// A quantized model's Conv, MatMul or Gemm in integers where its grids allow (integer_product.cc):
// false, having declared nothing, where they do not.
bool integer_product(const ir::Operator& op, Program& program);

}  // namespace webdnn::backends::webgpu
