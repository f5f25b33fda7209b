// Handlers of GatherND (opsets 11-13; batch_dims since 12) and CumSum (opsets 11-14; the axis is a
// constant input).
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

WEBDNN_ONNX_HANDLER(GatherND) {
  ir::Variable *data = ctx.required_input(0), *indices = ctx.required_input(1);
  int64_t batch_dims = ctx.attr_int("batch_dims", 0);
  WEBDNN_CHECK(batch_dims >= 0, "batch_dims ", batch_dims, " must not be negative");
  ctx.set_output(0, ctx.add("GatherND", params::GatherND{batch_dims}.to_json(), {data, indices}));
}

WEBDNN_ONNX_HANDLER(CumSum) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axis = ctx.constant_ints(1, "axis");
  WEBDNN_CHECK(axis.size() == 1, "the axis input holds ", axis.size(), " values; one is expected");
  params::CumSum p{normalize_axis(axis[0], x->rank()), ctx.attr_int("exclusive", 0) != 0, ctx.attr_int("reverse", 0) != 0};
  ctx.set_output(0, ctx.add("CumSum", p.to_json(), {x}));
}

}  // namespace
}  // namespace webdnn::onnx_frontend
