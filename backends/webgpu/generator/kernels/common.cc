#include <map>
#include <set>
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
std::set<std::string>& view_readers() {
  static std::set<std::string> types;
  return types;
}
}  // namespace

void register_generator(const char* type, Generator generator) { generators()[type] = generator; }
void register_view_reader(const char* type) { view_readers().insert(type); }
bool reads_views(const std::string& type) { return view_readers().count(type) > 0; }

Generator find_generator(const std::string& type) {
  auto it = generators().find(type);
  return it == generators().end() ? nullptr : it->second;
}

std::string u32(int64_t v) { return std::to_string(v) + "u"; }
std::string i32(int64_t v) { return std::to_string(v) + "i"; }

Shape strides_of(const Shape& shape) { return contiguous_strides(shape); }

std::string subgroup_merge(const std::string& name, const std::string& merge, int group) {
  WEBDNN_CHECK(group >= 128 && (group & (group - 1)) == 0, "subgroup_merge over a workgroup of ", group);
  return fill(R"(fn ${name}(lid: u32, sg_n: u32, v: f32) -> f32 {
  var x = v;
  for (var d = 1u; d < sg_n; d = d << 1u) { x = ${merge_lanes}; }
  if (lid % sg_n == 0u) { part[lid / sg_n] = x; }
  workgroupBarrier();
  var t = part[0];
  for (var j = 1u; j < ${group}u / sg_n; j = j + 1u) { t = ${merge_parts}; }
  workgroupBarrier();
  return t;
}
)", {{"name", name}, {"group", std::to_string(group)},
     {"merge_lanes", fill(merge, {{"a", "x"}, {"b", "subgroupShuffleXor(x, d)"}})},
     {"merge_parts", fill(merge, {{"a", "t"}, {"b", "part[j]"}})}});
}

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

namespace {

// Statements (appended to `body`) computing op's epilogue of `x` for element `i` of a tensor of
// `shape`, its extra inputs (from input `first_extra` on) declared as extra1, extra2, ... and read
// broadcast to `shape`; returns the WGSL name of the result ("x" without an epilogue).
std::string epilogue_of(const ir::Operator& op, size_t first_extra, const Shape& shape, Program& program,
                        std::string& body) {
  params::Epilogue epilogue = params::Epilogue::parse(params::Reader(op.params));
  if (!epilogue.expr) return "x";
  const Expr& e = *epilogue.expr;
  std::vector<bool> used(op.inputs.size() + 1, false);
  for (const ExprNode& n : e.nodes)
    if (n.op == ExprOp::Input) used.at(static_cast<size_t>(n.value)) = true;
  std::vector<Operand> extras(used.size());
  bool need_coordinates = false;
  for (size_t k = 1; k < used.size(); k++)
    if (used[k] && first_extra + k - 1 < op.inputs.size()) {
      extras[k] = program.input("extra" + std::to_string(k), op.inputs[first_extra + k - 1]);
      need_coordinates |= extras[k].shape() != shape;
    }
  if (need_coordinates) body += coordinates(shape, "i", "c");
  std::vector<std::string> inputs = {"x"};
  for (size_t k = 1; k < used.size(); k++)
    inputs.push_back(extras[k].variable ? extras[k].broadcast(shape, "i", "c") : "0.0");
  return expression(e, inputs, "e", body);
}

}  // namespace

std::string store_function(const ir::Operator& op, size_t first_extra, Program& program) {
  const ir::Variable* y = op.outputs[0];
  std::string body;
  std::string result = epilogue_of(op, first_extra, y->shape, program, body);
  body += program.output("y", y).set("i", result) + "\n";
  return fill(R"(fn store_y(i: u32, x: f32) {
  ${body}
}
)", {{"body", body}});
}

std::string epilogue_function(const ir::Operator& op, size_t first_extra, const Shape& shape, const std::string& name,
                              Program& program) {
  std::string body;
  std::string result = epilogue_of(op, first_extra, shape, program, body);
  return fill(R"(fn ${name}(i: u32, x: f32) -> f32 {
  ${body}
  return ${result};
}
)", {{"name", name}, {"body", body}, {"result", result}});
}

}  // namespace webdnn::backends::webgpu
