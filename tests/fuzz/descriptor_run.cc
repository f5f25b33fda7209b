// Fuzz target: a converted model's manifest, descriptor and weights file -> load (check the
// manifest and the descriptor, stream and verify the weights) -> run on the native runtime.
// The input is the three files joined by kSeparator (seeds: scripts/fuzz.sh). When the first
// byte of the input is '!', the descriptor's weights size and checksum are set to match the
// weights given, so that mutations of the weights reach decompression and the kernels instead of
// stopping at the checksum. A run may allocate at most kMemory bytes (set_memory_limit: the
// runtime refuses a larger arena and weights before allocating) and must end within libFuzzer's
// -timeout. Only webdnn::Error may come out.
#include <cstdint>
#include <sstream>

#include "runtime/core/checksum.h"
#include "runtime/kernels/reference/reference.h"
#include "src/cli/load.h"
#include "webdnn/error.h"

namespace {

using namespace webdnn;

const std::string kSeparator = "\n--webdnn-fuzz-file--\n";
constexpr int64_t kMemory = int64_t{64} << 20;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  runtime::set_memory_limit(kMemory);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  bool fix_checksum = !input.empty() && input[0] == '!';
  if (fix_checksum) input.erase(0, 1);
  std::string files[3];
  size_t at = 0;
  for (int i = 0; i < 3; i++) {
    size_t end = i < 2 ? input.find(kSeparator, at) : input.size();
    if (end == std::string::npos) return 0;
    files[i] = input.substr(at, end - at);
    at = end + kSeparator.size();
  }
  if (fix_checksum) {
    Json d;
    try {
      d = parse_json(files[1], "descriptor");
    } catch (const Error&) {
    }
    if (d.is_object() && d.contains("weights") && d["weights"].is_object()) {
      d["weights"]["compressed_bytes"] = files[2].size();
      d["weights"]["crc32"] = runtime::crc32_hex(runtime::crc32(reinterpret_cast<const uint8_t*>(files[2].data()), files[2].size()));
      files[1] = d.dump();
    }
  }
  // The manifest names the descriptor and the descriptor the weights file: whatever names they
  // give, the files are the ones of this input (a name that leads elsewhere is refused first).
  auto open = [&](const std::string& name) -> std::unique_ptr<std::istream> {
    int which = name == "manifest.json" ? 0 : name.rfind("graph-", 0) == 0 ? 1 : name.rfind("weights-", 0) == 0 ? 2 : -1;
    if (which < 0) return nullptr;
    return std::make_unique<std::istringstream>(files[which]);
  };
  try {
    auto runner = cli::load_runner(open, "fuzz", "wasm");
    for (size_t i = 0; i < runner->inputs().size(); i++) {
      const runtime::Port& port = runner->inputs()[i];
      runtime::reference::scatter_contiguous(cli::default_input(port.info, i), port.data, port.info);
    }
    runner->run();
    for (const runtime::Port& port : runner->outputs()) runtime::reference::gather_contiguous(port.data, port.info);
  } catch (const Error&) {
  }
  return 0;
}
