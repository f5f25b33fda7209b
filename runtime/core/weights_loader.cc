#include "runtime/core/weights_loader.h"

#include <zstd.h>

#include "runtime/core/checksum.h"
#include "webdnn/error.h"

namespace webdnn::runtime {

struct WeightsLoader::Stream {
  ZSTD_DStream* z = ZSTD_createDStream();
  ~Stream() { ZSTD_freeDStream(z); }
};

WeightsLoader::WeightsLoader(Json descriptor) : descriptor_(std::move(descriptor)), stream_(new Stream) {
  check_descriptor(descriptor_);
  WEBDNN_CHECK(descriptor_.at("weights").value("encoding", "") == "zstd", "weights encoding '",
               descriptor_.at("weights").value("encoding", ""), "' is not zstd");
  weights_.resize(descriptor_.at("weights").at("bytes").get<size_t>());
  ZSTD_initDStream(stream_->z);
}

WeightsLoader::~WeightsLoader() = default;

void WeightsLoader::feed(const uint8_t* data, size_t size) {
  const std::string file = descriptor_.at("weights").at("file").get<std::string>();
  received_ += size;
  WEBDNN_CHECK(received_ <= descriptor_.at("weights").at("compressed_bytes").get<size_t>(), "weights file '", file,
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
  std::vector<uint8_t> weights = finish_weights();
  return std::make_unique<Runner>(descriptor_, std::move(weights));
}

std::vector<uint8_t> WeightsLoader::finish_weights() {
  const Json& w = descriptor_.at("weights");
  const std::string file = w.at("file").get<std::string>();
  size_t expected = w.at("compressed_bytes").get<size_t>();
  WEBDNN_CHECK(received_ == expected, "weights file '", file, "' has ", received_, " bytes; the descriptor expects ",
               expected, " (incomplete download?)");
  std::string crc = crc32_hex(crc_);
  WEBDNN_CHECK(crc == w.at("crc32").get<std::string>(), "weights file '", file, "' fails its checksum (crc32 ", crc,
               ", expected ", w.at("crc32").get<std::string>(), "): it is corrupted");
  WEBDNN_CHECK(decode_error_.empty(), "weights file '", file, "' cannot be decompressed: ", decode_error_);
  WEBDNN_CHECK(produced_ == weights_.size(), "weights file '", file, "' decompresses to ", produced_,
               " bytes; the descriptor expects ", weights_.size());
  return std::move(weights_);
}

}  // namespace webdnn::runtime
