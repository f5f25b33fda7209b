#include "backends/webgpu/generator/program.h"

#include <cmath>
#include <cstdio>
#include <sstream>

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

Program::Program(const ir::Graph&, const optimizer::MemoryPlan& plan, emit::WeightsBuilder& weights)
    : plan_(plan), weights_(weights) {
  buffers_.push_back({{"name", "arena"}, {"bytes", std::max<int64_t>(plan.arena_bytes, 4)}});
}

Program::Place Program::place(const ir::Variable* v) {
  auto it = places_.find(v);
  if (it != places_.end()) return it->second;
  Place p{};
  if (v->is_constant()) {
    // GPU kernels compute in f32: constants of every dtype are stored as f32.
    std::vector<float> values = v->logical_data().to_floats();
    int64_t bytes = static_cast<int64_t>(values.size() * 4);
    WEBDNN_CHECK(bytes <= kMaxBinding, "constant '", v->name, "' (", bytes, " bytes) exceeds the WebGPU binding limit");
    int64_t offset = weights_.add(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 4);
    Json& current = buffers_.back();
    int64_t start = current.value("weights_offset", int64_t{-1});
    if (start < 0 || offset + bytes - start > kMaxBinding) {
      buffers_.push_back({{"name", "weights" + std::to_string(buffers_.size())}, {"bytes", 0}, {"weights_offset", offset}});
      start = offset;
    }
    buffers_.back()["bytes"] = std::max<int64_t>(buffers_.back()["bytes"].get<int64_t>(), offset + bytes - start);
    p = {static_cast<int>(buffers_.size()) - 1, (offset - start) / 4};
  } else {
    auto off = plan_.offsets.find(v);
    WEBDNN_CHECK(off != plan_.offsets.end(), "variable '", v->name, "' has no place in the memory plan");
    p = {0, off->second / 4};
  }
  places_[v] = p;
  return p;
}

std::string Program::read(const ir::Variable* v, const std::string& index) {
  Place p = place(v);
  used_.insert(p.buffer);
  return "b" + std::to_string(p.buffer) + "[" + std::to_string(p.offset) + "u + (" + index + ")]";
}

std::string Program::write(const ir::Variable* v, const std::string& index) { return read(v, index); }

std::string Program::bindings() {
  std::ostringstream s;
  int k = 0;
  for (int b : used_)
    s << "@group(0) @binding(" << k++ << ") var<storage, " << (b == 0 ? "read_write" : "read") << "> b" << b
      << ": array<f32>;\n";
  return s.str();
}

void Program::dispatch(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup,
                       const std::string& extra) {
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
  static const char* kPrelude = "var<private> k_nan: u32 = 0x7fc00000u;\nvar<private> k_inf: u32 = 0x7f800000u;\n";
  std::string full = bindings() + kPrelude + code;
  auto it = shader_index_.find(full);
  int shader;
  if (it != shader_index_.end()) {
    shader = it->second;
  } else {
    shader = static_cast<int>(shaders_.size());
    shaders_.push_back({{"code", full}});
    shader_index_[full] = shader;
  }
  Json bind = Json::array();
  for (int b : used_) bind.push_back(b);
  dispatches_.push_back({{"op", op.name}, {"shader", shader}, {"buffers", bind}, {"workgroups", workgroups}});
  used_.clear();
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
