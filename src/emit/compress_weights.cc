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

std::vector<float> floats_at(const std::vector<uint8_t>& raw, int64_t offset, int64_t count) {
  std::vector<float> v(static_cast<size_t>(count));
  std::memcpy(v.data(), raw.data() + offset, static_cast<size_t>(count) * 4);
  return v;
}

}  // namespace

void code_weights(BackendOutput& out, std::optional<WeightCoding> coding) {
  // Every range that may be coded, in order: derived ones, and plain float32 ones (a tail short of
  // a block stays as it is).
  struct Range {
    int64_t offset, count;
    const DerivedRange* derived;
  };
  std::vector<Range> ranges;
  for (const DerivedRange& d : out.derived) ranges.push_back({d.offset, d.count, &d});
  if (coding)
    for (auto [offset, count] : out.float_ranges)
      ranges.push_back({offset, count / runtime::weight_block(*coding) * runtime::weight_block(*coding), nullptr});
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
    std::vector<float> values;
    if (r.derived) {
      values = r.derived->source;
      seg.source = static_cast<int64_t>(values.size());
      seg.transform = r.derived->transform;
      seg.transform["source"] = seg.source;
    } else {
      values = floats_at(raw, r.offset, r.count);
    }
    seg.coding = choose(values, coding);
    if (seg.transform.is_null() && seg.coding == WeightCoding::Float32) continue;  // nothing gained
    if (seg.file_bytes() > 4 * seg.count) continue;                              // a transform that shrinks
    file.insert(file.end(), raw.begin() + end, raw.begin() + r.offset);
    size_t at = file.size();
    file.resize(at + static_cast<size_t>(seg.file_bytes()));
    runtime::encode_weights(seg.coding, values.data(), static_cast<int64_t>(values.size()), file.data() + at);
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
