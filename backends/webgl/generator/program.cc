#include "backends/webgl/generator/program.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "src/optimizer/memory_plan.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {

std::string glsl_float(double v) {
  float f = static_cast<float>(v);
  if (std::isnan(f)) return "uintBitsToFloat(0x7fc00000u)";
  if (std::isinf(f)) return f > 0 ? "uintBitsToFloat(0x7f800000u)" : "uintBitsToFloat(0xff800000u)";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(f));
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string glsl_int(int64_t v) {
  WEBDNN_CHECK(v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max(), "the index ", v,
               " does not fit GLSL's 32-bit int");
  return std::to_string(v);
}

Layout default_layout(const Shape& shape) { return shape.size() == 4 ? image_layout(shape) : flat_layout(shape); }

namespace {

bool is_literal(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// s * k as GLSL, folded where it is a literal.
std::string times(const std::string& s, int64_t k) {
  if (s == "0" || k == 0) return "0";
  if (is_literal(s)) return glsl_int(std::stoll(s) * k);
  if (k == 1) return s;
  return "(" + s + ") * " + glsl_int(k);
}

std::string sum(const std::vector<std::string>& terms) {
  std::string out;
  int64_t constant = 0;
  for (const std::string& t : terms) {
    if (t == "0") continue;
    if (is_literal(t)) {
      constant += std::stoll(t);
      continue;
    }
    out += (out.empty() ? "" : " + ") + t;
  }
  if (constant) out += (out.empty() ? "" : " + ") + glsl_int(constant);
  return out.empty() ? "0" : out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Kernel

Kernel::Kernel(Program& program, const ir::Operator& op, int output) : program_(program), op_(op), output_(output) {}

const Var& Kernel::out() const { return program_.at(output_); }
const Layout& Kernel::out_layout() const { return out().layout; }

std::string Kernel::input(int var) {
  for (size_t k = 0; k < inputs_.size(); k++)
    if (inputs_[k] == var) return "X" + std::to_string(k);
  WEBDNN_CHECK(static_cast<int>(inputs_.size()) < kMaxInputs, "more than ", kMaxInputs, " inputs in one draw");
  inputs_.push_back(var);
  return "X" + std::to_string(inputs_.size() - 1);
}

std::string Kernel::index(int var, const Coords& coords) {
  const Layout& l = program_.at(var).layout;
  WEBDNN_CHECK(static_cast<int>(coords.size()) == l.rank(), "coordinates for rank ", l.rank(), " given ", coords.size());
  std::vector<std::string> terms;
  for (int a = 0; a < l.rank(); a++) {
    if (l.texel_extent(a) == 1) continue;
    std::string c = coords[a];
    if (a == l.packed) c = is_literal(c) ? std::to_string(std::stoll(c) / 4) : "((" + c + ") >> 2)";
    terms.push_back(times(c, l.stride(a)));
  }
  return sum(terms);
}

std::string Kernel::texel(int var, const std::string& t) { return input(var) + "_t(" + t + ")"; }

std::string Kernel::uv(int var, const std::string& q) {
  const Layout& l = program_.at(var).layout;
  std::string x = input(var);
  std::string col = l.width > 1 ? "float((" + q + ") & " + glsl_int(l.width - 1) + ")" : "0.0";
  std::string row = l.width > 1 ? "float((" + q + ") >> " + std::to_string(log2_exact(l.width)) + ")" : "float(" + q + ")";
  return "((vec2(" + col + ", " + row + ") + 0.5) * " + x + "_inv)";
}

std::string Kernel::fetch(int var, const std::string& uv, const std::string& layer) {
  return "textureLod(" + input(var) + ", vec3(" + uv + ", " + layer + "), 0.0)";
}

std::string Kernel::element(int var, const Coords& coords) {
  const Layout& l = program_.at(var).layout;
  std::string v = texel(var, index(var, coords));
  if (l.packed < 0) return v + ".x";
  const std::string& c = coords[l.packed];
  if (is_literal(c)) return v + "." + "xyzw"[std::stoll(c) % 4];
  return v + "[(" + c + ") & 3]";
}

std::string Kernel::vec4_along(int var, const Coords& coords, int axis, bool aligned) {
  const Layout& l = program_.at(var).layout;
  if (axis < 0 || l.shape[axis] == 1) return "vec4(" + element(var, coords) + ")";
  if (axis == l.packed && aligned) return texel(var, index(var, coords));
  std::vector<std::string> parts;
  for (int k = 0; k < 4; k++) {
    Coords c = coords;
    if (is_literal(c[axis])) c[axis] = std::to_string(std::min<int64_t>(std::stoll(c[axis]) + k, l.shape[axis] - 1));
    else if (k) c[axis] = "min(" + c[axis] + " + " + std::to_string(k) + ", " + glsl_int(l.shape[axis] - 1) + ")";
    parts.push_back(element(var, c));
  }
  return "vec4(" + parts[0] + ", " + parts[1] + ", " + parts[2] + ", " + parts[3] + ")";
}

Coords Kernel::broadcast(int var, const Coords& out_coords) {
  const Layout& l = program_.at(var).layout;
  int offset = static_cast<int>(out_coords.size()) - l.rank();
  WEBDNN_CHECK(offset >= 0, "input of rank ", l.rank(), " does not broadcast to rank ", out_coords.size());
  Coords c;
  for (int a = 0; a < l.rank(); a++) c.push_back(l.shape[a] == 1 ? "0" : out_coords[a + offset]);
  return c;
}

int Kernel::out_axis_of(int var, int axis) {
  return axis < 0 ? -1 : axis + out_layout().rank() - program_.at(var).layout.rank();
}

void Kernel::helper(const std::string& code) {
  if (helper_set_.insert(code).second) helpers_.push_back(code);
}

std::string Kernel::decode(const std::string& t, const std::string& prefix) const {
  const Layout& l = out_layout();
  std::ostringstream s;
  for (int a = 0; a < l.rank(); a++) {
    int64_t stride = l.stride(a), extent = l.texel_extent(a);
    std::string c;
    if (extent == 1) {
      c = "0";
    } else {
      bool outermost = stride * extent >= l.texels();
      c = stride == 1 ? t : "(" + t + ") / " + glsl_int(stride);
      if (!outermost) c = "(" + c + ") % " + glsl_int(extent);
      if (a == l.packed) c = "(" + c + ") * 4";
    }
    s << "  int " << prefix << a << " = " << c << ";\n";
  }
  return s.str();
}

Coords Kernel::out_coords() const {
  Coords c;
  for (int a = 0; a < out_layout().rank(); a++) c.push_back(out_coord(a));
  return c;
}

void Kernel::texel_body(const std::string& body) {
  const Layout& l = out_layout();
  std::ostringstream s;
  s << "vec4 texel(int t) {\n" << decode("t") << body;
  if (l.packed >= 0 && l.shape[l.packed] % 4 != 0) {
    // Components past the end of the packed axis stay 0, which the other kernels rely on.
    s << "  r = mix(vec4(0.0), r, lessThan(ivec4(c" << l.packed << ") + ivec4(0, 1, 2, 3), ivec4("
      << glsl_int(l.shape[l.packed]) << ")));\n";
  }
  s << "  return r;\n}\n";
  functions_ += s.str();
}

void Kernel::element_body(const std::string& body) {
  const Layout& l = out_layout();
  std::ostringstream s;
  s << "float value(";
  for (int a = 0; a < l.rank(); a++) s << (a ? ", " : "") << "int c" << a;
  s << ") {\n  float v = 0.0;\n" << body << "  return v;\n}\n";
  s << "vec4 texel(int t) {\n" << decode("t") << "  vec4 r = vec4(0.0);\n";
  for (int k = 0; k < (l.packed < 0 ? 1 : 4); k++) {
    std::string args;
    for (int a = 0; a < l.rank(); a++) args += (a ? ", " : "") + (a == l.packed && k ? "c" + std::to_string(a) + " + " + std::to_string(k) : "c" + std::to_string(a));
    std::string call = "r." + std::string(1, "xyzw"[k]) + " = value(" + args + ");";
    if (k == 0) s << "  " << call << "\n";
    else s << "  if (c" << l.packed << " + " << k << " < " << glsl_int(l.shape[l.packed]) << ") " << call << "\n";
  }
  s << "  return r;\n}\n";
  functions_ += s.str();
}

void Kernel::custom_main(const std::string& body) { main_ = body; }

void Kernel::finish() {
  const Layout& ol = out_layout();
  std::ostringstream s;
  s << "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp sampler2DArray;\n";
  for (size_t k = 0; k < inputs_.size(); k++) {
    const Layout& l = program_.at(inputs_[k]).layout;
    std::string x = "X" + std::to_string(k);
    s << "uniform highp sampler2DArray " << x << ";\nuniform vec2 " << x << "_inv;\n";
    s << "vec4 " << x << "_t(int t) {\n";
    std::string q = l.layers > 1 ? "(t >> " + std::to_string(log2_exact(l.layers)) + ")" : "t";
    std::string layer = l.layers > 1 ? "float(t & " + std::to_string(l.layers - 1) + ")" : "0.0";
    std::string col = l.width > 1 ? "float(" + q + " & " + glsl_int(l.width - 1) + ")" : "0.0";
    std::string row = l.width > 1 ? "float(" + q + " >> " + std::to_string(log2_exact(l.width)) + ")" : "float(" + q + ")";
    s << "  return textureLod(" << x << ", vec3((vec2(" << col << ", " << row << ") + 0.5) * " << x << "_inv, " << layer
      << "), 0.0);\n}\n";
  }
  for (int k = 0; k < ol.layers; k++) s << "layout(location = " << k << ") out vec4 o" << k << ";\n";
  for (const std::string& h : helpers_) s << h;
  s << functions_;
  if (!main_.empty()) {
    s << main_;
  } else {
    s << "void main() {\n  int q = int(gl_FragCoord.y) * " << glsl_int(ol.width) << " + int(gl_FragCoord.x);\n";
    s << "  if (q >= " << glsl_int(ol.planes()) << ") {";
    for (int k = 0; k < ol.layers; k++) s << " o" << k << " = vec4(0.0);";
    s << " return; }\n";
    for (int k = 0; k < ol.layers; k++)
      s << "  o" << k << " = texel(" << (ol.layers > 1 ? "q * " + std::to_string(ol.layers) + " + " + std::to_string(k) : "q") << ");\n";
    s << "}\n";
  }
  program_.add_draw(op_, output_, inputs_, s.str());
}

// ---------------------------------------------------------------------------------------------
// Program

int Program::add(const ir::Variable* v, Layout layout) {
  WEBDNN_CHECK(!index_.count(v), "variable '", v->name, "' was added twice");
  Var entry;
  entry.name = v->name;
  entry.dtype = v->dtype;
  entry.ir = v;
  entry.constant = v->is_constant();
  layout.shape = v->shape;
  if (entry.constant) {
    // Constants are only sampled: when padding makes one too large for one layer, more layers
    // (up to 256, WebGL2's minimum) take the rest.
    int64_t per_layer = max_texture_size_ * max_texture_size_;
    while (layout.planes() > per_layer && layout.layers < 256) layout.layers *= 2;
  }
  fit(layout, max_texture_size_, "variable '" + v->name + "' " + shape_to_string(v->shape));
  entry.layout = layout;
  vars_.push_back(entry);
  index_[v] = static_cast<int>(vars_.size()) - 1;
  return index_[v];
}

int Program::var(const ir::Variable* v) {
  auto it = index_.find(v);
  if (it != index_.end()) return it->second;
  return add(v, default_layout(v->shape));
}

int Program::temp(const std::string& name, const Shape& shape, Layout layout) {
  Var entry;
  entry.name = name;
  layout.shape = shape;
  fit(layout, max_texture_size_, "temporary '" + name + "'");
  entry.layout = layout;
  vars_.push_back(entry);
  return static_cast<int>(vars_.size()) - 1;
}

int Program::constant(const std::string& name, Tensor data, Layout layout) {
  Var entry;
  entry.name = name;
  entry.dtype = data.dtype;
  entry.constant = true;
  layout.shape = data.shape;
  fit(layout, max_texture_size_, "constant '" + name + "'");
  entry.layout = layout;
  entry.data = std::make_shared<Tensor>(std::move(data));
  vars_.push_back(entry);
  return static_cast<int>(vars_.size()) - 1;
}

void Program::make_alias(int var, int of) {
  while (at(of).alias >= 0) of = at(of).alias;
  at(var).alias = of;
}

void Program::add_draw(const ir::Operator& op, int output, const std::vector<int>& inputs, const std::string& shader) {
  auto it = shader_index_.find(shader);
  int index;
  if (it != shader_index_.end()) {
    index = it->second;
  } else {
    index = static_cast<int>(shaders_.size());
    shaders_.push_back(shader);
    shader_index_[shader] = index;
  }
  draws_.push_back({op.name, index, output, inputs});
}

Json Program::to_json(const ir::Graph& graph, const std::function<int64_t(const Var&)>& weights) {
  auto root = [&](int v) {
    while (at(v).alias >= 0) v = at(v).alias;
    return v;
  };
  // Intermediate textures from the memory planner: each texture-owning variable (not a constant,
  // not an alias) is a value as large as its texels, of the class of its width and layers; the
  // draws are the steps. No handovers: a draw never writes a texture it reads.
  for (const ir::Variable* v : graph.inputs) var(v);
  for (const ir::Variable* v : graph.outputs) var(v);
  optimizer::Uses uses;
  std::vector<int> value_of(vars_.size(), -1), var_of;
  std::map<std::pair<int64_t, int>, int> class_of;
  auto value = [&](int v) {
    v = root(v);
    if (at(v).constant) return -1;
    if (value_of[v] < 0) {
      const Layout& l = at(v).layout;
      value_of[v] = static_cast<int>(var_of.size());
      var_of.push_back(v);
      uses.sizes.push_back(l.rows() * l.width * l.layers);
      uses.classes.push_back(class_of.emplace(std::make_pair(l.width, l.layers), static_cast<int>(class_of.size())).first->second);
    }
    return value_of[v];
  };
  for (const ir::Variable* v : graph.inputs)
    if (int x = value(var(v)); x >= 0) uses.inputs.push_back(x);
  for (const Draw& d : draws_) {
    optimizer::Uses::Step step;
    for (int v : d.inputs)
      if (int x = value(v); x >= 0) step.reads.push_back(x);
    if (int x = value(d.output); x >= 0) step.writes.push_back(x);
    uses.steps.push_back(std::move(step));
  }
  for (const ir::Variable* v : graph.outputs)
    if (int x = value(var(v)); x >= 0) uses.kept.push_back(x);
  optimizer::Lifetimes lifetimes = optimizer::plan_lifetimes(uses);
  optimizer::SlotPlacement slots = optimizer::place_in_slots(lifetimes);

  Json textures = Json::array();
  std::vector<std::pair<int64_t, int>> class_key(class_of.size());
  for (auto& [key, c] : class_of) class_key[c] = key;
  for (size_t s = 0; s < slots.sizes.size(); s++) {
    auto [width, layers] = class_key[slots.classes[s]];
    textures.push_back({{"width", width}, {"height", std::max<int64_t>(slots.sizes[s] / (width * layers), 1)}, {"layers", layers}});
  }
  std::vector<int> texture_of(vars_.size(), -1);
  for (size_t x = 0; x < var_of.size(); x++)
    if (lifetimes.block_of[x] >= 0) texture_of[var_of[x]] = slots.slot_of[lifetimes.block_of[x]];

  std::vector<int> constant_texture(vars_.size(), -1);
  for (size_t i = 0; i < vars_.size(); i++) {
    const Var& v = vars_[i];
    if (!v.constant) continue;
    constant_texture[i] = static_cast<int>(textures.size());
    textures.push_back({{"width", v.layout.width}, {"height", std::max<int64_t>(v.layout.rows(), 1)},
                        {"layers", v.layout.layers}, {"constant", i}});
  }
  Json variables = Json::array();
  for (size_t i = 0; i < vars_.size(); i++) {
    const Var& v = vars_[i];
    Json entry = {{"name", v.name}, {"dtype", dtype_name(v.dtype)}, {"shape", v.layout.shape}, {"layout", v.layout.to_json()}};
    int r = root(static_cast<int>(i));
    entry["texture"] = at(r).constant ? constant_texture[r] : texture_of[r];
    if (v.constant) entry["offset"] = weights(v);
    variables.push_back(entry);
  }
  Json draws = Json::array();
  for (const Draw& d : draws_)
    draws.push_back({{"op", d.op}, {"program", d.shader}, {"output", d.output}, {"inputs", d.inputs}});
  Json programs = Json::array();
  for (const std::string& s : shaders_) programs.push_back(s);
  Json inputs = Json::array(), outputs = Json::array();
  for (const ir::Variable* v : graph.inputs) inputs.push_back({{"name", v->name}, {"variable", var(v)}});
  for (const ir::Variable* v : graph.outputs) outputs.push_back({{"name", v->name}, {"variable", var(v)}});
  return {{"max_texture_size", max_texture_size_}, {"inputs", inputs}, {"outputs", outputs}, {"textures", textures},
          {"variables", variables}, {"programs", programs}, {"draws", draws}};
}

}  // namespace webdnn::backends::webgl
