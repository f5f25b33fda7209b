#include "runtime/core/weights_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "webdnn/error.h"
#include "webdnn/half.h"
#include "webdnn/params.h"

namespace webdnn::runtime {
namespace {

constexpr int kInt8Block = 64, kInt4Block = 32;

int block_of(WeightCoding c) { return c == WeightCoding::Int8 ? kInt8Block : c == WeightCoding::Int4 ? kInt4Block : 1; }

// Bytes of one block (the float codings: one value).
int64_t block_bytes(WeightCoding c) {
  switch (c) {
    case WeightCoding::Float32: return 4;
    case WeightCoding::Float16: return 2;
    case WeightCoding::Int8: return 4 + kInt8Block;
    case WeightCoding::Int4: return 2 + kInt4Block / 2;
  }
  return 0;
}

// The scale that maps the block's largest magnitude to `levels`; 0 for a block of zeros (or one
// without a finite largest value: such weights are not worth a scale).
float block_scale(const float* x, int n, float levels) {
  float most = 0;
  for (int i = 0; i < n; i++) most = std::max(most, std::fabs(x[i]));
  return std::isfinite(most) ? most / levels : 0.0f;
}

int quantize(float x, float scale, int lo, int hi) {
  if (scale == 0 || std::isnan(x)) return 0;
  return static_cast<int>(std::clamp(std::nearbyint(x / scale), static_cast<float>(lo), static_cast<float>(hi)));
}

}  // namespace

WeightCoding parse_weight_coding(const std::string& name) {
  if (name == "float32") return WeightCoding::Float32;
  if (name == "float16") return WeightCoding::Float16;
  if (name == "int8") return WeightCoding::Int8;
  WEBDNN_CHECK(name == "int4", "weight coding '", name, "' is not float32, float16, int8 or int4");
  return WeightCoding::Int4;
}

const char* weight_coding_name(WeightCoding c) {
  const char* names[] = {"float32", "float16", "int8", "int4"};
  return names[static_cast<int>(c)];
}

int weight_block(WeightCoding c) { return block_of(c); }

int64_t coded_bytes(WeightCoding c, int64_t count) { return count / block_of(c) * block_bytes(c); }

void encode_weights(WeightCoding c, const float* x, int64_t count, uint8_t* out, const float* int8_scales) {
  WEBDNN_CHECK(count % block_of(c) == 0, weight_coding_name(c), " codes whole blocks of ", block_of(c), " values");
  if (c == WeightCoding::Float32) {
    std::memcpy(out, x, static_cast<size_t>(count) * 4);
    return;
  }
  if (c == WeightCoding::Float16) {
    for (int64_t i = 0; i < count; i++) {
      uint16_t h = float_to_half(x[i]);
      std::memcpy(out + 2 * i, &h, 2);
    }
    return;
  }
  for (int64_t b = 0; b < count / block_of(c); b++, x += block_of(c), out += block_bytes(c)) {
    if (c == WeightCoding::Int8) {
      float scale = int8_scales ? int8_scales[b] : block_scale(x, kInt8Block, 127);
      const int lo = int8_scales ? -128 : -127;
      std::memcpy(out, &scale, 4);
      for (int i = 0; i < kInt8Block; i++) out[4 + i] = static_cast<uint8_t>(static_cast<int8_t>(quantize(x[i], scale, lo, 127)));
    } else {
      // The scale is stored in float16 and quantized with as stored, so that the values decode
      // to what was rounded; clamping keeps a scale that rounded down within [-8, 7].
      uint16_t h = float_to_half(block_scale(x, kInt4Block, 7));
      std::memcpy(out, &h, 2);
      float scale = half_to_float(h);
      for (int i = 0; i < kInt4Block; i += 2) {
        int lo = quantize(x[i], scale, -8, 7), hi = quantize(x[i + 1], scale, -8, 7);
        out[2 + i / 2] = static_cast<uint8_t>((lo & 0xf) | ((hi & 0xf) << 4));
      }
    }
  }
}

void decode_weights(WeightCoding c, const uint8_t* in, int64_t count, float* out) {
  if (c == WeightCoding::Float32) {
    std::memcpy(out, in, static_cast<size_t>(count) * 4);
    return;
  }
  if (c == WeightCoding::Float16) {
    for (int64_t i = 0; i < count; i++) {
      uint16_t h;
      std::memcpy(&h, in + 2 * i, 2);
      out[i] = half_to_float(h);
    }
    return;
  }
  for (int64_t b = 0; b < count / block_of(c); b++, in += block_bytes(c), out += block_of(c)) {
    if (c == WeightCoding::Int8) {
      float scale;
      std::memcpy(&scale, in, 4);
      for (int i = 0; i < kInt8Block; i++) out[i] = static_cast<float>(static_cast<int8_t>(in[4 + i])) * scale;
    } else {
      uint16_t h;
      std::memcpy(&h, in, 2);
      float scale = half_to_float(h);
      for (int i = 0; i < kInt4Block; i += 2) {
        // Sign-extend each nibble.
        out[i] = static_cast<float>(static_cast<int8_t>(static_cast<uint8_t>(in[2 + i / 2] << 4)) >> 4) * scale;
        out[i + 1] = static_cast<float>(static_cast<int8_t>(in[2 + i / 2]) >> 4) * scale;
      }
    }
  }
}

namespace {

std::map<std::string, WeightTransform>& transforms() {
  static std::map<std::string, WeightTransform> registry;
  return registry;
}

}  // namespace

void register_weight_transform(const std::string& kind, WeightTransform t) { transforms()[kind] = t; }

const WeightTransform* find_weight_transform(const std::string& kind) {
  auto it = transforms().find(kind);
  return it == transforms().end() ? nullptr : &it->second;
}

Json segment_json(const CodedSegment& s) {
  Json j = {s.offset, s.count, weight_coding_name(s.coding)};
  if (!s.transform.is_null()) j.push_back(s.transform);
  return j;
}

CodedWeights read_coded_weights(const Json& encoded, int64_t bytes) {
  CodedWeights w;
  WEBDNN_CHECK(encoded.is_object() && encoded.contains("segments") && encoded.at("segments").is_array(),
               "the weights' 'encoded' must be {\"bytes\": N, \"segments\": [...]}");
  params::Reader r(encoded, "weights.encoded field");
  w.file_bytes = r.integer("bytes", 0, bytes);
  int64_t end = 0, saved = 0;
  for (const Json& s : encoded.at("segments")) {
    WEBDNN_CHECK(s.is_array() && (s.size() == 3 || s.size() == 4) && s[0].is_number_integer() &&
                     s[1].is_number_integer() && s[2].is_string() && (s.size() == 3 || s[3].is_object()),
                 "weights segment ", s.dump(), " is not [offset, count, coding] or [offset, count, coding, transform]");
    CodedSegment seg{s[0].get<int64_t>(), s[1].get<int64_t>(), parse_weight_coding(s[2].get<std::string>()), 0, Json()};
    WEBDNN_CHECK(seg.offset >= end && seg.offset % 4 == 0 && seg.count > 0 && seg.count <= (bytes - seg.offset) / 4,
                 "weights segment ", s.dump(), " overlaps the one before, is misaligned, empty, or ends past the ",
                 bytes, " bytes of weights");
    int64_t coded = seg.count;  // values in the file
    if (s.size() == 4) {
      seg.transform = s[3];
      params::Reader t(seg.transform, "weights transform field");
      WEBDNN_CHECK(seg.transform.contains("kind") && seg.transform.at("kind").is_string(), "weights segment ", s.dump(),
                   ": its transform has no 'kind'");
      std::string kind = seg.transform.at("kind").get<std::string>();
      const WeightTransform* f = find_weight_transform(kind);
      WEBDNN_CHECK(f, "weights segment ", s.dump(), ": this runtime has no weight transform '", kind, "'");
      // More source values than it makes only where the coding is smaller than the words made (int8
      // multiples paired into int16: the file-size check below is what bounds it).
      seg.source = t.integer("source", 1, 8 * seg.count);
      WEBDNN_CHECK(f->size(seg.transform, seg.source) == seg.count, "weights segment ", s.dump(), ": transform '", kind,
                   "' makes ", f->size(seg.transform, seg.source), " values of ", seg.source, ", not ", seg.count);
      coded = seg.source;
    } else {
      WEBDNN_CHECK(seg.coding != WeightCoding::Float32, "weights segment ", s.dump(), " codes nothing");
    }
    WEBDNN_CHECK(coded % block_of(seg.coding) == 0 && seg.file_bytes() <= 4 * seg.count, "weights segment ", s.dump(),
                 " is not whole blocks of ", block_of(seg.coding), " values, or is larger in the file than expanded");
    end = seg.offset + 4 * seg.count;
    saved += 4 * seg.count - seg.file_bytes();
    w.segments.push_back(std::move(seg));
  }
  WEBDNN_CHECK(w.file_bytes == bytes - saved, "the weights' encoded size ", w.file_bytes, " is not ", bytes - saved,
               " (the ", bytes, " bytes of weights less what the segments save)");
  return w;
}

void expand_weights(uint8_t* buf, int64_t bytes, const CodedWeights& coded) {
  int64_t r = bytes - coded.file_bytes, w = 0;
  auto copy = [&](int64_t n) {  // bytes the file holds as they are
    std::memmove(buf + w, buf + r, static_cast<size_t>(n));
    r += n, w += n;
  };
  for (const CodedSegment& s : coded.segments) {
    copy(s.offset - w);
    if (!s.transform.is_null()) {
      std::vector<float> source(static_cast<size_t>(s.source));
      decode_weights(s.coding, buf + r, s.source, source.data());
      r += s.file_bytes();
      std::vector<float> out(static_cast<size_t>(s.count));
      find_weight_transform(s.transform.at("kind").get<std::string>())->apply(s.transform, source.data(), s.count, out.data());
      std::memcpy(buf + w, out.data(), out.size() * 4);
      w += 4 * s.count;
      continue;
    }
    // A block (float16: a run of 64 values) is read into `block` before its values are written.
    const int n = s.coding == WeightCoding::Float16 ? 64 : block_of(s.coding);
    uint8_t block[2 * 64 + 4];
    float values[64];
    for (int64_t done = 0; done < s.count; done += n) {
      int m = static_cast<int>(std::min<int64_t>(n, s.count - done));
      int64_t size = coded_bytes(s.coding, m);
      std::memcpy(block, buf + r, static_cast<size_t>(size));
      decode_weights(s.coding, block, m, values);
      std::memcpy(buf + w, values, static_cast<size_t>(4 * m));
      r += size, w += 4 * m;
    }
  }
  copy(bytes - w);
}

}  // namespace webdnn::runtime
