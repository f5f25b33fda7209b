// The matrix product (GemmSpec, see kernels.h) and the operators that are one: MatMul (batched,
// broadcast batch axes, vectors) and Gemm (transposes, alpha, beta, C), each output finished
// through the operator's epilogue. Every product gets two kernels, the runner picking one for its
// adapter:
//   GPU: BM x BN blocks per workgroup staged through workgroup memory BK deep, a register block
//     per invocation (a single row, as in fully connected layers at batch 1: a workgroup per 4
//     columns whose invocations split the depth and add up in workgroup memory).
//   CPU (SwiftShader): no workgroup memory and no barriers; each invocation reads its rows and
//     columns straight from the buffers into a register block of up to 8 x 8.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

// A workgroup of wm x wn invocations, each with a tm x tn register block; GPU kernels stage
// bk-deep slices in workgroup memory.
struct Tiles {
  int wm, wn, tm, tn, bk;
};

// GPU: 64 invocations with 4x4 blocks, in a block as square as the output allows; fewer rows or
// columns where the output is thin.
Tiles gpu_tiles(int64_t M, int64_t N, int64_t K) {
  Tiles t{8, 8, 4, 4, 16};
  if (N <= 16) t = {16, 4, 4, 4, 16};
  else if (M <= 16) t = {4, 16, 4, 4, 16};
  else if (N <= 32) t = {16, 8, 4, 4, 16};
  if (K < 16) t.bk = static_cast<int>(round_up(K, 4));
  return t;
}

// CPU: on SwiftShader every load from a buffer is a gather costing several multiply-adds, so the
// register block decides: a tm x tn block loads tm + tn values per tm * tn multiply-adds.
// Measured (cpu time per multiply-add and invocation, loads included): 8x8 0.9 ns, 4x8 1.3 ns,
// 4x4 1.6 ns; 16x8 and 16x16 no better than 8x8 (their accumulators no longer fit in
// registers). Chosen: the block and workgroup that waste the fewest padded rows and columns at
// that cost, with at least 32 invocations per workgroup where the output has that many blocks.
Tiles cpu_tiles(int64_t M, int64_t N) {
  auto cost = [](int tm, int tn) { return 3.6 * (tm + tn) / (tm * tn) + 0.45; };
  Tiles best{1, 1, 1, 1, 0};
  double best_score = 1e300;
  for (int tm : {8, 4, 2, 1}) {
    if (tm > 1 && tm / 2 >= M) continue;
    for (int tn = 8; tn >= 1; tn--) {
      if (tn > 1 && tn / 2 >= N) continue;
      for (int wm = 1; wm <= 16; wm++)
        for (int wn = 1; wn <= 16; wn++) {
          int threads = wm * wn;
          int64_t blocks = ceil_div(M, tm) * ceil_div(N, tn);
          if (threads > 256 || threads > round_up(blocks, 4) || (threads < 32 && blocks >= 32)) continue;
          if (threads % 4 && threads < blocks) continue;  // SwiftShader runs invocations in fours
          int64_t pm = round_up(M, int64_t{wm} * tm), pn = round_up(N, int64_t{wn} * tn);
          double score = static_cast<double>(pm) * static_cast<double>(pn) * cost(tm, tn);
          if (score < best_score * 0.999) best_score = score, best = {wm, wn, tm, tn, 0};
        }
    }
  }
  return best;
}

std::string acc(int r, int c) { return "acc" + std::to_string(r) + "_" + std::to_string(c); }

// The statements that store a block's outputs, skipping those past the edges. Rows are
// row + r (r < tm), columns col + q * wn (q < tn).
std::string store_block(const GemmSpec& s, const Tiles& t, const std::string& row, const std::string& col) {
  const bool edge_m = s.M % (t.wm * t.tm) != 0, edge_n = s.N % (t.wn * t.tn) != 0;
  std::ostringstream c;
  for (int r = 0; r < t.tm; r++) {
    c << "  {\n    let m = " << row << " + " << u32(r) << ";\n";
    for (int q = 0; q < t.tn; q++) {
      c << "    {\n      let n = " << col << " + " << u32(q * t.wn) << ";\n";
      std::string cond;
      if (edge_m) cond = "(m < " + u32(s.M) + ")";
      if (edge_n) cond += (cond.empty() ? "" : " & ") + std::string("(n < ") + u32(s.N) + ")";
      if (!cond.empty()) c << "      if (" << cond << ") {\n";
      c << "      " << s.store("bt", "m", "n", acc(r, q)) << "\n";
      if (!cond.empty()) c << "      }\n";
      c << "    }\n";
    }
    c << "  }\n";
  }
  return c.str();
}

Program::Variant direct(const GemmSpec& s) {
  Tiles t = cpu_tiles(s.M, s.N);
  const int T = t.wm * t.wn, BM = t.wm * t.tm, BN = t.wn * t.tn;
  const bool edge_m = s.M % BM != 0, edge_n = s.N % BN != 0;
  std::ostringstream c;
  c << s.extra;
  c << "@compute @workgroup_size(" << T << ")\n"
    << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
    << "  let bt = wid.z;\n"
    << "  let m0 = wid.y * " << u32(BM) << " + (lid / " << u32(t.wn) << ") * " << u32(t.tm) << ";\n"
    << "  let n0 = wid.x * " << u32(BN) << " + lid % " << u32(t.wn) << ";\n";
  // Rows and columns past the edges read the last one (their results are not stored).
  for (int r = 0; r < t.tm; r++)
    c << "  let am" << r << " = " << (edge_m ? "min(m0 + " + u32(r) + ", " + u32(s.M - 1) + ")" : "m0 + " + u32(r)) << ";\n";
  for (int q = 0; q < t.tn; q++)
    c << "  let bn" << q << " = "
      << (edge_n ? "min(n0 + " + u32(q * t.wn) + ", " + u32(s.N - 1) + ")" : "n0 + " + u32(q * t.wn)) << ";\n";
  for (int r = 0; r < t.tm; r++)
    for (int q = 0; q < t.tn; q++) c << "  var " << acc(r, q) << " = 0.0;\n";
  if (s.cpu_loop) {
    c << s.cpu_loop(t.tm, t.tn);
  } else {
    c << "  for (var k = 0u; k < " << u32(s.K) << "; k = k + 1u) {\n";
    for (int r = 0; r < t.tm; r++) c << "    let a" << r << " = " << s.a("bt", "am" + std::to_string(r), "k") << ";\n";
    for (int q = 0; q < t.tn; q++) c << "    let b" << q << " = " << s.b("bt", "k", "bn" + std::to_string(q)) << ";\n";
    for (int r = 0; r < t.tm; r++)
      for (int q = 0; q < t.tn; q++) c << "    " << acc(r, q) << " = " << acc(r, q) << " + a" << r << " * b" << q << ";\n";
    c << "  }\n";
  }
  c << store_block(s, t, "m0", "n0") << "}\n";
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.M, BM) <= 65535 && ceil_div(s.N, BN) <= 65535, "product too large to dispatch");
  return {c.str(), {ceil_div(s.N, BN), ceil_div(s.M, BM), s.batch}};
}

Program::Variant gemv(const GemmSpec& s) {
  const int T = 64, cols = 4, lanes = T / cols;
  std::ostringstream c;
  c << s.extra << "var<workgroup> part: array<f32, " << T << ">;\n"
    << "@compute @workgroup_size(" << T << ")\n"
    << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
    << "  let bt = wid.z;\n"
    << "  let col = wid.x * " << u32(cols) << " + lid / " << u32(lanes) << ";\n"
    << "  let lane = lid % " << u32(lanes) << ";\n"
    << "  let n = min(col, " << u32(s.N - 1) << ");\n"
    << "  var sum = 0.0;\n"
    << "  for (var k = lane; k < " << u32(s.K) << "; k = k + " << u32(lanes) << ") {\n"
    << "    sum = sum + " << s.a("bt", "0u", "k") << " * " << s.b("bt", "k", "n") << ";\n"
    << "  }\n"
    << "  part[lid] = sum;\n"
    << "  workgroupBarrier();\n";
  for (int stride = lanes / 2; stride >= 1; stride /= 2)
    c << "  if (lane < " << u32(stride) << ") { part[lid] = part[lid] + part[lid + " << u32(stride) << "]; }\n"
      << "  workgroupBarrier();\n";
  c << "  if ((lane == 0u) & (col < " << u32(s.N) << ")) {\n"
    << "    " << s.store("bt", "0u", "col", "part[lid]") << "\n"
    << "  }\n}\n";
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.N, cols) <= 65535, "product too large to dispatch");
  return {c.str(), {ceil_div(s.N, cols), 1, s.batch}};
}

Program::Variant tiled(const GemmSpec& s) {
  if (s.M == 1 && s.K >= 64) return gemv(s);
  Tiles t = gpu_tiles(s.M, s.N, s.K);
  const int T = t.wm * t.wn, BM = t.wm * t.tm, BN = t.wn * t.tn, BK = t.bk;
  const bool edge_m = s.M % BM != 0, edge_n = s.N % BN != 0, edge_k = s.K % BK != 0;
  std::ostringstream c;
  c << s.extra;
  c << "var<workgroup> As: array<f32, " << BK * BM << ">;\n";
  c << "var<workgroup> Bs: array<f32, " << BK * BN << ">;\n";
  c << "@compute @workgroup_size(" << T << ")\n"
    << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
    << "  let bt = wid.z;\n"
    << "  let m0 = wid.y * " << u32(BM) << ";\n"
    << "  let n0 = wid.x * " << u32(BN) << ";\n"
    << "  let tx = lid % " << u32(t.wn) << ";\n"
    << "  let ty = lid / " << u32(t.wn) << ";\n";
  for (int r = 0; r < t.tm; r++)
    for (int q = 0; q < t.tn; q++) c << "  var " << acc(r, q) << " = 0.0;\n";
  c << "  for (var k0 = 0u; k0 < " << u32(s.K) << "; k0 = k0 + " << u32(BK) << ") {\n";
  // Staging: A's block BM x BK into As[kk * BM + mm], B's BK x BN into Bs[kk * BN + nn], with
  // consecutive invocations on consecutive addresses of the source.
  auto stage = [&](bool is_a) {
    const int rows = is_a ? BM : BN, total = rows * BK;
    const bool along_k = is_a ? s.a_k_contiguous : !s.b_n_contiguous;
    const bool edge_r = is_a ? edge_m : edge_n;
    const int64_t extent = is_a ? s.M : s.N;
    const std::string base = is_a ? "m0" : "n0", arr = is_a ? "As" : "Bs", p = is_a ? "a" : "b";
    for (int j = 0; j * T < total; j++) {
      std::string e = p + "e" + std::to_string(j), rr = p + "r" + std::to_string(j), kk = p + "k" + std::to_string(j);
      c << "    {\n      let " << e << " = lid + " << u32(j * T) << ";\n";
      bool guard = (j + 1) * T > total;
      if (guard) c << "      if (" << e << " < " << u32(total) << ") {\n";
      if (along_k) c << "      let " << kk << " = " << e << " % " << u32(BK) << ";\n      let " << rr << " = " << e << " / " << u32(BK) << ";\n";
      else c << "      let " << rr << " = " << e << " % " << u32(rows) << ";\n      let " << kk << " = " << e << " / " << u32(rows) << ";\n";
      // Parenthesized: the callbacks multiply them.
      std::string gr = "(" + base + " + " + rr + ")", gk = "(k0 + " + kk + ")";
      std::string cond;
      if (edge_r) {
        c << "      let g" << rr << " = min(" << gr << ", " << u32(extent - 1) << ");\n";
        cond = "(" + gr + " < " + u32(extent) + ")";
        gr = "g" + rr;
      }
      if (edge_k) {
        c << "      let g" << kk << " = min(" << gk << ", " << u32(s.K - 1) << ");\n";
        cond += (cond.empty() ? "" : " & ") + std::string("(") + gk + " < " + u32(s.K) + ")";
        gk = "g" + kk;
      }
      std::string v = is_a ? s.a("bt", gr, gk) : s.b("bt", gk, gr);
      if (!cond.empty()) v = "select(0.0, " + v + ", " + cond + ")";
      c << "      " << arr << "[" << kk << " * " << u32(rows) << " + " << rr << "] = " << v << ";\n";
      if (guard) c << "      }\n";
      c << "    }\n";
    }
  };
  stage(true);
  stage(false);
  c << "    workgroupBarrier();\n";
  c << "    for (var kk = 0u; kk < " << u32(BK) << "; kk = kk + 1u) {\n";
  for (int r = 0; r < t.tm; r++)
    c << "      let a" << r << " = As[kk * " << u32(BM) << " + ty * " << u32(t.tm) << " + " << u32(r) << "];\n";
  for (int q = 0; q < t.tn; q++)
    c << "      let b" << q << " = Bs[kk * " << u32(BN) << " + tx + " << u32(q * t.wn) << "];\n";
  for (int r = 0; r < t.tm; r++)
    for (int q = 0; q < t.tn; q++) c << "      " << acc(r, q) << " = " << acc(r, q) << " + a" << r << " * b" << q << ";\n";
  c << "    }\n    workgroupBarrier();\n  }\n";
  c << store_block(s, t, "m0 + ty * " + u32(t.tm), "n0 + tx") << "}\n";
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.M, BM) <= 65535 && ceil_div(s.N, BN) <= 65535, "product too large to dispatch");
  return {c.str(), {ceil_div(s.N, BN), ceil_div(s.M, BM), s.batch}};
}

}  // namespace

void gemm(const ir::Operator& op, Program& program, const GemmSpec& s) {
  Program::Variant gpu = tiled(s), cpu = direct(s);
  program.dispatch_variants(op, gpu, cpu);
}

namespace {

// A flat batch index `b` (u32 WGSL) as the offset of one operand's matrix, given the output's
// batch shape and the operand's batch strides (in matrices; 0 where broadcast).
std::string batch_offset(const Shape& batch, const Shape& strides, int64_t matrix, const std::string& b) {
  std::string s;
  int64_t inner = 1;
  for (size_t d = batch.size(); d-- > 0;) {
    if (strides[d] != 0 && batch[d] > 1) {
      std::string coord = "((" + b + " / " + u32(inner) + ") % " + u32(batch[d]) + ")";
      s += (s.empty() ? "" : " + ") + coord + " * " + u32(strides[d] * matrix);
    }
    inner *= batch[d];
  }
  return s.empty() ? "0u" : "(" + s + ")";
}

void matmul(const ir::Operator& op, Program& program) {
  const ir::Variable *A = op.inputs[0], *B = op.inputs[1], *Y = op.outputs[0];
  const MatMulShape shape = matmul_shape(A->shape, B->shape);
  const int64_t M = shape.M, K = shape.K, N = shape.N;
  const Shape &batch = shape.batch, &sa = shape.a_strides, &sb = shape.b_strides;
  GemmSpec s;
  s.batch = num_elements(batch);
  s.M = M, s.N = N, s.K = K;
  s.a = [&, batch, sa](const std::string& bt, const std::string& m, const std::string& k) {
    return program.read(A, batch_offset(batch, sa, M * K, bt) + " + " + m + " * " + u32(K) + " + " + k);
  };
  s.b = [&, batch, sb](const std::string& bt, const std::string& k, const std::string& n) {
    return program.read(B, batch_offset(batch, sb, K * N, bt) + " + " + k + " * " + u32(N) + " + " + n);
  };
  s.store = [&](const std::string& bt, const std::string& m, const std::string& n, const std::string& x) {
    return "store_y((" + bt + " * " + u32(M) + " + " + m + ") * " + u32(N) + " + " + n + ", " + x + ");";
  };
  // The product reads A and B before the epilogue's inputs, so bindings come in that order.
  (void)s.a("0u", "0u", "0u");
  (void)s.b("0u", "0u", "0u");
  s.extra = store_function(op, 2, program);
  (void)Y;
  gemm(op, program, s);
}

void gemm_op(const ir::Operator& op, Program& program) {
  const ir::Variable *A = op.inputs[0], *B = op.inputs[1], *Y = op.outputs[0];
  const ir::Variable* C = op.input(2);
  params::Gemm p = params::Gemm::parse(op.params);
  bool ta = p.trans_a, tb = p.trans_b;
  double alpha = p.alpha, beta = p.beta;
  int64_t M = Y->shape[0], N = Y->shape[1], K = ta ? A->shape[0] : A->shape[1];
  GemmSpec s;
  s.M = M, s.N = N, s.K = K;
  s.a = [&, ta, M, K](const std::string&, const std::string& m, const std::string& k) {
    return program.read(A, ta ? k + " * " + u32(M) + " + " + m : m + " * " + u32(K) + " + " + k);
  };
  s.b = [&, tb, N, K](const std::string&, const std::string& k, const std::string& n) {
    return program.read(B, tb ? n + " * " + u32(K) + " + " + k : k + " * " + u32(N) + " + " + n);
  };
  s.a_k_contiguous = !ta;
  s.b_n_contiguous = !tb;
  (void)s.a("0u", "0u", "0u");
  (void)s.b("0u", "0u", "0u");
  Shape cs;
  if (C && beta != 0.0) cs = broadcast_strides(C->shape, contiguous_strides(C->shape), {M, N});
  if (!cs.empty()) (void)program.read(C, "0u");
  s.store = [&, alpha, beta, cs, N](const std::string&, const std::string& m, const std::string& n, const std::string& x) {
    std::string v = alpha == 1.0 ? x : f32(alpha) + " * " + x;
    if (!cs.empty()) {
      std::string c = program.read(C, m + " * " + u32(cs[0]) + " + " + n + " * " + u32(cs[1]));
      v += " + " + (beta == 1.0 ? c : f32(beta) + " * " + c);
    }
    return "store_y(" + m + " * " + u32(N) + " + " + n + ", " + v + ");";
  };
  s.extra = store_function(op, 3, program);
  gemm(op, program, s);
}

}  // namespace

WEBDNN_WGSL_KERNEL(matmul, "MatMul");
WEBDNN_WGSL_KERNEL(gemm_op, "Gemm");

}  // namespace webdnn::backends::webgpu
