// The rules, one file each. Every rule names what it matches and what it rewrites.
#pragma once
#include <memory>

#include "src/optimizer/rule.h"

namespace webdnn::optimizer::rules {

std::unique_ptr<Rule> constant_folding();
std::unique_ptr<Rule> remove_identity();
std::unique_ptr<Rule> merge_transposes();
std::unique_ptr<Rule> merge_reshapes();
std::unique_ptr<Rule> constant_operand_to_add_mul();
std::unique_ptr<Rule> merge_constant_operands();
std::unique_ptr<Rule> distribute_scale_over_shift();
std::unique_ptr<Rule> decompose_batch_normalization();
std::unique_ptr<Rule> fold_channel_affine();
std::unique_ptr<Rule> fold_input_scale();
std::unique_ptr<Rule> narrow_dequantized_tables();
std::unique_ptr<Rule> record_integer_grid();
std::unique_ptr<Rule> merge_elementwise();
std::unique_ptr<Rule> fuse_epilogue();
std::unique_ptr<Rule> fuse_quantize_dequantize();
// For backends with a fused attention kernel: MatMul -> Softmax -> MatMul as one operator, where
// the head sizes (Q's and V's last axes) are at most `max_head` (0: any); heads above `small_head`
// (0: none) only where the scores take `large_scores` bytes or more, or their size is free.
std::unique_ptr<Rule> fuse_attention(int64_t max_head = 0, int64_t small_head = 0, int64_t large_scores = 0);
// For backends that compute in float32 only: integer and N-bit products as float ones.
std::unique_ptr<Rule> integer_products_in_float();
// For the wasm backend: ConvInteger as a Conv on integer grids, where its sums are exact in float.
std::unique_ptr<Rule> conv_integer_on_grid();
// For backends that cannot bind a variable of more than `max_bytes` (a GPU buffer binding, a texture).
std::unique_ptr<Rule> split_oversized(int64_t max_bytes);

}  // namespace webdnn::optimizer::rules
