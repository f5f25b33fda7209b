#include "runtime/core/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "webdnn/error.h"

namespace webdnn::runtime {

void check_descriptor(const Json& d) {
  WEBDNN_CHECK(d.is_object() && d.value("format", "") == "webdnn-graph-descriptor",
               "this is not a webdnn graph descriptor");
  int version = d.value("version", -1);
  WEBDNN_CHECK(version == kDescriptorVersion, "the descriptor has format version ", version,
               " but this runtime reads version ", kDescriptorVersion, "; convert the model again with a matching webdnn-convert");
}

Runner::Runner(const Json& d, std::vector<uint8_t> weights) : weights_(std::move(weights)) {
  check_descriptor(d);
  WEBDNN_CHECK(weights_.size() == d.at("weights").at("bytes").get<size_t>(), "decompressed weights have ",
               weights_.size(), " bytes; the descriptor expects ", d.at("weights").at("bytes").get<size_t>());
  int64_t arena_bytes = d.at("memory").at("arena_bytes").get<int64_t>();
  arena_ = static_cast<uint8_t*>(std::aligned_alloc(64, static_cast<size_t>((arena_bytes + 63) / 64 * 64 + 64)));
  WEBDNN_CHECK(arena_, "cannot allocate an arena of ", arena_bytes, " bytes");
  std::memset(arena_, 0, static_cast<size_t>(arena_bytes));

  struct Var {
    TensorInfo info;
    void* data;
  };
  std::vector<Var> vars;
  for (const Json& v : d.at("variables")) {
    Var var;
    var.info.dtype = dtype_from_name(v.at("dtype").get<std::string>());
    var.info.shape = v.at("shape").get<Shape>();
    var.info.strides = v.at("strides").get<Shape>();
    int64_t offset = v.at("offset").get<int64_t>(), bytes = v.at("bytes").get<int64_t>();
    bool in_weights = v.at("location").get<std::string>() == "weights";
    int64_t limit = in_weights ? static_cast<int64_t>(weights_.size()) : arena_bytes;
    WEBDNN_CHECK(offset >= 0 && offset + bytes <= limit, "variable '", v.at("name").get<std::string>(),
                 "' lies outside its memory");
    var.data = (in_weights ? weights_.data() : arena_) + offset;
    vars.push_back(var);
  }
  auto var = [&](const Json& index) -> Var& {
    size_t i = index.get<size_t>();
    WEBDNN_CHECK(i < vars.size(), "the descriptor refers to variable ", i, " of ", vars.size());
    return vars[i];
  };
  for (const Json& k : d.at("kernels")) {
    std::string name = k.at("kernel").get<std::string>();
    KernelFactory factory = find_kernel(name);
    WEBDNN_CHECK(factory, "the descriptor needs kernel '", name, "', which this runtime does not have");
    KernelSpec spec;
    spec.params = k.at("params");
    Step step;
    step.op = k.value("op", name);
    step.kernel_name = name;
    for (const Json& i : k.at("inputs")) {
      spec.inputs.push_back(var(i).info);
      step.inputs.push_back(var(i).data);
    }
    for (const Json& o : k.at("outputs")) {
      spec.outputs.push_back(var(o).info);
      step.outputs.push_back(var(o).data);
    }
    try {
      step.kernel = factory(spec);
    } catch (const Error& e) {
      fail("preparing kernel '", name, "' of '", step.op, "': ", e.what());
    }
    steps_.push_back(std::move(step));
  }
  for (const Json& p : d.at("inputs")) inputs_.push_back({p.at("name").get<std::string>(), var(p.at("variable")).info, var(p.at("variable")).data});
  for (const Json& p : d.at("outputs")) outputs_.push_back({p.at("name").get<std::string>(), var(p.at("variable")).info, var(p.at("variable")).data});
}

Runner::~Runner() { std::free(arena_); }

void Runner::run() {
  for (Step& s : steps_) s.kernel->run(s.inputs.data(), s.outputs.data());
}

Json Runner::profile() {
  std::vector<std::pair<double, const Step*>> times;
  for (Step& s : steps_) {
    auto t0 = std::chrono::steady_clock::now();
    s.kernel->run(s.inputs.data(), s.outputs.data());
    times.emplace_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), &s);
  }
  std::stable_sort(times.begin(), times.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  Json out = Json::array();
  for (auto& [ms, s] : times) out.push_back({{"op", s->op}, {"kernel", s->kernel_name}, {"ms", ms}});
  return out;
}

}  // namespace webdnn::runtime
