#include "src/emit/output_dir.h"

#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "runtime/core/checksum.h"
#include "webdnn/error.h"
#include "webdnn/version.h"

namespace webdnn::emit {
namespace fs = std::filesystem;
namespace {

struct Compressed {
  std::unique_ptr<uint8_t[]> data;  // not zero-filled first: it can be as large as the weights
  size_t size = 0;
};

// zstd in pieces of 4 MiB, so that `done(fraction)` can follow it (the frame is the same kind:
// content size and checksum in it).
Compressed compress(const std::vector<uint8_t>& raw, const std::function<void(double)>& done) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
  // Worker threads where libzstd has them (the output is the same either way); an error here only
  // means a single-threaded libzstd.
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  ZSTD_CCtx_setPledgedSrcSize(cctx, raw.size());
  Compressed out;
  size_t bound = ZSTD_compressBound(raw.size());
  out.data.reset(new uint8_t[bound]);
  ZSTD_outBuffer to{out.data.get(), bound, 0};
  constexpr size_t kPiece = size_t{4} << 20;
  size_t status = 0;
  for (size_t at = 0; at < raw.size() && !ZSTD_isError(status); at += kPiece) {
    ZSTD_inBuffer from{raw.data() + at, std::min(kPiece, raw.size() - at), 0};
    while (from.pos < from.size && !ZSTD_isError(status)) status = ZSTD_compressStream2(cctx, &to, &from, ZSTD_e_continue);
    done(static_cast<double>(at + from.size) / raw.size());
  }
  ZSTD_inBuffer none{nullptr, 0, 0};
  do {
    if (!ZSTD_isError(status)) status = ZSTD_compressStream2(cctx, &to, &none, ZSTD_e_end);
  } while (status != 0 && !ZSTD_isError(status));
  ZSTD_freeCCtx(cctx);
  WEBDNN_CHECK(!ZSTD_isError(status), "zstd compression failed: ", ZSTD_getErrorName(status));
  out.size = to.pos;
  return out;
}

// Writes a file and records its size and checksum in `index` (the manifest's "files", what a
// runtime's cache is keyed by).
void write_file(const fs::path& path, const void* data, size_t size, Json& index) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  f.close();
  WEBDNN_CHECK(f, "cannot write '", path.string(), "'");
  index[path.filename().string()] = {
      {"bytes", size}, {"crc32", runtime::crc32_hex(runtime::crc32(static_cast<const uint8_t*>(data), size))}};
}

void write_json(const fs::path& path, const Json& j, Json& index) {
  std::string text = j.dump(1) + "\n";
  write_file(path, text.data(), text.size(), index);
}

// Writes backend output `b` as graph-<stem>.json and weights-<stem>.bin.zst, with the variants
// it has, into `entry` (the manifest's entry: "descriptor", "weights", "variants"); adds the
// weight sizes to its report.
void write_descriptor(const fs::path& tmp, const std::string& stem, BackendOutput& b, Json& entry, Json& index,
                      std::vector<std::string>& files, const Progress& progress) {
  std::string weights_file = "weights-" + stem + ".bin.zst";
  std::string descriptor_file = "graph-" + stem + ".json";
  const size_t n = b.weights.size();
  const std::string size = n >= (1 << 20) ? std::to_string(n >> 20) + " MiB" : std::to_string(n) + " bytes";
  const std::string compressing = "compressing " + size + " of " + stem + " weights";
  if (progress) progress(compressing, 0);
  Compressed packed = compress(b.weights, [&](double done) {
    if (progress) progress(compressing, done);
  });
  write_file(tmp / weights_file, packed.data.get(), packed.size, index);
  Json descriptor = {{"format", "webdnn-graph-descriptor"},
                     {"version", kFormatVersion},
                     {"backend", b.backend},
                     {"weights",
                      {{"file", weights_file},
                       {"encoding", "zstd"},
                       {"bytes", b.expanded_bytes >= 0 ? b.expanded_bytes : static_cast<int64_t>(b.weights.size())},
                       {"compressed_bytes", packed.size},
                       {"crc32", index[weights_file]["crc32"]}}}};
  if (!b.encoded.is_null()) descriptor["weights"]["encoded"] = b.encoded;
  Json variants = b.descriptor.contains("variants") ? b.descriptor.at("variants") : Json();
  b.descriptor.erase("variants");
  Json envelope = descriptor;
  for (auto& [key, value] : b.descriptor.items()) descriptor[key] = value;
  write_json(tmp / descriptor_file, descriptor, index);
  entry["descriptor"] = descriptor_file;
  entry["weights"].push_back(weights_file);
  files.push_back(weights_file);
  files.push_back(descriptor_file);
  if (variants.is_array()) {
    entry["variants"] = Json::array();
    for (const Json& v : variants) {
      std::string name = v.value("name", std::string());
      Json listed = v.value("manifest", Json::object());
      if (name.empty()) {
        listed["descriptor"] = descriptor_file;
      } else {
        WEBDNN_CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos,
                     "variant name '", name, "' of backend ", b.backend, " is not [a-z0-9_]+");
        std::string file = "graph-" + stem + "-" + name + ".json";
        Json d = envelope;
        for (auto& [key, value] : v.at("descriptor").items()) d[key] = value;
        write_json(tmp / file, d, index);
        files.push_back(file);
        listed["descriptor"] = file;
      }
      entry["variants"].push_back(listed);
    }
  }
  b.report["weight_bytes"] = b.expanded_bytes >= 0 ? b.expanded_bytes : static_cast<int64_t>(b.weights.size());
  if (b.expanded_bytes >= 0) b.report["coded_weight_bytes"] = b.weights.size();
  b.report["compressed_weight_bytes"] = packed.size;
}

}  // namespace

Json write_output_directory(const std::string& dir, const ModelInfo& model, std::vector<BackendOutput> backends,
                            const Progress& progress) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  WEBDNN_CHECK(!fs::exists(target) || fs::is_directory(target), "output '", dir, "' exists and is not a directory");
  fs::path parent = target.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  WEBDNN_CHECK(!ec, "cannot create '", parent.string(), "': ", ec.message());
  fs::path tmp = parent / ("." + target.filename().string() + ".tmp-" + std::to_string(getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  WEBDNN_CHECK(!ec, "cannot create '", tmp.string(), "': ", ec.message());
  std::vector<std::string> files;
  Json index = Json::object();
  try {
    Json manifest = {{"format", "webdnn-manifest"},
                     {"version", kFormatVersion},
                     {"generator", std::string("webdnn-convert ") + kVersion},
                     {"model", model.source},
                     {"inputs", model.inputs},
                     {"outputs", model.outputs},
                     {"backends", Json::array()}};
    Json report = {{"model", model.source}, {"backends", Json::array()}};
    for (BackendOutput& b : backends) {
      Json entry = {{"name", b.backend}, {"weights", Json::array()}};
      // A backend that runs a model's tail on the wasm runtime (output_dir.h) may run nothing before it.
      if (!b.descriptor.is_null()) write_descriptor(tmp, b.backend, b, entry, index, files, progress);
      else b.report.update({{"weight_bytes", 0}, {"compressed_weight_bytes", 0}});
      if (b.tail) {
        Json tail = {{"weights", Json::array()}};
        write_descriptor(tmp, b.backend + "-tail", *b.tail, tail, index, files, progress);
        entry["tail"] = {{"descriptor", tail["descriptor"]}, {"carried", b.tail->carried}};
        for (const Json& w : tail["weights"]) entry["weights"].push_back(w);
        b.report["tail"] = b.tail->report;
      }
      manifest["backends"].push_back(entry);
      b.report["backend"] = b.backend;
      report["backends"].push_back(b.report);
    }
    Json unlisted = Json::object();  // report.json and the manifest itself
    write_json(tmp / "report.json", report, unlisted);
    files.push_back("report.json");
    manifest["files"] = index;
    write_json(tmp / "manifest.json", manifest, unlisted);
    files.push_back("manifest.json");  // last, so a reader never sees a manifest before its files
    if (!fs::exists(target)) {
      fs::rename(tmp, target);
      return report;
    }
    for (const std::string& f : files) fs::rename(tmp / f, target / f);
    fs::remove_all(tmp);
    return report;
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace webdnn::emit
