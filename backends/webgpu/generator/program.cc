#include "backends/webgpu/generator/program.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {

std::string f32(double v) {
  // WGSL rejects NaN and infinity in constant expressions: they are read from private variables
  // that every shader declares (see kPrelude).
  if (std::isnan(v)) return "bitcast<f32>(k_nan)";
  if (std::isinf(v)) return v > 0 ? "bitcast<f32>(k_inf)" : "-bitcast<f32>(k_inf)";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(static_cast<float>(v)));
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

namespace {
// read() leaves a marker where the binding's name and offset go; dispatch_raw() fills it in once
// it knows how the variables map onto bindings.
const char kMark = '\x01';
}  // namespace

int64_t max_binding() {
  const char* env = std::getenv("WEBDNN_WEBGPU_MAX_BINDING");
  if (!env || !*env) return kMaxBinding;
  char* end = nullptr;
  long long v = std::strtoll(env, &end, 10);
  WEBDNN_CHECK(*end == 0 && v >= kAlignment && v <= kMaxBinding, "WEBDNN_WEBGPU_MAX_BINDING='", env,
               "' is not a byte count from ", kAlignment, " to ", kMaxBinding);
  return v / kAlignment * kAlignment;
}

Program::Program(const ir::Graph&, const optimizer::MemoryPlan& plan, emit::WeightsBuilder& weights, int64_t max_binding)
    : plan_(plan), weights_(weights), max_binding_(max_binding) {
  buffers_.push_back({{"name", "arena"}, {"bytes", std::max<int64_t>((plan.arena_bytes + 3) / 4 * 4, 4)}});
}

Program::Place Program::place(const ir::Variable* v) {
  auto it = places_.find(v);
  if (it != places_.end()) return it->second;
  Place p{};
  if (v->is_constant()) {
    // GPU kernels compute in f32: constants of every dtype are stored as f32, each at an offset
    // that a binding may start at.
    std::vector<float> values = v->logical_data().to_floats();
    int64_t bytes = std::max<int64_t>(static_cast<int64_t>(values.size() * 4), 4);
    values.resize(static_cast<size_t>(bytes / 4), 0.0f);
    WEBDNN_CHECK(bytes <= max_binding_, "constant '", v->name, "' (", bytes, " bytes) exceeds the WebGPU binding limit (",
                 max_binding_, ")");
    int64_t offset = weights_.add(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 4, kAlignment);
    WEBDNN_CHECK(offset % kAlignment == 0, "misaligned constant");
    Json& current = buffers_.back();
    int64_t start = current.value("weights_offset", int64_t{-1});
    if (start < 0 || offset + bytes - start > max_binding_) {
      buffers_.push_back({{"name", "weights" + std::to_string(buffers_.size())}, {"bytes", 0}, {"weights_offset", offset}});
      start = offset;
    }
    buffers_.back()["bytes"] = std::max<int64_t>(buffers_.back()["bytes"].get<int64_t>(), offset + bytes - start);
    p = {static_cast<int>(buffers_.size()) - 1, (offset - start) / 4};
  } else {
    auto off = plan_.offsets.find(v);
    WEBDNN_CHECK(off != plan_.offsets.end(), "variable '", v->name, "' has no place in the memory plan");
    WEBDNN_CHECK(off->second % kAlignment == 0, "variable '", v->name, "' is not aligned for binding");
    p = {0, off->second / 4};
  }
  places_[v] = p;
  return p;
}

std::string Program::read(const ir::Variable* v, const std::string& index) {
  place(v);
  auto it = used_index_.find(v);
  int k;
  if (it == used_index_.end()) {
    k = static_cast<int>(used_.size());
    used_.push_back(v);
    used_index_[v] = k;
  } else {
    k = it->second;
  }
  return kMark + std::to_string(k) + kMark + "(" + index + ")]";
}

std::string Program::write(const ir::Variable* v, const std::string& index) { return read(v, index); }

const ir::Variable* Program::table(const std::vector<float>& values) {
  auto v = std::make_unique<ir::Variable>();
  v->name = "table" + std::to_string(tables_.size());
  v->shape = {static_cast<int64_t>(values.size())};
  v->order = {0};
  v->data = Tensor::from_floats(v->shape, values);
  tables_.push_back(std::move(v));
  return tables_.back().get();
}

bool Program::same_memory(const ir::Variable* a, const ir::Variable* b) {
  Place pa = place(a), pb = place(b);
  return pa.buffer == pb.buffer && pa.offset == pb.offset;
}

void Program::dispatch(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup,
                       const std::string& extra) {
  if (threads <= 0) {
    used_.clear();
    used_index_.clear();
    return;
  }
  int64_t groups = std::max<int64_t>((threads + workgroup - 1) / workgroup, 1);
  int64_t x = std::min<int64_t>(groups, 65535), y = (groups + x - 1) / x;
  std::ostringstream code;
  code << extra << "@compute @workgroup_size(" << workgroup << ")\n"
       << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
       << "  let i = (wid.y * " << x << "u + wid.x) * " << workgroup << "u + lid;\n"
       << "  if (i >= " << threads << "u) { return; }\n"
       << body << "}\n";
  dispatch_raw(op, code.str(), {x, y, 1});
}

void Program::dispatch_raw(const ir::Operator& op, const std::string& code, std::vector<int64_t> workgroups) {
  Json d = add_dispatch(op, {{code, std::move(workgroups)}});
  if (!d.is_null()) dispatches_.push_back(d);
}

void Program::dispatch_variants(const ir::Operator& op, const Variant& gpu, const Variant& cpu) {
  Json d = add_dispatch(op, {gpu, cpu});
  if (!d.is_null()) dispatches_.push_back(d);
}

int Program::shader(const std::string& code) {
  auto it = shader_index_.find(code);
  if (it != shader_index_.end()) return it->second;
  int index = static_cast<int>(shaders_.size());
  shaders_.push_back({{"code", code}});
  shader_index_[code] = index;
  return index;
}

Json Program::add_dispatch(const ir::Operator& op, const std::vector<Variant>& variants) {
  // Ranges in floats: [lo, hi) of each used variable, merged per buffer where they overlap.
  struct Segment {
    int buffer;
    int64_t lo, hi;
    int first_use;
  };
  std::vector<Segment> segments;
  std::vector<int> segment_of(used_.size(), -1);
  auto build = [&](bool merge_all) {
    segments.clear();
    std::vector<int> order(used_.size());
    for (size_t k = 0; k < used_.size(); k++) order[k] = static_cast<int>(k);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      Place pa = places_.at(used_[a]), pb = places_.at(used_[b]);
      return pa.buffer != pb.buffer ? pa.buffer < pb.buffer : pa.offset < pb.offset;
    });
    for (int k : order) {
      Place p = places_.at(used_[k]);
      int64_t lo = p.offset, hi = p.offset + std::max<int64_t>(used_[k]->size(), 1);
      Segment* last = segments.empty() ? nullptr : &segments.back();
      if (last && last->buffer == p.buffer && (merge_all || lo < last->hi)) {
        last->hi = std::max(last->hi, hi);
        last->first_use = std::min(last->first_use, k);
      } else {
        segments.push_back({p.buffer, lo, hi, k});
      }
      segment_of[k] = static_cast<int>(segments.size()) - 1;
    }
  };
  build(false);
  if (segments.size() > static_cast<size_t>(kMaxBindings)) build(true);
  WEBDNN_CHECK(segments.size() <= static_cast<size_t>(kMaxBindings), "a dispatch of '", op.name, "' needs ",
               segments.size(), " buffers, more than WebGPU binds at once");
  // Bindings numbered in the order the kernel first used them, so that kernels of the same kind
  // and shape produce the same shader.
  std::vector<int> by_use(segments.size());
  for (size_t s = 0; s < segments.size(); s++) by_use[s] = static_cast<int>(s);
  std::sort(by_use.begin(), by_use.end(), [&](int a, int b) { return segments[a].first_use < segments[b].first_use; });
  std::vector<int> binding_of(segments.size());
  for (size_t b = 0; b < by_use.size(); b++) binding_of[by_use[b]] = static_cast<int>(b);

  // Arrays of a fixed length: bounds checks against a constant cost SwiftShader less than
  // against the binding's runtime length.
  std::ostringstream decl;
  Json bind = Json::array();
  for (size_t b = 0; b < by_use.size(); b++) {
    const Segment& s = segments[by_use[b]];
    decl << "@group(0) @binding(" << b << ") var<storage, " << (s.buffer == 0 ? "read_write" : "read") << "> buf" << b
         << ": array<f32, " << (s.hi - s.lo) << ">;\n";
    bind.push_back({s.buffer, s.lo * 4, (s.hi - s.lo) * 4});
  }
  // Fill in the markers.
  auto resolve = [&](const std::string& code) {
    std::string body;
    body.reserve(code.size() + 64);
    for (size_t i = 0; i < code.size(); i++) {
      if (code[i] != kMark) {
        body += code[i];
        continue;
      }
      size_t end = code.find(kMark, i + 1);
      int k = std::stoi(code.substr(i + 1, end - i - 1));
      int seg = segment_of[k];
      int64_t rel = places_.at(used_[k]).offset - segments[seg].lo;
      body += "buf" + std::to_string(binding_of[seg]) + "[";
      if (rel) body += std::to_string(rel) + "u + ";
      i = end;
    }
    static const char* kPrelude = "var<private> k_nan: u32 = 0x7fc00000u;\nvar<private> k_inf: u32 = 0x7f800000u;\n";
    return decl.str() + kPrelude + wgsl_helpers(body) + body;
  };
  Json d = {{"op", op.name}, {"type", op.type}, {"shader", shader(resolve(variants[0].code))}, {"bindings", bind},
            {"workgroups", variants[0].workgroups}};
  if (variants.size() > 1)
    d["cpu"] = {{"shader", shader(resolve(variants[1].code))}, {"workgroups", variants[1].workgroups}};
  used_.clear();
  used_index_.clear();
  return d;
}

int Program::variable(const ir::Variable* v) {
  auto it = variable_index_.find(v);
  if (it != variable_index_.end()) return it->second;
  Place p = place(v);
  variables_.push_back({{"name", v->name}, {"dtype", dtype_name(v->dtype)}, {"shape", v->shape}, {"buffer", p.buffer},
                        {"offset", p.offset * 4}, {"bytes", v->size() * 4}});
  variable_index_[v] = static_cast<int>(variables_.size()) - 1;
  return variable_index_[v];
}

Json Program::to_json(const ir::Graph& graph) const {
  Program& self = const_cast<Program&>(*this);
  Json inputs = Json::array(), outputs = Json::array();
  for (const ir::Variable* v : graph.inputs) inputs.push_back({{"name", v->name}, {"variable", self.variable(v)}});
  for (const ir::Variable* v : graph.outputs) outputs.push_back({{"name", v->name}, {"variable", self.variable(v)}});
  return {{"storage", "f32"}, {"buffers", buffers_}, {"inputs", inputs}, {"outputs", outputs},
          {"variables", variables_}, {"shaders", shaders_}, {"dispatches", dispatches_}};
}

}  // namespace webdnn::backends::webgpu
