#include "src/cli/load.h"

#include <fstream>
#include <sstream>

#include "runtime/core/weights_loader.h"
#include "webdnn/error.h"

namespace webdnn::cli {
namespace {

Json read_json(const std::string& path, const char* what) {
  std::ifstream f(path, std::ios::binary);
  WEBDNN_CHECK(f, "cannot open ", what, " '", path, "'");
  Json j = Json::parse(f, nullptr, false);
  WEBDNN_CHECK(!j.is_discarded(), what, " '", path, "' is not valid JSON");
  return j;
}

}  // namespace

std::unique_ptr<runtime::Runner> load_runner(const std::string& dir, const std::string& backend) {
  std::string manifest_path = dir + "/manifest.json";
  {
    std::ifstream probe(manifest_path);
    WEBDNN_CHECK(probe, "'", dir, "' holds no manifest.json; is it the output directory of webdnn-convert?");
  }
  Json manifest = read_json(manifest_path, "manifest");
  const Json* entry = nullptr;
  std::string available;
  for (const Json& b : manifest.at("backends")) {
    available += (available.empty() ? "" : ", ") + b.at("name").get<std::string>();
    if (b.at("name") == backend) entry = &b;
  }
  WEBDNN_CHECK(entry, "'", dir, "' has no '", backend, "' descriptor (it has: ", available, ")");
  Json descriptor = read_json(dir + "/" + entry->at("descriptor").get<std::string>(), "descriptor");
  runtime::check_descriptor(descriptor);
  std::string weights_path = dir + "/" + descriptor.at("weights").at("file").get<std::string>();
  runtime::WeightsLoader loader(descriptor);
  std::ifstream f(weights_path, std::ios::binary);
  WEBDNN_CHECK(f, "cannot open weights file '", weights_path, "'");
  std::vector<uint8_t> chunk(1 << 20);
  while (f) {
    f.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
    loader.feed(chunk.data(), static_cast<size_t>(f.gcount()));
  }
  return loader.finish();
}

Tensor default_input(const runtime::TensorInfo& info, size_t input_index) {
  Tensor t(info.dtype, info.shape);
  uint64_t state = 0x9E3779B97F4A7C15ull * (input_index + 1);
  for (int64_t i = 0; i < t.size(); i++) {
    // splitmix64
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    if (info.dtype == DType::Float32) t.data<float>()[i] = static_cast<float>(z >> 40) / static_cast<float>(1 << 24);
    else if (info.dtype == DType::Bool) t.data<uint8_t>()[i] = 1;
  }
  return t;
}

std::string sanitize_name(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) c = '_';
  return s;
}

}  // namespace webdnn::cli
