#include "src/emit/compress_weights.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace webdnn::emit {
namespace {

using runtime::WeightCoding;

bool codable(const std::vector<float>& x, WeightCoding coding) {
  // Finite, and for the float16 scale of int4 blocks (largest / 7) finite in float16 too.
  const float most = coding == WeightCoding::Float16 ? 65504.0f : coding == WeightCoding::Int4 ? 65504.0f * 7 : FLT_MAX;
  for (float v : x)
    if (!(std::fabs(v) <= most)) return false;  // NaN too
  return true;
}

// How `values` are best stored: `coding` where it can hold them, else as they are.
WeightCoding choose(const std::vector<float>& values, std::optional<WeightCoding> coding) {
  if (!coding || static_cast<int64_t>(values.size()) < kMinCodedValues ||
      values.size() % runtime::weight_block(*coding) != 0 || !codable(values, *coding))
    return WeightCoding::Float32;
  return *coding;
}

// Whether every value of the block decodes back to itself as q * scale, q an int8 found by rounding
// as encode_weights does.
bool reproduces(const float* x, int n, float scale) {
  for (int i = 0; i < n; i++) {
    const float q = std::nearbyint(x[i] / scale);
    if (!(q >= -128 && q <= 127) || q * scale != x[i]) return false;
  }
  return true;
}

// A scale that gives back every value of the block: `hint` first (a channel's blocks share one),
// else the largest magnitude over each q from 128 down, with its float neighbours (the division
// rounds).
std::optional<float> exact_block_scale(const float* x, int n, float hint) {
  float most = 0;
  for (int i = 0; i < n; i++) most = std::max(most, std::fabs(x[i]));
  if (!(most <= FLT_MAX)) return std::nullopt;
  if (most == 0) return 0.0f;  // zeros decode from scale 0
  if (hint > 0 && reproduces(x, n, hint)) return hint;
  for (int q = 128; q >= 1; q--) {
    const float s = most / static_cast<float>(q);
    for (float c : {s, std::nextafter(s, 0.0f), std::nextafter(s, FLT_MAX)})
      if (c > 0 && reproduces(x, n, c)) return c;
  }
  return std::nullopt;
}

std::vector<float> floats_at(const std::vector<uint8_t>& raw, int64_t offset, int64_t count) {
  std::vector<float> v(static_cast<size_t>(count));
  std::memcpy(v.data(), raw.data() + offset, static_cast<size_t>(count) * 4);
  return v;
}

}  // namespace

std::optional<std::vector<float>> exact_int8_scales(const std::vector<float>& x) {
  const int block = runtime::weight_block(WeightCoding::Int8);
  if (x.empty() || x.size() % block != 0) return std::nullopt;
  std::vector<float> scales;
  float hint = 0;
  // Float weights fail at their first block, after a few hundred tries of a few values each.
  for (size_t b = 0; b < x.size(); b += block) {
    std::optional<float> s = exact_block_scale(x.data() + b, block, hint);
    if (!s) return std::nullopt;
    scales.push_back(*s);
    if (*s > 0) hint = *s;
  }
  return scales;
}

void code_weights(BackendOutput& out, std::optional<WeightCoding> coding) {
  // Every range that may be coded, in order: derived ones, and plain float32 ones (a tail short of
  // a block stays as it is).
  struct Range {
    int64_t offset, count;
    const DerivedRange* derived;
  };
  std::vector<Range> ranges;
  for (const DerivedRange& d : out.derived) ranges.push_back({d.offset, d.count, &d});
  // Without a coding, float ranges are looked at for values that are int8 exactly.
  const int block = runtime::weight_block(coding.value_or(WeightCoding::Float32));
  for (auto [offset, count] : out.float_ranges) ranges.push_back({offset, count / block * block, nullptr});
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });

  const std::vector<uint8_t>& raw = out.weights;
  const int64_t bytes = static_cast<int64_t>(raw.size());
  runtime::CodedWeights coded;
  std::vector<uint8_t> file;
  file.reserve(raw.size());
  int64_t end = 0;  // of the part of `raw` already in `file`
  for (const Range& r : ranges) {
    if (r.offset < end || r.offset % 4 != 0 || r.count <= 0) continue;  // inside one already coded (pieces shared)
    runtime::CodedSegment seg{r.offset, r.count, WeightCoding::Float32, 0, Json()};
    std::vector<float> own;  // a float range's values (a derived one's source is read where it is)
    if (r.derived) {
      seg.source = static_cast<int64_t>(r.derived->source.size());
      seg.transform = r.derived->transform;
      seg.transform["source"] = seg.source;
    } else {
      own = floats_at(raw, r.offset, r.count);
    }
    const std::vector<float>& values = r.derived ? r.derived->source : own;
    seg.coding = choose(values, coding);
    // Weights that arrived quantized (a DequantizeLinear of int8 folded at convert time) are int8
    // and a scale per block exactly: smaller than float32 or float16, and lossless (in place of
    // the int8 coding's own scales too).
    std::optional<std::vector<float>> scales;
    if (seg.coding != WeightCoding::Int4) {
      if (static_cast<int64_t>(values.size()) >= kMinCodedValues) scales = exact_int8_scales(values);
      if (scales) seg.coding = WeightCoding::Int8;
    }
    // Nothing gained (float32 as it is, or a transform whose source is no smaller: left as made,
    // no work at load); a transform that shrinks.
    if (seg.coding == WeightCoding::Float32 && seg.file_bytes() >= 4 * seg.count) continue;
    if (seg.file_bytes() > 4 * seg.count) continue;
    file.insert(file.end(), raw.begin() + end, raw.begin() + r.offset);
    size_t at = file.size();
    file.resize(at + static_cast<size_t>(seg.file_bytes()));
    runtime::encode_weights(seg.coding, values.data(), static_cast<int64_t>(values.size()), file.data() + at,
                            scales ? scales->data() : nullptr);
    end = r.offset + 4 * r.count;
    coded.segments.push_back(std::move(seg));
  }
  if (coded.segments.empty()) return;
  file.insert(file.end(), raw.begin() + end, raw.end());
  Json segments = Json::array();
  for (const runtime::CodedSegment& s : coded.segments) segments.push_back(runtime::segment_json(s));
  out.expanded_bytes = bytes;
  out.encoded = {{"bytes", static_cast<int64_t>(file.size())}, {"segments", std::move(segments)}};
  out.weights = std::move(file);
}

std::vector<uint8_t> expanded_weights(const BackendOutput& out) {
  if (out.encoded.is_null()) return out.weights;
  // The loader's own steps: its check of the segments, then the expansion in place.
  runtime::CodedWeights coded = runtime::read_coded_weights(out.encoded, out.expanded_bytes);
  std::vector<uint8_t> buf(static_cast<size_t>(out.expanded_bytes));
  std::memcpy(buf.data() + (buf.size() - out.weights.size()), out.weights.data(), out.weights.size());
  runtime::expand_weights(buf.data(), out.expanded_bytes, coded);
  return buf;
}

}  // namespace webdnn::emit
