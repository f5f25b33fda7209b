// Handlers of ScatterND and ScatterElements (opsets 11-18: reduction since 16, max and min since
// 18) and of Scatter (opsets 9-10, ScatterElements under its old name).
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

params::ScatterReduction reduction(NodeContext& ctx) {
  std::string r = ctx.attr_string("reduction", "none");
  const char* allowed = ctx.opset() >= 18 ? "none, add, mul, max or min" : "none, add or mul";
  params::ScatterReduction out = params::ScatterReduction::None;
  if (r == "add") out = params::ScatterReduction::Add;
  else if (r == "mul") out = params::ScatterReduction::Mul;
  else if (r == "max" && ctx.opset() >= 18) out = params::ScatterReduction::Max;
  else if (r == "min" && ctx.opset() >= 18) out = params::ScatterReduction::Min;
  else WEBDNN_CHECK(r == "none", "reduction '", r, "' is not one of ", allowed, " (opset ", ctx.opset(), ")");
  return out;
}

std::vector<ir::Variable*> inputs(NodeContext& ctx) {
  return {ctx.required_input(0), ctx.required_input(1), ctx.required_input(2)};
}

void scatter_elements(NodeContext& ctx) {
  ir::Variable* data = ctx.required_input(0);
  params::ScatterElements p{normalize_axis(ctx.attr_int("axis", 0), data->rank()), reduction(ctx)};
  ctx.set_output(0, ctx.add("ScatterElements", p.to_json(), inputs(ctx)));
}

}  // namespace

WEBDNN_ONNX_HANDLER(ScatterND) {
  ctx.set_output(0, ctx.add("ScatterND", params::ScatterND{reduction(ctx)}.to_json(), inputs(ctx)));
}

WEBDNN_ONNX_HANDLER(ScatterElements) { scatter_elements(ctx); }
WEBDNN_ONNX_HANDLER(Scatter) { scatter_elements(ctx); }

}  // namespace webdnn::onnx_frontend
