#include "src/cli/load.h"

#include <fstream>
#include <sstream>

#include "runtime/core/weights_loader.h"
#include "webdnn/error.h"

namespace webdnn::cli {
namespace {

Json read_json(std::istream& f, const std::string& path, const char* what) {
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return parse_json(text, std::string(what) + " '" + path + "'");
}

// A file the manifest or a descriptor names: a plain name in the model's directory, never a path
// that leads elsewhere.
std::string file_name(const Json& j, const char* key, const std::string& where, const char* what) {
  WEBDNN_CHECK(j.is_object() && j.contains(key) && j.at(key).is_string(), where, ": ", what, " has no file name '", key, "'");
  std::string name = j.at(key).get<std::string>();
  WEBDNN_CHECK(!name.empty() && name != "." && name != ".." && name.find_first_of("/\\") == std::string::npos &&
                   name.find('\0') == std::string::npos,
               where, ": ", what, " names the file '", name, "', which is not a file name in the model's directory");
  return name;
}

}  // namespace

std::unique_ptr<runtime::Runner> load_runner(const std::string& dir, const std::string& backend) {
  {
    std::ifstream probe(dir + "/manifest.json");
    WEBDNN_CHECK(probe, "'", dir, "' holds no manifest.json; is it the output directory of webdnn-convert?");
  }
  auto open = [&](const std::string& file) -> std::unique_ptr<std::istream> {
    auto f = std::make_unique<std::ifstream>(dir + "/" + file, std::ios::binary);
    if (!*f) return nullptr;
    return f;
  };
  return load_runner(open, dir, backend);
}

std::unique_ptr<runtime::Runner> load_runner(const OpenFile& open, const std::string& dir, const std::string& backend) {
  auto opened = [&](const std::string& file, const char* what) {
    std::unique_ptr<std::istream> f = open(file);
    WEBDNN_CHECK(f, "cannot open ", what, " '", dir, "/", file, "'");
    return f;
  };
  const std::string manifest_path = dir + "/manifest.json";
  Json manifest = read_json(*opened("manifest.json", "manifest"), manifest_path, "manifest");
  WEBDNN_CHECK(manifest.is_object() && manifest.contains("backends") && manifest.at("backends").is_array(), "manifest '",
               manifest_path, "' has no list of backends; is it the output of webdnn-convert?");
  const Json* entry = nullptr;
  std::string available;
  for (const Json& b : manifest.at("backends")) {
    WEBDNN_CHECK(b.is_object() && b.contains("name") && b.at("name").is_string(), "manifest '", manifest_path,
                 "' lists a backend without a name");
    available += (available.empty() ? "" : ", ") + b.at("name").get<std::string>();
    if (b.at("name") == backend) entry = &b;
  }
  WEBDNN_CHECK(entry, "'", dir, "' has no '", backend, "' descriptor (it has: ", available, ")");
  std::string descriptor_file = file_name(*entry, "descriptor", manifest_path, ("its " + backend + " entry").c_str());
  std::string descriptor_path = dir + "/" + descriptor_file;
  Json descriptor = read_json(*opened(descriptor_file, "descriptor"), descriptor_path, "descriptor");
  runtime::check_descriptor(descriptor);
  std::string weights_file = file_name(descriptor.at("weights"), "file", descriptor_path, "its weights entry");
  runtime::WeightsLoader loader(descriptor);
  std::unique_ptr<std::istream> f = opened(weights_file, "weights file");
  std::vector<uint8_t> chunk(1 << 20);
  while (*f) {
    f->read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
    loader.feed(chunk.data(), static_cast<size_t>(f->gcount()));
  }
  return loader.finish();
}

std::map<std::string, std::string> declared_port_types(const std::string& dir) {
  std::ifstream f(dir + "/manifest.json");
  WEBDNN_CHECK(f, "'", dir, "' holds no manifest.json; is it the output directory of webdnn-convert?");
  Json manifest = read_json(f, dir + "/manifest.json", "manifest");
  std::map<std::string, std::string> types;
  for (const char* list : {"inputs", "outputs"}) {
    if (!manifest.is_object() || !manifest.contains(list) || !manifest.at(list).is_array()) continue;
    for (const Json& port : manifest.at(list)) {
      if (!port.is_object() || !port.contains("name") || !port.at("name").is_string() || !port.contains("dtype")) continue;
      const Json& t = port.at("dtype");
      if (t == "float16" || t == "bfloat16" || t == "float64") types[port.at("name").get<std::string>()] = t.get<std::string>();
    }
  }
  return types;
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
