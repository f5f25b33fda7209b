#include <map>
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {
std::map<std::string, Generator>& generators() {
  static std::map<std::string, Generator> g;
  return g;
}
}  // namespace

void register_generator(const char* type, Generator generator) { generators()[type] = generator; }

Generator find_generator(const std::string& type) {
  auto it = generators().find(type);
  return it == generators().end() ? nullptr : it->second;
}

std::string u32(int64_t v) { return std::to_string(v) + "u"; }
std::string i32(int64_t v) { return std::to_string(v) + "i"; }

Shape strides_of(const Shape& shape) { return contiguous_strides(shape); }

int workgroup_for(int64_t threads) {
  if (threads >= 64 * 256) return 256;
  if (threads >= 64 * 16) return 64;
  return 32;
}

std::string cast_value(DType dtype, const std::string& x) {
  if (dtype == DType::Bool) return "select(0.0, 1.0, " + x + " != 0.0)";
  if (dtype != DType::Float32) return "trunc(" + x + ")";
  return x;
}

std::string store_function(const ir::Operator& op, size_t first_extra, Program& program, const std::string& name) {
  const ir::Variable* y = op.outputs[0];
  std::string body;
  std::string result = "x";
  params::Epilogue epilogue = params::Epilogue::parse(params::Reader(op.params));
  if (epilogue.expr) {
    const Expr& e = *epilogue.expr;
    std::vector<bool> used(op.inputs.size() + 1, false);
    for (const ExprNode& n : e.nodes)
      if (n.op == ExprOp::Input) used.at(static_cast<size_t>(n.value)) = true;
    bool need_coordinates = false;
    for (size_t k = 1; k < used.size(); k++)
      if (used[k] && first_extra + k - 1 < op.inputs.size() && op.inputs[first_extra + k - 1]->shape != y->shape)
        need_coordinates = true;
    if (need_coordinates) body += coordinates(y->shape, "i", "c");
    std::vector<std::string> inputs = {"x"};
    for (size_t k = 1; k < used.size(); k++) {
      if (!used[k] || first_extra + k - 1 >= op.inputs.size()) {
        inputs.push_back("0.0");
        continue;
      }
      const ir::Variable* x = op.inputs[first_extra + k - 1];
      inputs.push_back(program.read(x, x->shape == y->shape ? "i" : broadcast_index(x->shape, y->shape, "c")));
    }
    result = expression(e, inputs, "e", body);
  }
  body += "  " + program.write(y, "i") + " = " + cast_value(y->dtype, result) + ";\n";
  return "fn " + name + "(i: u32, x: f32) {\n" + body + "}\n";
}

std::string coordinates(const Shape& shape, const std::string& index, const std::string& prefix) {
  std::ostringstream s;
  Shape strides = contiguous_strides(shape);
  for (size_t d = 0; d < shape.size(); d++) {
    s << "  let " << prefix << d << " = ";
    if (d == 0) s << index << " / " << u32(strides[d]);
    else s << "(" << index << " / " << u32(strides[d]) << ") % " << u32(shape[d]);
    s << ";\n";
  }
  return s.str();
}

std::string broadcast_index(const Shape& shape, const Shape& target, const std::string& prefix) {
  Shape strides = contiguous_strides(shape);
  size_t offset = target.size() - shape.size();
  std::string s;
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 1) continue;
    s += (s.empty() ? "" : " + ") + prefix + std::to_string(offset + d) + " * " + u32(strides[d]);
  }
  return s.empty() ? "0u" : s;
}

}  // namespace webdnn::backends::webgpu
