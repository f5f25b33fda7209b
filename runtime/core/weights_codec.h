// Compact forms of float32 weights in a weights file (`webdnn-convert --weights`; the descriptor's
// weights.encoded, docs/descriptor.md). The converter encodes, the loader expands them back into
// the float32 values the kernels read: the format lives here alone, so that both agree to the bit.
//   float16  2 bytes a value (round to nearest even)
//   int8     blocks of 64 values: a float32 scale, then 64 int8 (value = q * scale)
//   int4     blocks of 32 values: a float16 scale, then 16 bytes of two int4 each, low nibble first
// Blocks run along the bytes as the backend laid them out, whatever the tensor (a packed or
// transposed weight alike): finer than one scale per output channel, and the same for every layout.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "webdnn/json.h"

namespace webdnn::runtime {

enum class WeightCoding { Float32, Float16, Int8, Int4 };  // Float32: as they are
WeightCoding parse_weight_coding(const std::string& name);  // "float32", "float16", "int8", "int4"
const char* weight_coding_name(WeightCoding c);
// Values per block of `c` (1 for the float codings); codings hold whole blocks only.
int weight_block(WeightCoding c);

// Bytes that `count` float32 values take in `c`.
int64_t coded_bytes(WeightCoding c, int64_t count);
// `int8_scales` (int8 only): each block's scale, given rather than found from its largest value,
// for blocks that hold q * scale exactly (q from -128 to 127; see emit::exact_int8_scales).
void encode_weights(WeightCoding c, const float* x, int64_t count, uint8_t* out, const float* int8_scales = nullptr);
void decode_weights(WeightCoding c, const uint8_t* in, int64_t count, float* out);

// A transform that makes a kernel's layout of a weight from its compact canonical form at load
// (the wasm Conv's Winograd or packed weights, larger than the ONNX weight they come from), so
// that the file holds the small form. `size` checks the parameters and says how many values the
// transform makes of `source` values (throws webdnn::Error when they do not fit); `apply` makes
// them. A backend's kernels register theirs (WEBDNN_REGISTER_WEIGHT_TRANSFORM).
struct WeightTransform {
  int64_t (*size)(const Json& params, int64_t source);
  void (*apply)(const Json& params, const float* source, int64_t count, float* out);
};
void register_weight_transform(const std::string& kind, WeightTransform t);
const WeightTransform* find_weight_transform(const std::string& kind);
struct WeightTransformRegistration {
  WeightTransformRegistration(const char* kind, WeightTransform t) { register_weight_transform(kind, t); }
};
#define WEBDNN_REGISTER_WEIGHT_TRANSFORM(kind, size, apply) \
  static ::webdnn::runtime::WeightTransformRegistration weight_transform_registration_##size(kind, {size, apply})

// `count` float32 values at `offset` of the expanded weights. The file holds them in `coding`;
// or, with a transform, holds `source` values in `coding` that the transform turns into them.
struct CodedSegment {
  int64_t offset, count;
  WeightCoding coding;
  int64_t source = 0;  // with a transform
  Json transform;      // {"kind": ..., parameters}, or null
  int64_t file_bytes() const { return coded_bytes(coding, transform.is_null() ? count : source); }
};

// Reads and checks the descriptor's weights.encoded ({"bytes": file bytes, "segments":
// [[offset, count, coding], or [offset, count, coding, {"kind", "source", ...}] with a
// transform]}) against the expanded size `bytes`: segments in order, aligned to 4, apart, inside,
// whole blocks, none smaller in the file than expanded; the file's bytes are the expanded ones
// less what the segments save.
struct CodedWeights {
  int64_t file_bytes = 0;
  std::vector<CodedSegment> segments;
};
CodedWeights read_coded_weights(const Json& encoded, int64_t bytes);
Json segment_json(const CodedSegment& s);

// `buf` holds `bytes`, the decompressed file in its last `file_bytes`: the file is the expanded
// weights with each segment in its coded form, in order. Expands it in place, front to back:
// every block (a transform: its whole source) is read before its values are written, and writing
// never passes what is still to be read, since the expansion so far never exceeds the whole
// expansion (the gap at the front): no segment and no block shrinks.
void expand_weights(uint8_t* buf, int64_t bytes, const CodedWeights& coded);

}  // namespace webdnn::runtime
