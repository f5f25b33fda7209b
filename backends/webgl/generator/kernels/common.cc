#include <map>
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {
namespace {
std::map<std::string, KernelEntry>& kernels() {
  static std::map<std::string, KernelEntry> k;
  return k;
}
}  // namespace

void register_kernel(const char* type, KernelEntry entry) { kernels()[type] = entry; }

const KernelEntry* find_kernel(const std::string& type) {
  auto it = kernels().find(type);
  return it == kernels().end() ? nullptr : &it->second;
}

void request_layout(Program& program, const ir::Variable* v, Layout l) {
  if (!program.has(v)) program.add(v, std::move(l));
}

void choose_layouts(const std::vector<ir::Operator*>& schedule, Program& program) {
  for (const ir::Operator* op : schedule) {
    const KernelEntry* k = find_kernel(op->type);
    if (k && k->inputs) k->inputs(*op, program);
  }
  for (const ir::Operator* op : schedule) {
    const KernelEntry* k = find_kernel(op->type);
    if (k && k->layouts) k->layouts(*op, program);
    const ops::OpSchema& schema = ops::schema_of(op->type);
    for (const ir::Variable* y : op->outputs) {
      if (program.has(y)) continue;
      if (schema.expr) {
        // Not a view's layout: a relabelled one that the next Conv, say, would not read fast. An
        // operator reading only views writes the default layout (it does the transpose).
        const ir::Variable* like = nullptr;
        for (const ir::Variable* x : op->inputs)
          if (x->shape == y->shape && program.has(x) && !program.at(program.var(x)).view) {
            like = x;
            break;
          }
        if (!like)
          for (const ir::Variable* x : op->inputs)
            if (x->shape == y->shape && !program.has(x)) {
              like = x;
              break;
            }
        if (like) {
          Layout l = program.at(program.var(like)).layout;
          program.add(y, l);
          continue;
        }
      }
      program.var(y);
    }
    for (const ir::Variable* x : op->inputs)
      if (x) program.var(x);
  }
}

std::string epilogue(Kernel& k, const ir::Operator& op, int first_extra, const std::string& value, const Coords& coords,
                     bool scalar, std::string& code, const std::string& prefix) {
  params::Epilogue parsed = params::Epilogue::parse(params::Reader(op.params));
  if (!parsed.expr) return value;
  Program& p = k.program();
  std::vector<std::string> args = {value};
  int packed = k.out_layout().packed;
  for (size_t i = static_cast<size_t>(first_extra); i < op.inputs.size(); i++) {
    int v = p.var(op.inputs[i]);
    Coords c = k.broadcast(v, coords);
    int rank = p.at(v).layout.rank();
    int axis = packed - (k.out_layout().rank() - rank);
    std::string name = prefix + "x" + std::to_string(i);
    if (scalar) code += "  vec4 " + name + " = vec4(" + k.element(v, c) + ");\n";
    else code += "  vec4 " + name + " = " + k.vec4_along(v, c, axis >= 0 ? axis : -1) + ";\n";
    args.push_back(name);
  }
  return glsl_expression(*parsed.expr, args, prefix, code, k);
}

void texel_kernel(const ir::Operator& op, Program& program, int output, const std::function<std::string(Kernel&)>& body) {
  Kernel k(program, op, output);
  k.texel_body(body(k));
  k.finish();
}

void element_kernel(const ir::Operator& op, Program& program, int output, const std::function<std::string(Kernel&)>& body) {
  Kernel k(program, op, output);
  k.element_body(body(k));
  k.finish();
}

std::string nested_loops(const std::vector<int64_t>& extents, const std::string& prefix, const std::string& inner) {
  std::string open, close;
  for (size_t i = 0; i < extents.size(); i++) {
    std::string v = prefix + std::to_string(i);
    open += "  for (int " + v + " = 0; " + v + " < " + glsl_int(extents[i]) + "; " + v + "++) {\n";
    close += "  }\n";
  }
  return open + inner + close;
}

}  // namespace webdnn::backends::webgl
