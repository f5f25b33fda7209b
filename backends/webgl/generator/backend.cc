// The WebGL backend, transpiler side: GLSL ES 3.00 fragment shaders for every operator of the
// optimized graph, over float textures (see layout.h for where each element lives), with shapes
// written in. The runner (../runner/backend_webgl.mjs) compiles them at load, uploads the weights
// once and replays the draws on every run.
//
// Texture limits: one program per texture size in kTextureSizes, each after the splitting rule
// cut every variable to what one texture of that size holds; programs that come out the same are
// written once. The main descriptor is the one for the smallest size (every WebGL2 device), the
// others are listed as variants; the runner picks the largest that its MAX_TEXTURE_SIZE allows.
// All variants share one weights file: constants are stored once each (split pieces of a weight
// cut along its first axis are found inside the whole one).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <unordered_map>

#include "backends/backend.h"
#include "backends/webgl/generator/kernels/kernels.h"
#include "backends/webgl/generator/program.h"
#include "src/ops/branches.h"
#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
#include "src/optimizer/rules/rules.h"
#include "webdnn/error.h"
#include "webdnn/tensor.h"

namespace webdnn::backends::webgl {
namespace {

// WebGL2 guarantees 2048; 4096 nearly every device has; 16384 desktop GPUs.
const int64_t kTextureSizes[] = {2048, 4096, 16384};
// Half floats hold values up to 65504; a model "fits" when the probe run stays this many times
// below that (inputs in real use may be larger than the probe's [-1, 1]).
constexpr double kHalfHeadroom = 256;

// What one texture of `size` texels a side holds, in bytes of float32 data.
int64_t texture_bytes(int64_t size) { return size * size * 16; }

// The most texture memory a descriptor may ask for (RGBA32F, every layer of every texture): WebGL
// gives no way to ask a device how much it has, and beyond this no browser holds a context's
// textures (Chromium's GPU process caps its allocations well below it on most devices).
constexpr int64_t kTextureBudget = int64_t{4} << 30;

int64_t texture_memory(const Json& descriptor) {
  int64_t total = 0;
  for (const Json& t : descriptor.at("textures"))
    total += t.at("width").get<int64_t>() * t.at("height").get<int64_t>() * t.at("layers").get<int64_t>() * 16;
  return total;
}

// FNV-1a over 8-byte words (then the bytes left): only a key for finding equal constants, which
// are compared in full; words keep it fast in the page's generator, which hashes every weight.
uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 1099511628211ull;
  }
  for (; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

// The constants of all variants in one blob, as logical float32 data, each stored once.
class WeightStore {
 public:
  explicit WeightStore(emit::WeightsBuilder& builder) : builder_(builder) {}

  // `weights`: the model's own values (which --weights may code compactly), not a kernel's table.
  int64_t add(const Tensor& t, bool weights) {
    std::vector<float> values;  // other dtypes as float32; float32 data as it is
    if (t.dtype != DType::Float32) values = t.to_floats();
    const uint8_t* p = t.dtype == DType::Float32 ? t.bytes.data() : reinterpret_cast<const uint8_t*>(values.data());
    size_t n = t.dtype == DType::Float32 ? t.bytes.size() : values.size() * 4;
    uint64_t h = fnv1a(p, n);
    for (auto [offset, size] : exact_[h])
      if (size == static_cast<int64_t>(n) && (n == 0 || std::memcmp(builder_.data_at(offset), p, n) == 0)) return offset;
    // A piece of a larger constant cut along its first axis: its rows are some of the rows there.
    int64_t row = t.shape.empty() || t.shape[0] == 0 ? 0 : static_cast<int64_t>(n) / t.shape[0];
    if (row > 0 && n >= kBig) {
      size_t prefix = std::min<size_t>(kPrefix, static_cast<size_t>(row));
      for (auto [offset, end] : rows_[fnv1a(p, prefix) ^ static_cast<uint64_t>(row)])
        if (offset + static_cast<int64_t>(n) <= end && std::memcmp(builder_.data_at(offset), p, n) == 0) return offset;
    }
    int64_t offset = builder_.add(p, n, 0, weights && t.dtype == DType::Float32);
    exact_[h].push_back({offset, static_cast<int64_t>(n)});
    if (row > 0 && n >= kBig) {
      size_t prefix = std::min<size_t>(kPrefix, static_cast<size_t>(row));
      for (int64_t r = 0; r < t.shape[0]; r++)
        rows_[fnv1a(builder_.data_at(offset + r * row), prefix) ^ static_cast<uint64_t>(row)].push_back(
            {offset + r * row, offset + static_cast<int64_t>(n)});
    }
    return offset;
  }

 private:
  static constexpr size_t kBig = 1 << 20, kPrefix = 256;
  emit::WeightsBuilder& builder_;
  std::unordered_map<uint64_t, std::vector<std::pair<int64_t, int64_t>>> exact_, rows_;
};

// The largest magnitude of any intermediate float value when the reference kernels run the
// graph on seeded inputs uniform in [-1, 1] (integer inputs 0, bool false).
double probe_max_abs(const ir::Graph& graph) {
  std::map<const ir::Variable*, Tensor> values;
  std::map<const ir::Variable*, size_t> last_use;
  std::vector<ir::Operator*> schedule = graph.topological_order();
  const auto branches = ops::branches(graph, ops::conditions_first(schedule));
  for (size_t i = 0; i < schedule.size(); i++)
    for (const ir::Variable* v : schedule[i]->inputs) last_use[v] = i;
  std::mt19937 rng(12345);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  double worst = 0;
  auto note = [&](const Tensor& t) {
    if (t.dtype != DType::Float32) return;
    const float* d = t.data<float>();
    for (int64_t i = 0; i < t.size(); i++)
      if (std::isfinite(d[i])) worst = std::max(worst, static_cast<double>(std::fabs(d[i])));
  };
  for (const ir::Variable* v : graph.inputs) {
    Tensor t(v->dtype, v->shape);
    if (v->dtype == DType::Float32)
      for (int64_t i = 0; i < t.size(); i++) t.data<float>()[i] = uniform(rng);
    values[v] = std::move(t);
    note(values[v]);
  }
  for (size_t i = 0; i < schedule.size(); i++) {
    const ir::Operator* op = schedule[i];
    std::vector<Tensor> owned;
    std::vector<const Tensor*> args;
    owned.reserve(op->inputs.size());
    for (const ir::Variable* v : op->inputs) {
      if (values.count(v)) {
        args.push_back(&values.at(v));
      } else {
        owned.push_back(v->logical_data());
        args.push_back(&owned.back());
      }
    }
    std::vector<Tensor> results;
    try {
      results = ops::evaluate(*op, args);
    } catch (const Error&) {
      // Both branches of an If are probed, for the magnitudes of either; one not meant for
      // these inputs may fail (a Gather past its table), and then it would not have run.
      if (!branches.count(op)) throw;
      for (const ir::Variable* v : op->outputs) results.emplace_back(v->dtype, v->shape);
    }
    for (size_t k = 0; k < results.size(); k++) {
      note(results[k]);
      values[op->outputs[k]] = std::move(results[k]);
    }
    for (const ir::Variable* v : op->inputs)
      if (last_use[v] == i && !v->is_constant()) values.erase(v);
  }
  return worst;
}

// The program of `graph` for textures of `size`.
Json generate(const ir::Graph& graph, int64_t size, WeightStore& store) {
  std::vector<ir::Operator*> schedule = graph.topological_order();
  Program program(size);
  program.set_graph_outputs(graph.outputs);
  choose_layouts(schedule, program);
  for (const ir::Variable* v : graph.inputs) program.var(v);
  for (const ir::Operator* op : schedule) {
    try {
      find_kernel(op->type)->generate(*op, program);
    } catch (const Error& e) {
      fail("webgl kernel for ", op->type, " '", op->name, "': ", e.what());
    }
  }
  Json d = program.to_json(graph, [&](const Var& v) {
    return v.data ? store.add(*v.data, false) : store.add(v.ir->logical_data(), true);
  });
  int layers = 1;
  for (const Json& t : d["textures"])
    if (!t.contains("constant")) layers = std::max(layers, t["layers"].get<int>());
  d["max_draw_buffers"] = layers;
  return d;
}

class WebGlBackend : public Backend {
 public:
  std::string name() const override { return "webgl"; }
  bool generates_in_page() const override { return true; }

  // In the page (a symbolic graph specialized for one shape): one descriptor, for the texture
  // size the context has, and the half-float verdict the converter probed at its sample shape.
  void set_options(const Json& options) override {
    if (options.contains("max_texture_size")) {
      int64_t size = options.at("max_texture_size").get<int64_t>();
      WEBDNN_CHECK(std::find(std::begin(kTextureSizes), std::end(kTextureSizes), size) != std::end(kTextureSizes),
                   "max_texture_size ", size, " is not one of 2048, 4096, 16384");
      sizes_ = {size};
    }
    if (options.contains("half_float")) half_float_ = options.at("half_float");
  }

  std::vector<optimizer::RuleGroup> rule_groups() override {
    // Cut for the largest texture size here; emit() cuts copies further for the smaller ones.
    optimizer::RuleGroup g;
    g.name = "webgl";
    g.rules.push_back(optimizer::rules::integer_products_in_float());
    // Attention as one draw (kernels/attention.cc), heads up to 128, a large language model's (a
    // fragment holds Q's row in 32 vec4 registers): no texture holds the scores. Before the
    // splitting, which would cut them.
    g.rules.push_back(optimizer::rules::fuse_attention(128));
    g.rules.push_back(optimizer::rules::split_oversized(texture_bytes(std::end(kTextureSizes)[-1])));
    std::vector<optimizer::RuleGroup> groups;
    groups.push_back(std::move(g));
    return groups;
  }

  Json emit(const ir::Graph& graph, emit::WeightsBuilder& weights, Json& report) override {
    std::vector<std::string> missing;
    for (const ir::Operator* op : graph.topological_order())
      if (!find_kernel(op->type)) missing.push_back(op->type + " ('" + op->name + "')");
    if (!missing.empty()) {
      std::string list;
      for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
      fail("the webgl backend has no kernel for: ", list);
    }
    // One value over the whole budget (or over what one tensor may take: the probe runs the model)
    // fits no texture layout: said before any table of its kernel (a Resize's taps per output
    // coordinate) is built for nothing.
    const int64_t most = std::min(kTextureBudget, max_tensor_bytes());
    for (const ir::Variable* v : graph.variables())
      WEBDNN_CHECK(!v->is_static() || v->bytes() <= most, "'", v->name, "' ", shape_to_string(v->shape), " takes ",
                   v->bytes() >> 20, " MiB, more than the ", most >> 20, " MiB WebGL budget; convert the model for "
                   "smaller inputs (--input-shape, a smaller batch), or for the wasm or webgpu backend");
    WeightStore store(weights);
    // Largest first, so that whole weights are stored before the pieces cut from them.
    std::vector<std::pair<int64_t, Json>> programs;
    Json variant_reports = Json::array();
    for (auto it = sizes_.rbegin(); it != sizes_.rend(); ++it) {
      int64_t size = *it;
      std::unique_ptr<ir::Graph> g = graph.clone();
      optimizer::RuleGroup split;
      split.name = "webgl-" + std::to_string(size);
      split.rules.push_back(optimizer::rules::split_oversized(texture_bytes(size)));
      optimizer::GroupReport r = optimizer::run_group(*g, split, optimizer::OptimizeOptions{});
      Json d;
      try {
        d = generate(*g, size, store);
      } catch (const Error& e) {
        fail("textures of ", size, "x", size, ": ", e.what());
      }
      int64_t texture_total = texture_memory(d);
      WEBDNN_CHECK(texture_total <= kTextureBudget, "the model's textures take ", texture_total >> 20,
                   " MiB (with textures of ", size, "x", size, "), more than the ", kTextureBudget >> 20,
                   " MiB WebGL budget; convert it for smaller inputs (--input-shape, a smaller batch), or for the wasm or "
                   "webgpu backend");
      variant_reports.push_back({{"max_texture_size", size}, {"splits", r.applied.count("split_oversized") ? r.applied.at("split_oversized") : 0},
                                 {"draws", d["draws"].size()}, {"programs", d["programs"].size()}, {"textures", d["textures"].size()}});
      programs.insert(programs.begin(), {size, std::move(d)});
    }
    // The probe runs the model, so after every limit was checked.
    Json half = half_float_;
    if (half.is_null()) {
      double probe = probe_max_abs(graph);
      half = {{"probe_max_abs", probe}, {"fits", probe * kHalfHeadroom <= 65504.0}};
    }
    for (auto& [size, d] : programs) d["half_float"] = half;
    // Smallest first; a variant equal to the next smaller one but for its size is dropped.
    auto same = [](Json a, Json b) {
      a.erase("max_texture_size");
      b.erase("max_texture_size");
      return a == b;
    };
    Json main = programs[0].second;
    Json variants = Json::array();
    variants.push_back({{"name", ""}, {"manifest", {{"max_texture_size", programs[0].first}}}});
    const Json* previous = &programs[0].second;
    for (size_t i = 1; i < programs.size(); i++) {
      if (same(programs[i].second, *previous)) continue;
      previous = &programs[i].second;
      variants.push_back({{"name", "t" + std::to_string(programs[i].first)},
                          {"manifest", {{"max_texture_size", programs[i].first}}},
                          {"descriptor", programs[i].second}});
    }
    main["variants"] = variants;
    report["kernels"] = main["draws"].size();
    report["programs"] = main["programs"].size();
    report["textures"] = main["textures"].size();
    report["variants"] = variant_reports;
    report["half_float"] = half;
    return main;
  }

 private:
  std::vector<int64_t> sizes_{std::begin(kTextureSizes), std::end(kTextureSizes)};
  Json half_float_;  // null: probe
};

BackendRegistration registration("webgl", [] { return std::unique_ptr<Backend>(new WebGlBackend()); });

}  // namespace
}  // namespace webdnn::backends::webgl
