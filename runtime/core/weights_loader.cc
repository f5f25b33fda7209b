#include "runtime/core/weights_loader.h"

#include <zstd.h>

#include "runtime/core/checksum.h"
#include "runtime/core/weights_codec.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::runtime {

struct WeightsLoader::Stream {
  ZSTD_DStream* z = ZSTD_createDStream();
  ~Stream() { ZSTD_freeDStream(z); }
};

WeightsLoader::WeightsLoader(Json descriptor) : descriptor_(std::move(descriptor)), stream_(new Stream) {
  check_descriptor(descriptor_);
  auto backend = descriptor_.find("backend");
  if (backend != descriptor_.end() && *backend == "wasm") runner_ = std::make_unique<Runner>(descriptor_);
  const Json& w = descriptor_.at("weights");
  auto text = [&](const char* key) {
    WEBDNN_CHECK(w.contains(key) && w.at(key).is_string(), "the descriptor's weights have no '", key, "'");
    return w.at(key).get<std::string>();
  };
  WEBDNN_CHECK(text("encoding") == "zstd", "weights encoding '", text("encoding"), "' is not zstd");
  file_ = text("file");
  crc32_ = text("crc32");
  params::Reader r(w, "field");
  compressed_bytes_ = static_cast<size_t>(r.integer("compressed_bytes", 0, kMaxBufferBytes));
  int64_t bytes = r.integer("bytes", 0, kMaxBufferBytes);
  // (A wasm descriptor's Runner checked its weights and arena together already.)
  WEBDNN_CHECK(bytes <= memory_limit(), "the model's weights take ", bytes, " bytes, more than this runtime can hold (",
               memory_limit(), " bytes); use another backend");
  // Weights coded compactly (--weights) decompress into the end of the buffer and expand there.
  if (w.contains("encoded")) coded_ = read_coded_weights(w.at("encoded"), bytes);
  else coded_.file_bytes = bytes;
  weights_.resize(static_cast<size_t>(bytes));
  start_ = static_cast<size_t>(bytes - coded_.file_bytes);
  produced_ = start_;
  ZSTD_initDStream(stream_->z);
}

WeightsLoader::~WeightsLoader() = default;

void WeightsLoader::feed(const uint8_t* data, size_t size) {
  const std::string& file = file_;
  received_ += size;
  WEBDNN_CHECK(received_ <= compressed_bytes_, "weights file '", file,
               "' is longer than the descriptor says: it does not belong to this descriptor");
  crc_ = crc32(data, size, crc_);
  // After bad data only the checksum goes on, so that finish() can say whether the file is
  // corrupted (checksum) or was written wrongly (decompression).
  ZSTD_inBuffer in = {data, size, 0};
  while (decode_error_.empty() && in.pos < in.size) {
    ZSTD_outBuffer out = {weights_.data() + produced_, weights_.size() - produced_, 0};
    size_t r = ZSTD_decompressStream(stream_->z, &out, &in);
    produced_ += out.pos;
    if (ZSTD_isError(r)) decode_error_ = ZSTD_getErrorName(r);
    else if (out.pos == 0 && produced_ == weights_.size() && in.pos < in.size) decode_error_ = "more data than expected";
  }
}

std::unique_ptr<Runner> WeightsLoader::finish() {
  WEBDNN_CHECK(runner_, "only a wasm descriptor makes a runner");
  runner_->load(finish_weights());
  return std::move(runner_);
}

std::vector<uint8_t> WeightsLoader::finish_weights() {
  const std::string& file = file_;
  WEBDNN_CHECK(received_ == compressed_bytes_, "weights file '", file, "' has ", received_, " bytes; the descriptor expects ",
               compressed_bytes_, " (an incomplete download, or the weights file of another model?)");
  std::string crc = crc32_hex(crc_);
  WEBDNN_CHECK(crc == crc32_, "weights file '", file, "' fails its checksum (crc32 ", crc, ", expected ", crc32_,
               "): it is corrupted, or it is the weights file of another model");
  WEBDNN_CHECK(decode_error_.empty(), "weights file '", file, "' cannot be decompressed: ", decode_error_);
  WEBDNN_CHECK(produced_ == weights_.size(), "weights file '", file, "' decompresses to ", produced_ - start_,
               " bytes; the descriptor expects ", weights_.size() - start_);
  if (!coded_.segments.empty()) expand_weights(weights_.data(), static_cast<int64_t>(weights_.size()), coded_);
  return std::move(weights_);
}

}  // namespace webdnn::runtime
