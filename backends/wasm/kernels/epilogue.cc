#include "backends/wasm/kernels/epilogue.h"

namespace webdnn::wasm {
namespace {

// Whether `e` is x0 clamped: x0, max(x0, a), min(x0, b), min(max(x0, a), b) or max(min(x0, b), a).
bool as_clamp(const Expr& e, float& lo_out, float& hi_out) {
  float lo = lo_out, hi = hi_out;
  int node = e.result();
  bool seen_min = false, seen_max = false;
  while (true) {
    const ExprNode& n = e.nodes[node];
    if (n.op == ExprOp::Input) {
      if (n.value != 0) return false;
      lo_out = lo, hi_out = hi;
      return true;
    }
    if (n.op != ExprOp::Max && n.op != ExprOp::Min) return false;
    const ExprNode &a = e.nodes[n.args[0]], &b = e.nodes[n.args[1]];
    const ExprNode* k = a.op == ExprOp::Const ? &a : b.op == ExprOp::Const ? &b : nullptr;
    if (!k) return false;
    bool is_max = n.op == ExprOp::Max;
    if (is_max ? seen_max : seen_min) return false;
    (is_max ? seen_max : seen_min) = true;
    (is_max ? lo : hi) = static_cast<float>(k->value);
    node = k == &a ? n.args[1] : n.args[0];
  }
}

}  // namespace

Epilogue Epilogue::from(const runtime::KernelSpec& spec, size_t first_extra) {
  Epilogue ep;
  ep.first_extra = first_extra;
  ep.extras = spec.inputs.size() - first_extra;
  if (!spec.params.contains("epilogue")) return ep;
  Expr e = Expr::from_json(spec.params.at("epilogue"));
  if (as_clamp(e, ep.lo, ep.hi)) return ep;
  std::vector<runtime::TensorInfo> inputs = {spec.outputs[0]};
  inputs.insert(inputs.end(), spec.inputs.begin() + static_cast<long>(first_extra), spec.inputs.end());
  ep.program = std::make_unique<ElementwiseProgram>(e, inputs, spec.outputs[0]);
  return ep;
}

void Epilogue::finish(void* const* inputs, float* output, int64_t begin, int64_t end) const {
  if (!program) return;
  std::vector<const float*> args = {output};
  for (size_t i = 0; i < extras; i++) args.push_back(static_cast<const float*>(inputs[first_extra + i]));
  program->run(args.data(), output, begin, end);
}

}  // namespace webdnn::wasm
