#include "src/optimizer/groups.h"

#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer {

RuleGroup general_group() {
  RuleGroup g;
  g.name = "general";
  // Before constant folding, which would turn the weights it reads into plain floats.
  g.rules.push_back(rules::record_integer_grid());
  g.rules.push_back(rules::constant_folding());
  g.rules.push_back(rules::remove_identity());
  g.rules.push_back(rules::merge_transposes());
  g.rules.push_back(rules::merge_reshapes());
  g.rules.push_back(rules::constant_operand_to_add_mul());
  g.rules.push_back(rules::merge_constant_operands());
  g.rules.push_back(rules::distribute_scale_over_shift());
  g.rules.push_back(rules::decompose_batch_normalization());
  g.rules.push_back(rules::fold_channel_affine());
  g.rules.push_back(rules::fold_input_scale());
  g.rules.push_back(rules::narrow_dequantized_tables());
  return g;
}

RuleGroup fusion_group() {
  RuleGroup g;
  g.name = "fusion";
  g.rules.push_back(rules::fuse_quantize_dequantize());
  g.rules.push_back(rules::fuse_epilogue());
  g.rules.push_back(rules::merge_elementwise());
  return g;
}

}  // namespace webdnn::optimizer
