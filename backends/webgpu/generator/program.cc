#include "backends/webgpu/generator/program.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {

std::string f32(double v) {
  // WGSL rejects NaN and infinity in constant expressions: they are read from private variables
  // that a shader declares when it uses them (see kPrelude).
  if (std::isnan(v)) return "bitcast<f32>(k_nan)";
  if (std::isinf(v)) return v > 0 ? "bitcast<f32>(k_inf)" : "-bitcast<f32>(k_inf)";
  const double x = static_cast<double>(static_cast<float>(v));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", x);
  // Nine digits name every float, but rounding may step outside the f32 range (the largest float
  // is 3.40282347e+38 to nine digits, and that is more than it), which WGSL rejects: such values
  // get the float's own digits, exact as a double.
  if (std::fabs(std::strtod(buf, nullptr)) > FLT_MAX) std::snprintf(buf, sizeof(buf), "%.17g", x);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

int64_t max_binding() {
  const char* env = std::getenv("WEBDNN_WEBGPU_MAX_BINDING");
  if (!env || !*env) return kMaxBinding;
  char* end = nullptr;
  long long v = std::strtoll(env, &end, 10);
  WEBDNN_CHECK(*end == 0 && v >= kAlignment && v <= kMaxBinding, "WEBDNN_WEBGPU_MAX_BINDING='", env,
               "' is not a byte count from ", kAlignment, " to ", kMaxBinding);
  return v / kAlignment * kAlignment;
}

std::string Operand::at(const std::vector<std::string>& coords) const {
  WEBDNN_CHECK(coords.size() == shape().size(), "operand '", name, "' has ", shape().size(), " axes, not ", coords.size());
  Shape strides = contiguous_strides(shape());
  std::string s;
  for (size_t d = 0; d < coords.size(); d++)
    if (shape()[d] != 1) s += (s.empty() ? "" : " + ") + coords[d] + " * " + u32(strides[d]);
  return get(s.empty() ? "0u" : s);
}

std::string Operand::broadcast(const Shape& target, const std::string& index, const std::string& prefix) const {
  if (shape() == target) return get(index);
  Shape strides = contiguous_strides(shape());
  size_t offset = target.size() - shape().size();
  std::string s;
  for (size_t d = 0; d < shape().size(); d++)
    if (shape()[d] != 1) s += (s.empty() ? "" : " + ") + prefix + std::to_string(offset + d) + " * " + u32(strides[d]);
  return get(s.empty() ? "0u" : s);
}

std::string coordinates(const Shape& shape, const std::string& index, const std::string& prefix) {
  std::ostringstream s;
  Shape strides = contiguous_strides(shape);
  for (size_t d = 0; d < shape.size(); d++) {
    s << "let " << prefix << d << " = ";
    if (d == 0) s << index << " / " << u32(strides[d]);
    else s << "(" << index << " / " << u32(strides[d]) << ") % " << u32(shape[d]);
    s << ";\n";
  }
  return s.str();
}

Program::Program(const ir::Graph&, const optimizer::MemoryPlan& plan, emit::WeightsBuilder& weights, int64_t max_binding)
    : plan_(plan), weights_(weights), max_binding_(max_binding) {
  buffers_.push_back({{"name", "arena"}, {"bytes", std::max<int64_t>((plan.arena_bytes + 3) / 4 * 4, 4)}});
}

Program::Program(const ir::Graph& graph, const optimizer::MemoryPlan& plan, const optimizer::MemoryPlan& halves,
                 emit::WeightsBuilder& weights, const Program& f32, int64_t max_binding)
    : Program(graph, plan, weights, max_binding) {
  halves_ = &halves;
  f32_ = &f32;
  // Buffer 0 stays the arena of f32 values (integers and bools), as in the f32 program.
  half_arena_ = static_cast<int>(buffers_.size());
  buffers_.push_back({{"name", "arena16"}, {"bytes", std::max<int64_t>((halves.arena_bytes + 3) / 4 * 4, 4)},
                      {"kind", "arena"}, {"element", "f16"}});
}

bool Program::is_half(const ir::Variable* v) const {
  if (!halves_ || v->dtype != DType::Float32) return false;
  // A table of the program's own holds indices or interpolation weights that must stay exact.
  for (const auto& t : tables_)
    if (t.get() == v) return false;
  for (const auto& m : made_)
    if (m.get() == v) return false;
  return true;
}

Program::Place Program::place_half(const ir::Variable* v) {
  // The f32 program stored this constant's f32 values already; a constant only this program asks
  // for is added to the blob as the f32 program would add it.
  auto known = f32_->blob_.find(v);
  int64_t source;
  if (known != f32_->blob_.end()) {
    source = known->second;
  } else {
    std::vector<float> values = v->logical_data().to_floats();
    values.resize(std::max<size_t>(values.size(), 1), 0.0f);
    source = weights_.add(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 4, kAlignment, true);
  }
  const int64_t count = std::max<int64_t>(v->size(), 1), bytes = count * 2;
  WEBDNN_CHECK(bytes <= max_binding_, "constant '", v->name, "' (", bytes, " bytes as f16) exceeds the WebGPU binding limit (",
               max_binding_, ")");
  int64_t at = half_weights_ < 0 ? 0 : round_up(buffers_[half_weights_]["bytes"].get<int64_t>(), kAlignment);
  if (half_weights_ < 0 || at + bytes > max_binding_) {
    half_weights_ = static_cast<int>(buffers_.size());
    buffers_.push_back({{"name", "weights" + std::to_string(buffers_.size())}, {"bytes", 4}, {"element", "f16"},
                        {"halves", Json::array()}});
    at = 0;
  }
  Json& b = buffers_[half_weights_];
  // [byte offset of the f32 values in the weights, count, byte offset of the halves in the buffer]
  b["halves"].push_back({source, count, at});
  b["bytes"] = round_up(at + bytes, 4);  // a binding's size is a multiple of 4 bytes
  return {half_weights_, at / 2};
}

Program::Place Program::place(const ir::Variable* v) {
  auto it = places_.find(v);
  if (it != places_.end()) return it->second;
  Place p{};
  if (v->is_constant() && is_half(v)) {
    p = place_half(v);
  } else if (v->is_constant()) {
    // GPU kernels compute in f32: constants of every dtype are stored as f32, each at an offset
    // that a binding may start at.
    // f32 data in its logical order is stored as it is: no copy of the largest weights (the page
    // generates a descriptor per shape, with this code).
    std::vector<float> values;
    const uint8_t* data;
    int64_t bytes;
    if (v->dtype == DType::Float32 && v->has_default_order() && v->size() > 0) {
      data = v->data->bytes.data();
      bytes = static_cast<int64_t>(v->data->bytes.size());
    } else {
      values = v->logical_data().to_floats();
      values.resize(std::max<size_t>(values.size(), 1), 0.0f);
      data = reinterpret_cast<const uint8_t*>(values.data());
      bytes = static_cast<int64_t>(values.size() * 4);
    }
    WEBDNN_CHECK(bytes <= max_binding_, "constant '", v->name, "' (", bytes, " bytes) exceeds the WebGPU binding limit (",
                 max_binding_, ")");
    int64_t offset = weights_.add(data, static_cast<size_t>(bytes), kAlignment, v->dtype == DType::Float32);
    WEBDNN_CHECK(offset % kAlignment == 0, "misaligned constant");
    blob_[v] = offset;
    int64_t start = weights_buffer_ < 0 ? -1 : buffers_[weights_buffer_]["weights_offset"].get<int64_t>();
    if (start < 0 || offset + bytes - start > max_binding_) {
      weights_buffer_ = static_cast<int>(buffers_.size());
      buffers_.push_back({{"name", "weights" + std::to_string(buffers_.size())}, {"bytes", 0}, {"weights_offset", offset}});
      start = offset;
    }
    Json& current = buffers_[weights_buffer_];
    current["bytes"] = std::max<int64_t>(current["bytes"].get<int64_t>(), offset + bytes - start);
    p = {weights_buffer_, (offset - start) / 4};
  } else {
    const bool half = is_half(v);
    const optimizer::MemoryPlan& plan = half ? *halves_ : plan_;
    auto off = plan.offsets.find(v);
    WEBDNN_CHECK(off != plan.offsets.end(), "variable '", v->name, "' has no place in the memory plan");
    WEBDNN_CHECK(off->second % kAlignment == 0, "variable '", v->name, "' is not aligned for binding");
    p = half ? Place{half_arena_, off->second / 2} : Place{0, off->second / 4};
  }
  places_[v] = p;
  return p;
}

Operand Program::declare(const std::string& name, const ir::Variable* v, bool output) {
  bool identifier = !name.empty() && std::islower(static_cast<unsigned char>(name[0]));
  for (char c : name) identifier &= std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  WEBDNN_CHECK(identifier, "operand name '", name, "' is not a lowercase WGSL identifier");
  for (const Declared& d : operands_) WEBDNN_CHECK(d.operand.name != name, "operand '", name, "' is declared twice");
  WEBDNN_CHECK(!output || !v->is_constant(), "operand '", name, "' writes into constant '", v->name, "'");
  auto view = views_.find(v);
  WEBDNN_CHECK(!output || view == views_.end(), "operand '", name, "' writes into view '", v->name, "'");
  const ir::Variable* stored = view == views_.end() ? v : view->second.in;
  place(stored);
  operands_.push_back({{name, v}, output, stored, view == views_.end() ? nullptr : view->second.map});
  return operands_.back().operand;
}

void Program::view(const ir::Variable* out, const ir::Variable* in, std::function<std::string(const std::string&)> map) {
  WEBDNN_CHECK(same_memory(out, in), "view '", out->name, "' does not lie in the memory of '", in->name, "'");
  auto inner = views_.find(in);
  if (inner != views_.end()) {
    View base = inner->second;
    views_[out] = {base.in, [base, map](const std::string& i) { return base.map(map(i)); }};
  } else {
    views_[out] = {in, std::move(map)};
  }
}

Operand Program::input(const std::string& name, const ir::Variable* v) { return declare(name, v, false); }
Operand Program::output(const std::string& name, const ir::Variable* v) { return declare(name, v, true); }

const ir::Variable* Program::table(const std::vector<float>& values) {
  auto v = std::make_unique<ir::Variable>();
  v->name = "table" + std::to_string(tables_.size());
  v->shape = {static_cast<int64_t>(values.size())};
  v->order = {0};
  v->data = Tensor::from_floats(v->shape, values);
  tables_.push_back(std::move(v));
  return tables_.back().get();
}

int Program::own_buffer(const std::string& kind) {
  buffers_.push_back({{"name", kind + std::to_string(buffers_.size())}, {"bytes", 4}, {"kind", kind}});
  return static_cast<int>(buffers_.size()) - 1;
}

const ir::Variable* Program::made(const Shape& shape, Place p) {
  auto v = std::make_unique<ir::Variable>();
  v->name = buffers_[p.buffer]["name"].get<std::string>() + "@" + std::to_string(p.offset);
  v->set_shape(shape);
  Json& b = buffers_[p.buffer];
  b["bytes"] = std::max<int64_t>(b["bytes"].get<int64_t>(), (p.offset + std::max<int64_t>(v->size(), 1)) * 4);
  places_[v.get()] = p;
  made_.push_back(std::move(v));
  return made_.back().get();
}

std::vector<const ir::Variable*> Program::scratch(const std::vector<Shape>& shapes) {
  if (scratch_buffer_ < 0) scratch_buffer_ = own_buffer("scratch");
  std::vector<const ir::Variable*> out;
  int64_t offset = 0;  // floats
  for (const Shape& s : shapes) {
    const int64_t size = std::max<int64_t>(num_elements(s), 1);
    WEBDNN_CHECK((offset + size) * 4 <= max_binding_, "scratch of ", (offset + size) * 4, " bytes exceeds the WebGPU binding limit (",
                 max_binding_, ")");
    out.push_back(made(s, {scratch_buffer_, offset}));
    offset = round_up(offset + size, kAlignment / 4);
  }
  return out;
}

const ir::Variable* Program::prepared(const Shape& shape) {
  const int64_t size = std::max<int64_t>(num_elements(shape), 1);
  WEBDNN_CHECK(size * 4 <= max_binding_, "a prepared weight of ", size * 4, " bytes exceeds the WebGPU binding limit (",
               max_binding_, ")");
  int64_t end = prepared_buffer_ < 0 ? 0 : round_up(buffers_[prepared_buffer_]["bytes"].get<int64_t>(), kAlignment);
  if (prepared_buffer_ < 0 || end + size * 4 > max_binding_) prepared_buffer_ = own_buffer("prepared"), end = 0;
  return made(shape, {prepared_buffer_, end / 4});
}

bool Program::same_memory(const ir::Variable* a, const ir::Variable* b) {
  Place pa = place(a), pb = place(b);
  return pa.buffer == pb.buffer && pa.offset == pb.offset;
}

void Program::dispatch(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup,
                       const std::string& extra) {
  if (threads <= 0) {
    operands_.clear();
    return;
  }
  Variant v = over_threads(body, threads, workgroup, extra);
  dispatch_raw(op, v.code, v.workgroups);
}

Program::Variant Program::over_threads(const std::string& body, int64_t threads, int workgroup, const std::string& extra) {
  int64_t groups = std::max<int64_t>((threads + workgroup - 1) / workgroup, 1);
  int64_t x = std::min<int64_t>(groups, 65535), y = (groups + x - 1) / x;
  std::string code = extra + fill(R"(@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * ${x} + wid.x) * ${workgroup}u + lid;
  if (i >= ${threads}) { return; }
  ${body}
}
)", {{"workgroup", std::to_string(workgroup)}, {"x", u32(x)}, {"threads", u32(threads)}, {"body", body}});
  return {code, {x, y, 1}};
}

void Program::prepare(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup,
                      const std::string& extra) {
  Variant v = over_threads(body, std::max<int64_t>(threads, 1), workgroup, extra);
  Json d = add_dispatch(op, v);
  if (!d.is_null()) prepare_.push_back(d);
}

void Program::dispatch_raw(const ir::Operator& op, const std::string& code, std::vector<int64_t> workgroups) {
  Json d = add_dispatch(op, {code, std::move(workgroups)});
  if (!d.is_null()) dispatches_.push_back(d);
}

void Program::dispatch_variants(const ir::Operator& op, const Variant& gpu, const Variant& cpu, const Variant* subgroups) {
  Json d = only_ == "cpu" ? add_dispatch(op, cpu) : add_dispatch(op, gpu, cpu.code != gpu.code ? &cpu : nullptr, subgroups);
  if (!d.is_null()) dispatches_.push_back(d);
}

void Program::dispatch_packed_dot(const ir::Operator& op, const Variant& gpu, const Variant& cpu, const Variant& dot_gpu,
                                  const Variant& dot_cpu) {
  const bool cpu_only = only_ == "cpu";
  Json d = add_dispatch(op, cpu_only ? cpu : gpu, cpu_only ? nullptr : &cpu, nullptr, cpu_only ? &dot_cpu : &dot_gpu,
                        cpu_only ? nullptr : &dot_cpu);
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

Json Program::add_dispatch(const ir::Operator& op, const Variant& main, const Variant* cpu, const Variant* subgroups,
                          const Variant* dot, const Variant* dot_cpu) {
  // Ranges in floats: [lo, hi) of each operand's variable, merged per buffer where they overlap.
  struct Segment {
    int buffer;
    int64_t lo, hi;
    int first_use;
  };
  const size_t n = operands_.size();
  std::vector<Segment> segments;
  std::vector<int> segment_of(n, -1);
  auto build = [&](bool merge_all) {
    segments.clear();
    std::vector<int> order(n);
    for (size_t k = 0; k < n; k++) order[k] = static_cast<int>(k);
    auto place_of = [&](int k) { return places_.at(operands_[k].stored); };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      Place pa = place_of(a), pb = place_of(b);
      return pa.buffer != pb.buffer ? pa.buffer < pb.buffer : pa.offset < pb.offset;
    });
    for (int k : order) {
      Place p = place_of(k);
      int64_t lo = p.offset, hi = p.offset + std::max<int64_t>(operands_[k].stored->size(), 1);
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
  // Bindings numbered in the order the kernel declared its operands, so that kernels of the same
  // kind and shape produce the same shader.
  std::vector<int> by_use(segments.size());
  for (size_t s = 0; s < segments.size(); s++) by_use[s] = static_cast<int>(s);
  std::sort(by_use.begin(), by_use.end(), [&](int a, int b) { return segments[a].first_use < segments[b].first_use; });
  std::vector<int> binding_of(segments.size());
  for (size_t b = 0; b < by_use.size(); b++) binding_of[by_use[b]] = static_cast<int>(b);

  // Arrays of a fixed length: bounds checks against a constant cost SwiftShader less than
  // against the binding's runtime length.
  std::string decl;
  Json bind = Json::array();
  // Written: the arenas and the scratch buffer (each bound read_write however it is used, as WebGPU
  // allows a buffer bound twice in a dispatch only if every binding is), and a prepared buffer in
  // the dispatch that writes it.
  std::vector<bool> written(segments.size(), false);
  for (size_t k = 0; k < n; k++)
    if (operands_[k].output) written[segment_of[k]] = true;
  for (size_t s = 0; s < segments.size(); s++)
    if (segments[s].buffer == 0 || segments[s].buffer == half_arena_ || segments[s].buffer == scratch_buffer_) written[s] = true;
  bool halves = false;
  for (size_t b = 0; b < by_use.size(); b++) {
    const Segment& s = segments[by_use[b]];
    const int64_t eb = element_bytes(s.buffer);
    halves |= eb == 2;
    decl += "@group(0) @binding(" + std::to_string(b) + ") var<storage, " + (written[by_use[b]] ? "read_write" : "read") +
            "> buf" + std::to_string(b) + ": array<" + (eb == 2 ? "f16" : "f32") + ", " + std::to_string(s.hi - s.lo) + ">;\n";
    // A storage binding's size is a multiple of 4 bytes: an odd number of halves takes two more
    // bytes, which lie in the variable's own padding (memory plan blocks and f16 weights start at
    // multiples of 256 bytes, see place_half()).
    bind.push_back({s.buffer, s.lo * eb, round_up((s.hi - s.lo) * eb, 4)});
  }
  // The accessors a variant calls: the operand's element at its offset in its binding. Every
  // variant must use every binding (the runner binds them all to a layout made from the shader).
  auto assemble = [&](const std::string& code) {
    std::string accessors;
    bool stores_halves = false;
    for (size_t k = 0; k < n; k++) {
      const Operand& o = operands_[k].operand;
      int seg = segment_of[k];
      int64_t rel = places_.at(operands_[k].stored).offset - segments[seg].lo;
      const std::string index = operands_[k].map ? operands_[k].map("i") : "i";
      std::string element = "buf" + std::to_string(binding_of[seg]) + "[" + (rel ? u32(rel) + " + " : "") + index + "]";
      bool get = code.find("get_" + o.name + "(") != std::string::npos;
      bool set = code.find("set_" + o.name + "(") != std::string::npos;
      WEBDNN_CHECK(get || set, "a shader of '", op.name, "' never uses its operand '", o.name, "'");
      WEBDNN_CHECK(!set || operands_[k].output, "a shader of '", op.name, "' stores into its input '", o.name, "'");
      // f16 elements are read and written through f32: kernels compute in f32 either way.
      const bool half = element_bytes(segments[seg].buffer) == 2;
      if (get) accessors += "fn get_" + o.name + "(i: u32) -> f32 { return " + (half ? "f32(" + element + ")" : element) + "; }\n";
      if (set)
        accessors += "fn set_" + o.name + "(i: u32, v: f32) { " + element + " = " +
                     (half ? "to_f16(v)" : cast_value(o.variable->dtype, "v")) + "; }\n";
      stores_halves |= set && half;
    }
    // WGSL's enable directives come before every declaration.
    std::string enable, rest = code;
    if (code.rfind("enable ", 0) == 0) {
      size_t line = code.find('\n') + 1;
      enable = code.substr(0, line), rest = code.substr(line);
    }
    std::string helpers = wgsl_helpers(code);
    std::string prelude;
    // NaN and infinity as bits (a constant expression may not hold them), where the shader uses them.
    if ((helpers + code).find("k_nan") != std::string::npos) prelude += "var<private> k_nan: u32 = 0x7fc00000u;\n";
    if ((helpers + code).find("k_inf") != std::string::npos) prelude += "var<private> k_inf: u32 = 0x7f800000u;\n";
    // f32 to f16 as IEEE-754 rounds, to infinity past f16's range and NaN to NaN (onnxruntime's
    // float16 tensors overflow so): WGSL leaves the conversion of a value outside the finite range
    // indeterminate.
    if (stores_halves)
      prelude += R"(fn to_f16(v: f32) -> f16 {
  if (abs(v) < 65520.0) { return f16(clamp(v, -65504.0, 65504.0)); }
  return bitcast<vec2<f16>>(select(0x7e007e00u, select(0xfc00fc00u, 0x7c007c00u, v > 0.0), abs(v) >= 65520.0)).x;
}
)";
    if (halves) enable = "enable f16;\n" + enable;
    return enable + decl + accessors + prelude + helpers + rest;
  };
  auto variant = [&](const Variant& v) { return Json{{"shader", shader(assemble(v.code))}, {"workgroups", v.workgroups}}; };
  Json d = {{"op", op.name}, {"type", op.type}, {"shader", shader(assemble(main.code))}, {"bindings", bind},
            {"workgroups", main.workgroups}};
  if (cpu) d["cpu"] = variant(*cpu);
  if (subgroups) d["subgroups"] = variant(*subgroups);
  if (dot) d["packed_dot"] = variant(*dot);
  if (dot_cpu) d["packed_dot"]["cpu"] = variant(*dot_cpu);
  if (!only_.empty()) d["kernels"] = only_;
  operands_.clear();
  return d;
}

int Program::variable(const ir::Variable* v) {
  auto it = variable_index_.find(v);
  if (it != variable_index_.end()) return it->second;
  Place p = place(v);
  const int64_t eb = element_bytes(p.buffer);
  variables_.push_back({{"name", v->name}, {"dtype", dtype_name(v->dtype)}, {"shape", v->shape}, {"buffer", p.buffer},
                        {"offset", p.offset * eb}, {"bytes", v->size() * eb}});
  variable_index_[v] = static_cast<int>(variables_.size()) - 1;
  return variable_index_[v];
}

Json Program::to_json(const ir::Graph& graph) const {
  Program& self = const_cast<Program&>(*this);
  Json inputs = Json::array(), outputs = Json::array();
  for (const ir::Variable* v : graph.inputs) inputs.push_back({{"name", v->name}, {"variable", self.variable(v)}});
  for (const ir::Variable* v : graph.outputs) outputs.push_back({{"name", v->name}, {"variable", self.variable(v)}});
  Json d = {{"storage", halves_ ? "f16" : "f32"}, {"buffers", buffers_}, {"inputs", inputs}, {"outputs", outputs},
            {"variables", variables_}, {"shaders", shaders_}, {"dispatches", dispatches_}};
  if (!prepare_.empty()) d["prepare"] = prepare_;
  return d;
}

}  // namespace webdnn::backends::webgpu
