// Receives a compressed weights file in chunks as they arrive, checks its size and checksum, and
// decompresses it as it goes; then hands the weights to the Runner. One implementation for
// webdnn-run and the browser, where chunks come from a streaming fetch. A wasm descriptor is
// checked in full (and its kernels prepared) before the first chunk is asked for.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/runner.h"
#include "runtime/core/weights_codec.h"
#include "webdnn/json.h"

namespace webdnn::runtime {

class WeightsLoader {
 public:
  explicit WeightsLoader(Json descriptor);  // checks the descriptor; throws webdnn::Error
  ~WeightsLoader();
  WeightsLoader(const WeightsLoader&) = delete;
  WeightsLoader& operator=(const WeightsLoader&) = delete;

  // Decompresses the next `size` bytes of the file; throws webdnn::Error on bad data.
  void feed(const uint8_t* data, size_t size);
  // Checks that the whole file arrived intact and builds the runner.
  std::unique_ptr<Runner> finish();
  // Checks the same and hands over the decompressed weights (for backends that run elsewhere).
  std::vector<uint8_t> finish_weights();

 private:
  Json descriptor_;
  std::unique_ptr<Runner> runner_;  // wasm descriptors
  std::string file_;
  size_t compressed_bytes_ = 0;
  std::string crc32_;
  std::vector<uint8_t> weights_;
  CodedWeights coded_;
  size_t start_ = 0;  // where the decompressed file begins in weights_ (see weights_codec.h)
  size_t received_ = 0, produced_ = 0;
  uint32_t crc_ = 0;
  std::string decode_error_;
  struct Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace webdnn::runtime
