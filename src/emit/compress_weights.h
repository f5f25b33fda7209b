// The weights file of a backend in its compact form (runtime/core/weights_codec.h), expanded back
// by the loader: values a weight transform makes at load are stored as its source (the wasm
// Conv's packed and Winograd weights as the ONNX weight), and with `webdnn-convert --weights
// float16|int8|int4` the model's float32 values are coded. Weight-only: ranges of fewer than
// kMinCodedValues values (biases, norms) stay float32, and so do ranges with a value the coding
// cannot hold (infinities of a mask; float16: beyond 65504), so that only precision is lost.
// Values that are int8 times a scale per block exactly (a QDQ model's weights) are coded so,
// losslessly, with or without --weights (unless int4 is asked for, which is smaller).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/core/weights_codec.h"
#include "src/emit/output_dir.h"

namespace webdnn::emit {

constexpr int64_t kMinCodedValues = 1024;

// The scale of each block of 64 values for which every value is an int8 times it exactly (weights
// that arrived quantized), so that the int8 coding gives them back to the bit; nullopt when a
// block has none (float weights, whose first block already fails).
std::optional<std::vector<float>> exact_int8_scales(const std::vector<float>& x);

// Rewrites `out.weights` as the file's bytes (setting expanded_bytes and encoded) when anything
// is to be coded or derived.
void code_weights(BackendOutput& out, std::optional<runtime::WeightCoding> coding);
// The weights as the runtime will expand the file's bytes (those bytes when nothing is coded).
std::vector<uint8_t> expanded_weights(const BackendOutput& out);

}  // namespace webdnn::emit
