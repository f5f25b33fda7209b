// Handler of ONNX If: with a condition known at convert time (a constant, or computed from
// shapes that are fixed), the branch it takes is imported in its place and the other dropped.
// A condition that depends on the input's values is refused: the runtimes run one fixed graph.
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {

WEBDNN_ONNX_HANDLER(If) {
  WEBDNN_CHECK(ctx.is_constant(0), "its condition is computed from the input's values at run time; WebDNN runs If only "
                                   "when the condition is known at convert time (a constant, or a test of shapes that "
                                   "--input-shape fixes)");
  Tensor cond = ctx.constant_input(0, "cond");
  WEBDNN_CHECK(cond.size() == 1, "the condition holds ", cond.size(), " values; it must hold one");
  const onnx::GraphProto& branch = ctx.attr_graph(cond.as_double(0) != 0 ? "then_branch" : "else_branch");
  WEBDNN_CHECK(static_cast<size_t>(branch.output_size()) == ctx.num_outputs(), "the branch has ", branch.output_size(),
               " outputs but the node ", ctx.num_outputs());
  ctx.import_branch(branch);
  for (int i = 0; i < branch.output_size(); i++) ctx.set_output(static_cast<size_t>(i), ctx.value(branch.output(i).name()));
}

}  // namespace webdnn::onnx_frontend
