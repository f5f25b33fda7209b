// The WebGL program of one graph for one texture-size limit: variables with their texture
// layouts, GLSL ES 3.00 fragment shaders with every shape written in, the draws that run them in
// order, and the textures (one per constant; intermediate ones placed by the memory planner,
// src/optimizer/memory_plan.h, as slots shared by variables of one width and layers whose
// lifetimes do not overlap). Kernel generators (kernels/*.cc) add draws through `Kernel`.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backends/webgl/generator/layout.h"
#include "src/ir/graph.h"
#include "webdnn/expr.h"
#include "webdnn/json.h"

namespace webdnn::backends::webgl {

// Most render targets a fragment writes (layers of an image layout); the runner checks that the
// context has as many draw buffers.
constexpr int kMaxLayers = 8;
// Texture units one draw may sample (WebGL2 guarantees 16 per fragment shader).
constexpr int kMaxInputs = 16;

struct Var {
  std::string name;
  DType dtype = DType::Float32;
  Layout layout;
  const ir::Variable* ir = nullptr;  // null for temporaries of a kernel
  bool constant = false;
  int alias = -1;                     // shares the texture of this variable (a free Reshape, a view)
  bool view = false;                  // a transpose's output laid out as its input, relabelled (no draw)
  std::shared_ptr<Tensor> data;       // a constant made by the backend (logical order)
};

using Coords = std::vector<std::string>;

class Program;

// One draw under construction: its output, the inputs it samples and its shader.
class Kernel {
 public:
  Kernel(Program& program, const ir::Operator& op, int output);

  Program& program() { return program_; }
  const Var& out() const;
  const Layout& out_layout() const;
  // Registers variable `var` as a sampled input; returns its GLSL name (X0, X1...), which the
  // helpers below use.
  std::string input(int var);
  // GLSL int expression: the texel index of the element at `coords` of input `var`.
  std::string index(int var, const Coords& coords);
  // GLSL vec4: texel `t` of input `var`.
  std::string texel(int var, const std::string& t);
  // GLSL vec2: texture coordinates of plane index `q` of input `var`, and the texel there in
  // layer `layer` (a GLSL float); for kernels that address texels themselves.
  std::string uv(int var, const std::string& q);
  std::string fetch(int var, const std::string& uv, const std::string& layer);
  // GLSL float: the element of `var` at `coords`.
  std::string element(int var, const Coords& coords);
  // GLSL vec4: the elements of `var` at `coords` with coordinate `axis` + 0..3 (clamped to the
  // axis); one texel read when `axis` is var's packed axis and `aligned` says coords[axis] is a
  // multiple of 4. axis -1: one element repeated.
  std::string vec4_along(int var, const Coords& coords, int axis, bool aligned = true);
  // Coordinates of `var` (broadcast to the output shape, numpy rules) from output coordinates.
  Coords broadcast(int var, const Coords& out_coords);
  // The output axis aligned with `var`'s axis `axis` under numpy broadcasting.
  int out_axis_of(int var, int axis);

  // Extra GLSL before the kernel's functions (helpers), added once each.
  void helper(const std::string& code);
  // Statements computing `vec4 r` for the output texel whose first element is at c0, c1...
  // (the packed coordinate a multiple of 4), given `int t`, the texel index.
  void texel_body(const std::string& body);
  // Statements computing `float v` for the output element at c0, c1... (any dtype conversion
  // and epilogue are the caller's business).
  void element_body(const std::string& body);
  // A whole main() of the caller's making (writes o0..o{L-1}); `decode(t, prefix)` helps.
  void custom_main(const std::string& body);
  // Statements declaring `int prefix0..` as the output coordinates of texel `t`.
  std::string decode(const std::string& t, const std::string& prefix = "c") const;
  std::string out_coord(int axis) const { return "c" + std::to_string(axis); }
  Coords out_coords() const;
  // Adds the draw.
  void finish();

 private:
  Program& program_;
  const ir::Operator& op_;
  int output_;
  std::vector<int> inputs_;
  std::vector<std::string> helpers_;
  std::set<std::string> helper_set_;
  std::string functions_, main_;
};

class Program {
 public:
  Program(int64_t max_texture_size) : max_texture_size_(max_texture_size) {}

  int64_t max_texture_size() const { return max_texture_size_; }
  // The variable of `v` (added with `layout` on first use; its default layout otherwise).
  int var(const ir::Variable* v);
  bool has(const ir::Variable* v) const { return index_.count(v) > 0; }
  int add(const ir::Variable* v, Layout layout);
  // A temporary of one operator, alive from its first to its last draw.
  int temp(const std::string& name, const Shape& shape, Layout layout);
  // A constant made by the backend (lookup tables), `data` in logical order.
  int constant(const std::string& name, Tensor data, Layout layout);
  Var& at(int i) { return vars_.at(static_cast<size_t>(i)); }
  const Var& at(int i) const { return vars_.at(static_cast<size_t>(i)); }
  void make_alias(int var, int of);
  void set_graph_outputs(const std::vector<ir::Variable*>& outputs) { outputs_.insert(outputs.begin(), outputs.end()); }
  bool is_output(const ir::Variable* v) const { return outputs_.count(v) > 0; }

  void add_draw(const ir::Operator& op, int output, const std::vector<int>& inputs, const std::string& shader);
  size_t num_draws() const { return draws_.size(); }
  size_t num_shaders() const { return shaders_.size(); }

  // Places the variables in textures (the draws are the memory planner's steps); `weights(var)`
  // stores a constant's logical float data and returns its byte offset in the weights blob.
  Json to_json(const ir::Graph& graph, const std::function<int64_t(const Var&)>& weights);

 private:
  struct Draw {
    std::string op;
    int shader, output;
    std::vector<int> inputs;
  };
  int64_t max_texture_size_;
  std::vector<Var> vars_;
  std::map<const ir::Variable*, int> index_;
  std::set<const ir::Variable*> outputs_;
  std::vector<Draw> draws_;
  std::vector<std::string> shaders_;
  std::map<std::string, int> shader_index_;
};

// Default layout of a variable of this shape: image for 4 axes, flat otherwise.
Layout default_layout(const Shape& shape);

// GLSL float literal that reads back as the same float32 (NaN and infinity as bit patterns).
std::string glsl_float(double v);
std::string glsl_int(int64_t v);
// Statements computing expression `e` on vec4 operands `inputs`; returns the vec4 variable name
// holding the result. Adds the helper functions it calls to `kernel`.
std::string glsl_expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix,
                            std::string& code, Kernel& kernel);
// GLSL of one expression op on vec4 or float operands (a running max that keeps NaN, say), with
// the helpers it calls added to `kernel`.
std::string glsl_op(Kernel& kernel, ExprOp op, const std::string& a, const std::string& b = "");
// The stored value of a result of `dtype` (rounded for integers, 0/1 for bool), vec4.
std::string glsl_store(const std::string& value, DType dtype);

}  // namespace webdnn::backends::webgl
