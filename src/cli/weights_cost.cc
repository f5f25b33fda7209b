#include "src/cli/weights_cost.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "runtime/core/runner.h"
#include "src/cli/load.h"
#include "webdnn/version.h"

namespace webdnn::cli {
namespace {

// The float32 outputs of the descriptor with `weights`, on the deterministic inputs.
std::vector<std::vector<float>> run(const Json& descriptor, const std::vector<uint8_t>& weights, std::vector<int64_t>& rows) {
  Json d = descriptor;
  d["format"] = "webdnn-graph-descriptor";
  d["version"] = kFormatVersion;
  d["backend"] = "wasm";
  d["weights"] = {{"bytes", weights.size()}};
  runtime::Runner runner(d, weights);
  for (size_t i = 0; i < runner.inputs().size(); i++) {
    const runtime::Port& port = runner.inputs()[i];
    Tensor t = default_input(port.info, i);
    std::memcpy(port.data, t.bytes.data(), t.bytes.size());
  }
  runner.run();
  std::vector<std::vector<float>> outs;
  rows.clear();
  for (const runtime::Port& port : runner.outputs()) {
    if (port.info.dtype != DType::Float32) continue;
    const float* p = static_cast<const float*>(port.data);
    outs.emplace_back(p, p + num_elements(port.info.shape));
    rows.push_back(port.info.shape.empty() ? 1 : port.info.shape.back());
  }
  return outs;
}

std::vector<int64_t> top(const float* x, int64_t n, int64_t k) {
  std::vector<int64_t> idx(static_cast<size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int64_t a, int64_t b) { return x[a] > x[b]; });
  idx.resize(static_cast<size_t>(k));
  std::sort(idx.begin(), idx.end());
  return idx;
}

}  // namespace

Json measure_weights_cost(const Json& wasm_descriptor, const std::vector<uint8_t>& float32_weights,
                          const std::vector<uint8_t>& coded_weights) {
  std::vector<int64_t> last;
  std::vector<std::vector<float>> want = run(wasm_descriptor, float32_weights, last);
  std::vector<std::vector<float>> got = run(wasm_descriptor, coded_weights, last);
  double worst = 0;
  int64_t rows = 0, same = 0, rows5 = 0, common5 = 0;
  for (size_t o = 0; o < want.size(); o++) {
    double most = 0, diff = 0;
    for (size_t i = 0; i < want[o].size(); i++) {
      most = std::max(most, static_cast<double>(std::fabs(want[o][i])));
      diff = std::max(diff, static_cast<double>(std::fabs(want[o][i] - got[o][i])));
    }
    if (most > 0) worst = std::max(worst, diff / most);
    else if (diff > 0) worst = INFINITY;
    const int64_t n = last[o];
    if (n < 2) continue;
    for (size_t r = 0; r + n <= want[o].size(); r += n) {
      rows++;
      same += top(&want[o][r], n, 1) == top(&got[o][r], n, 1);
      if (n < 5) continue;
      rows5++;
      std::vector<int64_t> a = top(&want[o][r], n, 5), b = top(&got[o][r], n, 5), both;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
      common5 += static_cast<int64_t>(both.size());
    }
  }
  Json cost = {{"measured_on", "the wasm descriptor, run natively on deterministic inputs"}, {"max_rel_error", worst}};
  if (rows) cost["top1_agreement"] = static_cast<double>(same) / rows, cost["rows"] = rows;
  if (rows5) cost["top5_overlap"] = static_cast<double>(common5) / (5.0 * rows5);
  return cost;
}

}  // namespace webdnn::cli
