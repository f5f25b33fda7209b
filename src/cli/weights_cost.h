// What `--weights` coding costs in accuracy: the wasm descriptor run natively on a deterministic
// input (cli::default_input), once with the float32 weights and once with the coded ones as the
// loader expands them. Measured on wasm because the converter runs it natively; the GPU backends'
// weights are coded alike, in their own layouts (blocks fall elsewhere: errors of the same size).
#pragma once
#include <cstdint>
#include <vector>

#include "webdnn/json.h"

namespace webdnn::cli {

// {"max_rel_error": largest |coded - float32| / largest |float32| over the float32 outputs,
//  "top1_agreement": share of rows (along the last axis, of outputs with 2 or more values there)
//  whose arg-max is the same, "top5_overlap": share of the 5 largest in common (5 or more)}.
Json measure_weights_cost(const Json& wasm_descriptor, const std::vector<uint8_t>& float32_weights,
                          const std::vector<uint8_t>& coded_weights);

}  // namespace webdnn::cli
