// The rule groups every backend shares, run in this order before a backend's own.
#pragma once
#include "src/optimizer/rule.h"

namespace webdnn::optimizer {

// Inference-only simplification: folding constants, removing no-ops, gathering constants of
// affine chains and folding them (BatchNormalization included) into Conv / Gemm weights.
RuleGroup general_group();
// Kernel merging: elementwise chains into one operator, and into Conv / Gemm epilogues.
RuleGroup fusion_group();

}  // namespace webdnn::optimizer
