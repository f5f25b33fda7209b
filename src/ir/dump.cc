#include <sstream>

#include "src/ir/graph.h"

namespace webdnn::ir {
namespace {

std::string describe(const Variable& v) {
  std::ostringstream s;
  s << v.name << ": " << dtype_name(v.dtype) << shape_to_string(v.shape);
  if (!v.shape.empty()) {
    s << " {";
    for (size_t i = 0; i < v.axes.size(); i++) s << (i ? "," : "") << v.axes[i];
    s << "}";
    if (!v.has_default_order()) {
      s << " order ";
      for (int a : v.order) s << v.axes[a];
    }
  }
  return s.str();
}

std::string human_bytes(int64_t n) {
  std::ostringstream s;
  s.precision(3);
  if (n >= (1 << 20)) s << n / 1048576.0 << " MiB";
  else if (n >= 1024) s << n / 1024.0 << " KiB";
  else s << n << " B";
  return s.str();
}

}  // namespace

std::string dump(const Graph& graph) {
  std::ostringstream s;
  std::vector<Operator*> ops = graph.topological_order();
  int64_t constant_bytes = 0, constants = 0;
  for (Variable* v : graph.variables())
    if (v->is_constant()) {
      constants++;
      constant_bytes += v->bytes();
    }
  s << "graph: " << graph.inputs.size() << " inputs, " << graph.outputs.size() << " outputs, "
    << ops.size() << " operators, " << constants << " constants (" << human_bytes(constant_bytes) << ")\n";
  for (Variable* v : graph.inputs) s << "input  " << describe(*v) << "\n";
  for (Variable* v : graph.variables())
    if (v->is_constant() && !v->consumers.empty())
      s << "const  " << describe(*v) << " (" << human_bytes(v->bytes()) << ")\n";
  int index = 0;
  for (Operator* op : ops) {
    s << "%" << index++ << " " << op->type << " \"" << op->name << "\" (";
    for (size_t i = 0; i < op->inputs.size(); i++)
      s << (i ? ", " : "") << (op->inputs[i] ? op->inputs[i]->name : "-");
    s << ")";
    if (!op->params.empty()) s << " " << op->params.dump();
    s << "\n";
    for (Variable* out : op->outputs) s << "    -> " << describe(*out) << "\n";
  }
  for (Variable* v : graph.outputs) s << "output " << describe(*v) << "\n";
  return s.str();
}

}  // namespace webdnn::ir
