// Gemm and MatMul: four output columns per texel, reading per step of 4 along K one texel of A
// (4 values of K) and 4 texels of B (4 columns each) where the layouts line up; a constant B is
// laid out for that: output columns packed, then K.
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

// B with its N axis packed and outermost, K inner.
Layout weight_layout(const Shape& b, bool transposed) {
  return transposed ? ordered_layout(b, {0, 1}, 0) : ordered_layout(b, {1, 0}, 1);
}

void gemm_layouts(const ir::Operator& op, Program& p) {
  const ir::Variable* b = op.inputs[1];
  bool tb = op.type == "Gemm" && params::Gemm::parse(op.params).trans_b;
  if (b->is_constant() && b->rank() == 2) request_layout(p, b, weight_layout(b->shape, tb));
  // A rank-4 product (channels-last blocks, attention heads) row-major, four columns a texel: the
  // default image layout would pack axis 1, one output element a fragment.
  const ir::Variable* y = op.outputs[0];
  if (op.type == "MatMul" && y->rank() == 4) request_layout(p, y, flat_layout(y->shape));
}

// A product y[.., m, n] = sum_k a(k) * b(k); `a_at(k)` / `b_at(k)` give the coordinates of A and
// B for K index k (GLSL int), `a_axis`, `b_axis`: their K and N axes. vector: four n at once.
struct Operands {
  int a, b;
  std::function<Coords(const std::string&)> a_at, b_at;
  int a_k_axis, b_n_axis;
  int64_t K;
};

std::string product(Kernel& k, const Operands& o, bool vector) {
  std::ostringstream s;
  int64_t full = o.K / 4;
  if (vector) {
    s << "  vec4 acc = vec4(0.0);\n";
    s << "  for (int k4 = 0; k4 < " << full << "; k4++) {\n    int k = k4 * 4;\n";
    s << "    vec4 a = " << k.vec4_along(o.a, o.a_at("k"), o.a_k_axis) << ";\n";
    for (int i = 0; i < 4; i++)
      s << "    acc += a[" << i << "] * " << k.vec4_along(o.b, o.b_at("k + " + std::to_string(i)), o.b_n_axis) << ";\n";
    s << "  }\n";
    for (int64_t kk = full * 4; kk < o.K; kk++)
      s << "  acc += " << k.element(o.a, o.a_at(std::to_string(kk))) << " * "
        << k.vec4_along(o.b, o.b_at(std::to_string(kk)), o.b_n_axis) << ";\n";
  } else {
    s << "  float acc = 0.0;\n";
    s << "  for (int k4 = 0; k4 < " << full << "; k4++) {\n    int k = k4 * 4;\n";
    s << "    vec4 a = " << k.vec4_along(o.a, o.a_at("k"), o.a_k_axis) << ";\n";
    s << "    vec4 b = vec4(";
    for (int i = 0; i < 4; i++) s << (i ? ", " : "") << k.element(o.b, o.b_at("k + " + std::to_string(i)));
    s << ");\n    acc += dot(a, b);\n  }\n";
    for (int64_t kk = full * 4; kk < o.K; kk++)
      s << "  acc += " << k.element(o.a, o.a_at(std::to_string(kk))) << " * " << k.element(o.b, o.b_at(std::to_string(kk)))
        << ";\n";
  }
  return s.str();
}

void gemm(const ir::Operator& op, Program& p) {
  const ir::Variable* yv = op.outputs[0];
  if (yv->size() == 0) return;
  params::Gemm g = params::Gemm::parse(op.params);
  bool ta = g.trans_a, tb = g.trans_b;
  double alpha = g.alpha, beta = g.beta;
  int a = p.var(op.inputs[0]), b = p.var(op.inputs[1]), y = p.var(yv);
  bool has_c = op.inputs.size() > 2 && op.inputs[2];
  int c = has_c ? p.var(op.inputs[2]) : -1;
  Operands o;
  o.a = a;
  o.b = b;
  o.a_at = [ta](const std::string& k) { return ta ? Coords{k, "c0"} : Coords{"c0", k}; };
  o.b_at = [tb](const std::string& k) { return tb ? Coords{"c1", k} : Coords{k, "c1"}; };
  o.a_k_axis = ta ? 0 : 1;
  o.b_n_axis = tb ? 0 : 1;
  o.K = op.inputs[0]->shape[ta ? 0 : 1];
  bool vector = p.at(y).layout.packed == 1;
  auto body = [&](Kernel& k) {
    std::string s = product(k, o, vector);
    std::string value = vector ? "acc" : "vec4(acc)";
    if (alpha != 1.0) value = "(" + value + ") * " + glsl_float(alpha);
    if (has_c) {
      Coords cc = k.broadcast(c, k.out_coords());
      int axis = 1 - (2 - p.at(c).layout.rank());
      std::string cv = vector ? k.vec4_along(c, cc, axis >= 0 ? axis : -1) : "vec4(" + k.element(c, cc) + ")";
      value = value + " + " + cv + (beta != 1.0 ? " * " + glsl_float(beta) : "");
    }
    s += "  vec4 g = " + value + ";\n";
    std::string code;
    std::string r = epilogue(k, op, 3, "g", k.out_coords(), !vector, code);
    return s + code + (vector ? "  vec4 r = " + r + ";\n" : "  v = " + r + ".x;\n");
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void matmul(const ir::Operator& op, Program& p) {
  const ir::Variable *av = op.inputs[0], *bv = op.inputs[1], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int a = p.var(av), b = p.var(bv), y = p.var(yv);
  int r = yv->rank();
  bool a_vec = av->rank() == 1, b_vec = bv->rank() == 1;
  int batch = r - (a_vec ? 0 : 1) - (b_vec ? 0 : 1);
  std::string m = a_vec ? "" : "c" + std::to_string(batch);
  std::string n = b_vec ? "" : "c" + std::to_string(r - 1);
  // Batch coordinates of an operand of `rank` (its last two axes are the matrix), broadcast.
  auto batch_coords = [&](const ir::Variable* v) {
    Coords c;
    int vb = v->rank() - 2;
    for (int i = 0; i < vb; i++) {
      int out_axis = i + batch - vb;
      c.push_back(v->shape[i] == 1 ? "0" : "c" + std::to_string(out_axis));
    }
    return c;
  };
  Operands o;
  o.a = a;
  o.b = b;
  o.a_at = [&, m](const std::string& k) {
    if (a_vec) return Coords{k};
    Coords c = batch_coords(av);
    c.push_back(m);
    c.push_back(k);
    return c;
  };
  o.b_at = [&, n](const std::string& k) {
    if (b_vec) return Coords{k};
    Coords c = batch_coords(bv);
    c.push_back(k);
    c.push_back(n);
    return c;
  };
  o.a_k_axis = av->rank() - 1;
  o.b_n_axis = b_vec ? -1 : bv->rank() - 1;
  o.K = av->shape.back();
  bool vector = !b_vec && p.at(y).layout.packed == r - 1;
  auto body = [&](Kernel& k) {
    std::string s = product(k, o, vector);
    std::string code;
    std::string res = epilogue(k, op, 2, vector ? "acc" : "vec4(acc)", k.out_coords(), !vector, code);
    return s + code + (vector ? "  vec4 r = " + res + ";\n" : "  v = " + res + ".x;\n");
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

}  // namespace

WEBDNN_GLSL_KERNEL(gemm, gemm_layouts, "Gemm");
WEBDNN_GLSL_KERNEL(matmul, gemm_layouts, "MatMul");

}  // namespace webdnn::backends::webgl
