// Handler of ONNX If. With a condition known at convert time (a constant, or computed from
// shapes that are fixed), the branch it takes is imported in its place and the other dropped.
// With a condition known only at run time, both branches are imported and each output is
// Where(condition, then's, else's): the condition picks whole results, which needs outputs of one
// dtype and shape in both branches. The reference interpreter and the wasm runtime skip the
// operators of the branch not taken (ops/branches.h); the GPU backends run both (their kernels
// clamp what a branch not meant for its inputs reads out of range).
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

// The branch's nodes imported, and its outputs.
std::vector<ir::Variable*> import_outputs(NodeContext& ctx, const onnx::GraphProto& branch, const char* which) {
  WEBDNN_CHECK(static_cast<size_t>(branch.output_size()) == ctx.num_outputs(), "the ", which, " has ",
               branch.output_size(), " outputs but the node ", ctx.num_outputs());
  ctx.import_branch(branch);
  std::vector<ir::Variable*> out;
  for (int i = 0; i < branch.output_size(); i++) out.push_back(ctx.value(branch.output(i).name()));
  return out;
}

}  // namespace

WEBDNN_ONNX_HANDLER(If) {
  ir::Variable* cond = ctx.required_input(0);
  WEBDNN_CHECK(identical(num_elements(cond->dims), Dim(1)), "the condition ('", cond->name, "') is ",
               shape_to_string(cond->dims), "; it must hold one value");
  if (cond->is_constant()) {
    bool taken = cond->logical_data().as_double(0) != 0;
    const char* which = taken ? "then_branch" : "else_branch";
    std::vector<ir::Variable*> out = import_outputs(ctx, ctx.attr_graph(which), which);
    for (size_t i = 0; i < out.size(); i++) ctx.set_output(i, out[i]);
    return;
  }
  // Read each branch's outputs before importing the other: their inner names may coincide.
  std::vector<ir::Variable*> then_out = import_outputs(ctx, ctx.attr_graph("then_branch"), "then_branch");
  std::vector<ir::Variable*> else_out = import_outputs(ctx, ctx.attr_graph("else_branch"), "else_branch");
  ir::Variable* pick = ctx.reshape(cond, {});  // a scalar selects whole tensors of any rank
  if (pick->dtype != DType::Bool) pick = ctx.add("Cast", {{"to", dtype_name(DType::Bool)}}, {pick});
  for (size_t i = 0; i < then_out.size(); i++) {
    ir::Variable *a = then_out[i], *b = else_out[i];
    WEBDNN_CHECK(a->dtype == b->dtype && identical(a->dims, b->dims), "its condition is known only at run time, so "
                 "WebDNN imports both branches and picks each output; output ", i, " is ", dtype_name(a->dtype), " ",
                 shape_to_string(a->dims), " in then_branch but ", dtype_name(b->dtype), " ", shape_to_string(b->dims),
                 " in else_branch, and must be alike in both");
    ctx.set_output(i, ctx.add("Where", {}, {pick, a, b}));
  }
}

}  // namespace webdnn::onnx_frontend
