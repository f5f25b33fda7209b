#include "runtime/core/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <type_traits>
#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#endif

#include "runtime/core/stages.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::runtime {
namespace {

// How far the arena may exceed what its variables need (the planner's alignment of the last one).
constexpr int64_t kArenaSlack = 4096;

// Errors of a part of the descriptor, prefixed with where that part is: a string, or a function
// that makes it (only on error: a plan for new shapes reads every variable and kernel again, and
// building their names was a good part of that).
template <class W, class F>
auto in_context(const W& where, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    if constexpr (std::is_invocable_v<W>) fail(where(), ": ", e.what());
    else fail(where, ": ", e.what());
  }
}

// j[key] when it is a string, else `fallback` (nlohmann's value() throws its own exception when
// the field holds another kind of value).
std::string text_or(const Json& j, const char* key, const std::string& fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string string_field(const Json& j, const char* key) {
  auto it = j.find(key);
  WEBDNN_CHECK(it != j.end() && it->is_string(), "field '", key, "' must be a string");
  return it->get<std::string>();
}

// A part of the descriptor that must be there, as the kind of JSON value it must be.
const Json& part(const Json& d, const char* key, bool list) {
  return list ? json_list(d, key, "the descriptor") : json_object(d, key, "the descriptor");
}

// The variable's dtype, shape and strides, which must stay inside its bytes.
TensorInfo read_tensor(const params::Reader& r) {
  TensorInfo t;
  t.dtype = r.dtype("dtype");
  t.shape = r.integers("shape", -1, 0, params::kMaxExtent);
  t.strides = r.integers("strides", static_cast<int>(t.shape.size()), 0, params::kMaxExtent);
  int64_t elements = num_elements(t.shape);
  int64_t bytes = r.integer("bytes", 0, kMaxBufferBytes);
  WEBDNN_CHECK(bytes == elements * static_cast<int64_t>(dtype_size(t.dtype)), "field 'bytes' is ", bytes, "; shape ",
               shape_to_string(t.shape), " of ", dtype_name(t.dtype), " takes ", elements * static_cast<int64_t>(dtype_size(t.dtype)));
  // Every element a kernel can reach through the strides lies inside the variable.
  int64_t last = 0;
  for (size_t d = 0; d < t.shape.size(); d++)
    if (t.shape[d] > 0) last += (t.shape[d] - 1) * t.strides[d];
  WEBDNN_CHECK(elements == 0 || last < elements, "field 'strides' ", shape_to_string(t.strides), " reach past the ",
               elements, " elements of shape ", shape_to_string(t.shape));
  return t;
}

int64_t memory_limit_override = 0;

std::string gib(int64_t bytes) {
  std::ostringstream s;
  s.precision(bytes < (int64_t{10} << 30) ? 2 : 0);
  s << std::fixed << bytes / double(int64_t{1} << 30) << " GiB";
  return s.str();
}

}  // namespace

int64_t memory_limit() {
  if (memory_limit_override > 0) return memory_limit_override;
#ifdef __EMSCRIPTEN__
  return static_cast<int64_t>(emscripten_get_heap_max());
#else
  return kMaxBufferBytes;
#endif
}

void set_memory_limit(int64_t bytes) { memory_limit_override = bytes; }

void check_descriptor(const Json& d) {
  WEBDNN_CHECK(text_or(d, "format", "") == "webdnn-graph-descriptor", "this is not a webdnn graph descriptor");
  Json version = d.contains("version") ? d.at("version") : Json();
  WEBDNN_CHECK(version.is_number_integer() && version.get<int64_t>() == kDescriptorVersion, "the descriptor has format version ",
               version.is_primitive() ? version.dump() : "(not a number)", " but this runtime reads version ", kDescriptorVersion,
               "; convert the model again with a matching webdnn-convert");
  in_context("the descriptor's 'weights'", [&] { return params::Reader(part(d, "weights", false), "field").integer("bytes", 0, kMaxBufferBytes); });
}

Runner::Runner(const Json& d) {
  check_descriptor(d);
  weights_bytes_ = d.at("weights").at("bytes").get<int64_t>();
  signature_ = read_signature(d);
  if (!signature_.symbolic()) {
    StagePlans& only = stages_.emplace_back();
    only.plans.push_back(prepare(d));
    only.plan = only.plans.back().get();
    return;
  }
  if (signature_.data.empty()) {
    stages_.emplace_back().specializer = std::make_unique<Specializer>(d, signature_);
  } else {
    for (Stage& s : split_stages(d, signature_)) {
      StagePlans& stage = stages_.emplace_back();
      stage.specializer = std::make_unique<Specializer>(s.descriptor, signature_);
      stage.finds = std::move(s.finds);
    }
  }
  // Every stage checked and prepared at the converter's sample binding.
  Bindings sample = sample_binding(signature_);
  for (auto& [name, data] : signature_.data) sample.erase(name);
  binding_ = sample;
  for (StagePlans& stage : stages_) {
    use_plan(stage, sample);
    for (auto& [name, port] : stage.finds) sample[name] = signature_.ranges.at(name).hint;
  }
}

std::unique_ptr<Runner::Plan> Runner::prepare(const Json& d) const {
  auto plan = std::make_unique<Plan>();
  plan->arena_bytes = in_context("the descriptor's 'memory'", [&] {
    return params::Reader(part(d, "memory", false), "field").integer("arena_bytes", 0, kMaxBufferBytes);
  });
  std::vector<TensorInfo>& infos = plan->infos;
  std::vector<Place>& places = plan->places;

  // Both are allocated at once (the weights as they arrive): a model larger than this runtime's
  // memory is refused before either is.
  const int64_t limit = memory_limit(), arena = plan->arena_bytes;
  WEBDNN_CHECK(arena <= limit && weights_bytes_ <= limit - arena, "the model needs ", arena,
               " bytes for its intermediate values and ", weights_bytes_, " bytes of weights, ", gib(arena + weights_bytes_),
               " in all; this runtime can hold at most ", gib(limit),
               ". Convert the model for smaller inputs (webdnn-convert --input-shape), or use a GPU backend");
  const Json& variables = part(d, "variables", true);
  infos.reserve(variables.size());
  places.reserve(variables.size());
  for (size_t i = 0; i < variables.size(); i++) {
    const Json& v = variables[i];
    auto where = [&] {
      std::string name = text_or(v, "name", "");
      return "variable " + std::to_string(i) + (name.empty() ? "" : " '" + name + "'");
    };
    in_context(where, [&] {
      params::Reader r(v, "field");
      TensorInfo t = read_tensor(r);
      bool in_weights = r.pick("location", {"arena", "weights"}) == 1;
      int64_t limit = in_weights ? weights_bytes_ : plan->arena_bytes;
      int64_t offset = r.integer("offset", 0, limit);
      // Kernels read elements as their type: an element must not straddle its alignment.
      WEBDNN_CHECK(offset % static_cast<int64_t>(dtype_size(t.dtype)) == 0, "field 'offset' is ", offset,
                   ", not a multiple of the ", dtype_size(t.dtype), " bytes of a ", dtype_name(t.dtype));
      int64_t bytes = num_elements(t.shape) * static_cast<int64_t>(dtype_size(t.dtype));
      WEBDNN_CHECK(offset + bytes <= limit, "bytes [", offset, ", ", offset + bytes, ") lie outside its ",
                   in_weights ? "weights" : "arena", " of ", limit, " bytes");
      infos.push_back(t);
      places.push_back({in_weights, offset});
      return 0;
    });
  }
  auto variable = [&](const Json& index) {
    WEBDNN_CHECK(index.is_number_integer() && index.get<int64_t>() >= 0 && index.get<int64_t>() < static_cast<int64_t>(infos.size()),
                 "it refers to variable ", index.dump(), " of ", infos.size());
    return index.get<int>();
  };

  // The arena holds the variables placed in it, and little more: a corrupt size must not make the
  // runner allocate (and clear) gigabytes it does not need.
  int64_t used = 0;
  for (size_t v = 0; v < infos.size(); v++)
    if (!places[v].in_weights) used = std::max(used, places[v].offset + num_elements(infos[v].shape) * static_cast<int64_t>(dtype_size(infos[v].dtype)));
  WEBDNN_CHECK(plan->arena_bytes <= used + kArenaSlack, "the descriptor's 'memory': field 'arena_bytes' is ", plan->arena_bytes,
               "; its variables need ", used);

  const Json& kernels = part(d, "kernels", true);
  for (size_t i = 0; i < kernels.size(); i++) {
    const Json& k = kernels[i];
    Step step;
    step.kernel_name = text_or(k, "kernel", "?");
    step.op = text_or(k, "op", step.kernel_name);
    auto where = [&] { return "kernel " + std::to_string(i) + " ('" + step.kernel_name + "' of '" + step.op + "')"; };
    in_context(where, [&] {
      WEBDNN_CHECK(k.is_object(), "it must be an object");
      std::string name = string_field(k, "kernel");
      KernelFactory factory = find_kernel(name);
      WEBDNN_CHECK(factory, "this runtime has no such kernel");
      KernelSpec spec;
      auto params = k.find("params");
      spec.params = params != k.end() ? *params : Json::object();
      auto list = [&](const char* key) -> const Json& {
        auto it = k.find(key);
        WEBDNN_CHECK(it != k.end() && it->is_array() && it->size() <= 1024, "field '", key, "' must be a list of variables");
        return *it;
      };
      const Json &inputs = list("inputs"), &outputs = list("outputs");
      for (const Json& v : inputs) {
        step.input_vars.push_back(variable(v));
        spec.inputs.push_back(infos[step.input_vars.back()]);
      }
      for (const Json& v : outputs) {
        step.output_vars.push_back(variable(v));
        WEBDNN_CHECK(!places[step.output_vars.back()].in_weights, "it writes into the weights");
        spec.outputs.push_back(infos[step.output_vars.back()]);
      }
      step.kernel = factory(spec);
      if (auto when = k.find("when"); when != k.end()) {
        WEBDNN_CHECK(when->is_object() && when->contains("variable") && when->contains("value") && when->at("value").is_boolean(),
                     "field 'when' must be {\"variable\": v, \"value\": true or false}");
        step.when_var = variable(when->at("variable"));
        const TensorInfo& c = infos[step.when_var];
        WEBDNN_CHECK(c.dtype == DType::Bool && c.size() == 1 && !places[step.when_var].in_weights,
                     "field 'when' names a variable that is not one bool in the arena");
        step.when_value = when->at("value").get<bool>();
      }
      return 0;
    });
    plan->steps.push_back(std::move(step));
  }

  read_ports(d, "inputs", *plan, variable);
  read_ports(d, "outputs", *plan, variable);
  return plan;
}

template <class Variable>
void Runner::read_ports(const Json& d, const char* key, Plan& plan, Variable variable) {
  const Json& list = part(d, key, true);
  bool inputs = std::string(key) == "inputs";
  auto& ports = inputs ? plan.input_vars : plan.output_vars;
  for (size_t i = 0; i < list.size(); i++)
    in_context([&] { return std::string(key) + " " + std::to_string(i); }, [&] {
      WEBDNN_CHECK(list[i].is_object() && list[i].contains("variable"), "it must name a variable");
      int v = variable(list[i].at("variable"));
      WEBDNN_CHECK(!inputs || !plan.places[v].in_weights, "an input cannot be a constant");
      ports.push_back({string_field(list[i], "name"), v});
      return 0;
    });
}

Runner::Runner(const Json& descriptor, std::vector<uint8_t> weights) : Runner(descriptor) { load(std::move(weights)); }

Runner::~Runner() = default;

Runner::Arena::~Arena() { std::free(data); }

void Runner::load(std::vector<uint8_t> weights) {
  WEBDNN_CHECK(!loaded_, "the runner has its weights already");
  WEBDNN_CHECK(static_cast<int64_t>(weights.size()) == weights_bytes_, "decompressed weights have ", weights.size(),
               " bytes; the descriptor expects ", weights_bytes_);
  weights_ = std::move(weights);
  loaded_ = true;
  for (StagePlans& stage : stages_) attach(*stage.plan, stage.arena);
}

void Runner::attach(Plan& plan, Arena& arena) const {
  if (plan.arena_bytes > arena.bytes || !arena.data) {
    size_t bytes = static_cast<size_t>((plan.arena_bytes + 63) / 64 * 64 + 64);
    auto* grown = static_cast<uint8_t*>(std::aligned_alloc(64, bytes));
    WEBDNN_CHECK(grown, "cannot allocate an arena of ", plan.arena_bytes, " bytes");
    std::memset(grown, 0, static_cast<size_t>(plan.arena_bytes));
    std::free(arena.data);
    arena.data = grown;
    arena.bytes = plan.arena_bytes;
  }
  if (plan.arena == arena.data) return;
  plan.arena = arena.data;
  auto data = [&](int v) -> void* {
    return (plan.places[v].in_weights ? const_cast<uint8_t*>(weights_.data()) : plan.arena) + plan.places[v].offset;
  };
  for (Step& s : plan.steps) {
    s.inputs.clear();
    s.outputs.clear();
    for (int v : s.input_vars) s.inputs.push_back(data(v));
    for (int v : s.output_vars) s.outputs.push_back(data(v));
    s.when = s.when_var < 0 ? nullptr : static_cast<const uint8_t*>(data(s.when_var));
  }
  plan.inputs.clear();
  plan.outputs.clear();
  for (auto& [name, v] : plan.input_vars) plan.inputs.push_back({name, plan.infos[v], data(v)});
  for (auto& [name, v] : plan.output_vars) plan.outputs.push_back({name, plan.infos[v], data(v)});
}

void Runner::set_input_shapes(const std::vector<Shape>& shapes) {
  Bindings b = bind_inputs(signature_, shapes);
  if (!signature_.symbolic()) return;  // bind_inputs() checked that they are the model's own
  use_plan(stages_.front(), b);
  binding_ = std::move(b);
}

void Runner::use_plan(StagePlans& stage, const Bindings& given) {
  Bindings b = given;
  for (auto& [name, port] : stage.finds) {
    int64_t capacity = signature_.data.at(name).capacity.evaluate(given);
    WEBDNN_CHECK(capacity >= 0 && capacity <= params::kMaxExtent, "the capacity of '", name, "' is ", capacity,
                 " at ", binding_text(given));
    b[name] = capacity;
  }
  std::string key = binding_text(b);
  auto& plans = stage.plans;
  auto it = std::find_if(plans.begin(), plans.end(), [&](const auto& p) { return p->key == key; });
  if (it == plans.end()) {
    std::unique_ptr<Plan> plan = prepare(stage.specializer->at(b));
    plan->key = key;
    if (plans.size() >= kCachedPlans) plans.pop_back();
    plans.insert(plans.begin(), std::move(plan));
  } else {
    std::rotate(plans.begin(), it, it + 1);
  }
  stage.plan = plans.front().get();
  if (loaded_) attach(*stage.plan, stage.arena);
}

void Runner::run_stages(std::vector<std::pair<double, const Step*>>* times) {
  WEBDNN_CHECK(loaded_, "the runner has no weights yet");
  Bindings b = binding_;
  for (size_t i = 0; i < stages_.size(); i++) {
    StagePlans& stage = stages_[i];
    if (i > 0) {
      // What the stage before computed, taken over at the shapes of this binding: a value sized
      // by what was just found lies at the front of the one written at capacity.
      use_plan(stage, b);
      const std::vector<Port>& from = stages_[i - 1].plan->outputs;
      for (size_t p = 0; p < stage.plan->inputs.size(); p++) {
        const Port &to = stage.plan->inputs[p], &source = from.at(p);
        int64_t bytes = to.info.size() * static_cast<int64_t>(dtype_size(to.info.dtype));
        bool fits = to.info.dtype == source.info.dtype && to.info.size() <= source.info.size();
        WEBDNN_CHECK(fits, "stage ", i, " takes ", to.name, " as ", dtype_name(to.info.dtype), shape_to_string(to.info.shape),
                     " from ", dtype_name(source.info.dtype), shape_to_string(source.info.shape));
        std::memcpy(to.data, source.data, static_cast<size_t>(bytes));
      }
    }
    for (Step& s : stage.plan->steps) {
      if (s.when && (*s.when != 0) != s.when_value) continue;  // a branch its If does not take
      if (!times) {
        s.kernel->run(s.inputs.data(), s.outputs.data());
        continue;
      }
      auto t0 = std::chrono::steady_clock::now();
      s.kernel->run(s.inputs.data(), s.outputs.data());
      times->emplace_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), &s);
    }
    for (auto& [name, port] : stage.finds) {
      int64_t found = *static_cast<const int64_t*>(stage.plan->outputs.at(port).data);
      const SymbolRange& range = signature_.ranges.at(name);
      WEBDNN_CHECK(found >= range.min && found <= range.max, "the model found '", name, "' = ", found,
                   ", outside the ", range.min, "..", range.max, " it was converted for");
      b[name] = found;
      check_guards(signature_, b, name);
    }
  }
}

void Runner::run() { run_stages(nullptr); }

Json Runner::profile() {
  std::vector<std::pair<double, const Step*>> times;
  run_stages(&times);
  std::stable_sort(times.begin(), times.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  Json out = Json::array();
  for (auto& [ms, s] : times) out.push_back({{"op", s->op}, {"kernel", s->kernel_name}, {"ms", ms}});
  return out;
}

}  // namespace webdnn::runtime
