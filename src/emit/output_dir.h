// Writing a conversion result: per backend a descriptor and a zstd-compressed weights blob, and
// a manifest listing them. Everything is written to a temporary directory beside the target and
// moved into place only when complete, so a failure leaves the target as it was.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "src/emit/weights.h"
#include "webdnn/json.h"
#include "webdnn/progress.h"

namespace webdnn::emit {

// A backend may write several descriptors sharing its weights, for devices with different limits:
// its descriptor then holds "variants", [{"name": "", "manifest": {...}}, {"name": "t4096",
// "manifest": {...}, "descriptor": {...}}, ...]. The entry named "" is the main descriptor itself;
// every other one is written as graph-<backend>-<name>.json with the same weights entry. The
// manifest's backend entry lists them all under "variants", each as {"descriptor": file} plus its
// "manifest" fields (what a runner needs to pick one without reading them all).
//
// A backend that cannot run every operator of a model (a GPU backend and an output whose size the
// input values decide) runs the model up to there, and the wasm runtime in the page runs the rest:
// its `tail`, written as graph-<backend>-tail.json with weights of its own and listed in the
// manifest's entry as "tail": {"descriptor", "carried"}. The backend's descriptor is null when
// no operator comes before the tail (docs/descriptor.md, "A wasm tail").
struct BackendOutput {
  std::string backend;
  Json descriptor;               // the backend's descriptor, without the weights entry
  std::vector<uint8_t> weights;  // uncompressed blob (with coded segments: the file's bytes)
  Json report;                   // what the conversion did for this backend; weight sizes are added
  std::vector<std::pair<int64_t, int64_t>> float_ranges;  // the model's float32 values in `weights`
  std::vector<DerivedRange> derived;  // values in `weights` that a transform makes at load
  // Set by code_weights (compress_weights.h): the expanded size and the descriptor's
  // weights.encoded; otherwise -1 and null (the file holds the weights as they are).
  int64_t expanded_bytes = -1;
  Json encoded;
  std::shared_ptr<BackendOutput> tail;
  std::vector<std::string> carried;  // of a tail: the head's outputs it takes as inputs, by name
};

struct ModelInfo {
  std::string source;  // file name of the model
  Json inputs, outputs;  // [{name, dtype, shape}]
};

// Writes everything, report.json included; returns that report ({"model", "backends": [...]}).
Json write_output_directory(const std::string& dir, const ModelInfo& model, std::vector<BackendOutput> backends,
                            const Progress& progress);

}  // namespace webdnn::emit
