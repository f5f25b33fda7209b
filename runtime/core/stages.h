// A model with sizes that only the input values decide (data symbols: NonZero, NonMaxSuppression;
// docs/descriptor.md, "Sizes known only at run time") runs in stages: the kernels up to the one
// that finds such a size, then, once the size is read, the kernels after it, specialized for it.
// Each stage is an ordinary descriptor with free dimensions; what one stage computes and a later
// one reads leaves it as an output and enters the next stage as the input of the same position.
#pragma once
#include <string>
#include <vector>

#include "runtime/core/specialize.h"
#include "webdnn/json.h"

namespace webdnn::runtime {

struct Stage {
  Json descriptor;  // the stage's kernels and variables; "symbols" plain, no "guards"
  // The data symbols its last kernel finds, and the output port that holds each one's value.
  std::vector<std::pair<std::string, int>> finds;
};

// The stages of a symbolic descriptor whose signature has data symbols, in order. The first
// takes the model's inputs, the last gives the model's outputs. Throws webdnn::Error when a data
// symbol's variable is not an int64 [1] written by a kernel.
std::vector<Stage> split_stages(const Json& descriptor, const Signature& signature);

}  // namespace webdnn::runtime
