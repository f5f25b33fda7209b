#include <map>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {
std::map<std::string, OpSchema>& registry() {
  static std::map<std::string, OpSchema> r;
  return r;
}
}  // namespace

void register_schema(OpSchema schema) {
  std::string type = schema.type;
  registry()[type] = std::move(schema);
}

OpSchema make_schema(const char* type, int min_inputs, int max_inputs, std::function<void(ir::Operator&)> infer,
                     std::function<Traits(const ir::Operator&)> traits, int num_outputs) {
  OpSchema s;
  s.type = type;
  s.min_inputs = min_inputs;
  s.max_inputs = max_inputs;
  s.num_outputs = num_outputs;
  s.infer = std::move(infer);
  s.traits = std::move(traits);
  s.kernel = type;
  return s;
}

const OpSchema* find_schema(const std::string& type) {
  auto it = registry().find(type);
  return it == registry().end() ? nullptr : &it->second;
}

const OpSchema& schema_of(const std::string& type) {
  const OpSchema* s = find_schema(type);
  WEBDNN_CHECK(s, "unknown IR operator type '", type, "'");
  return *s;
}

std::vector<std::string> schema_types() {
  std::vector<std::string> types;
  for (auto& [type, s] : registry()) types.push_back(type);
  return types;
}

double product_flops(const ir::Operator& op, int64_t K) { return 2.0 * static_cast<double>(op.outputs[0]->size()) * K; }

Traits traits_of(const ir::Operator& op) {
  const OpSchema& s = schema_of(op.type);
  return s.traits ? s.traits(op) : Traits{};
}

bool shares_memory(const ir::Operator& op, const Traits& traits, int in, int out) {
  const ir::Variable *x = op.inputs[static_cast<size_t>(in)], *y = op.outputs[static_cast<size_t>(out)];
  if (traits.moved_axes.empty() || in != 0) return ir::can_share_memory(*x, *y);
  if (dtype_size(x->dtype) != dtype_size(y->dtype)) return false;
  // Axes of one element have no stride that matters (asked of the dim's number: comparing a free
  // dim would make a guard).
  DimShape xs = x->dim_strides(), ys = y->dim_strides();
  for (size_t a = 0; a < traits.moved_axes.size(); a++)
    if (y->dims[a].constant() != std::optional<int64_t>(1) && !identical(ys[a], xs[static_cast<size_t>(traits.moved_axes[a])]))
      return false;
  return true;
}

Json kernel_params_of(const ir::Operator& op) {
  const OpSchema& s = schema_of(op.type);
  return s.kernel_params ? s.kernel_params(op) : op.params;
}

double flops_of(const ir::Operator& op) {
  const OpSchema& s = schema_of(op.type);
  if (s.flops) return s.flops(op);
  double n = 0;
  for (const ir::Variable* v : op.outputs) n += static_cast<double>(v->size());
  return n;
}

bool finds_size(const ir::Operator& op) { return schema_of(op.type).capacity != nullptr; }

OpSchema with_flops(OpSchema schema, std::function<double(const ir::Operator&)> flops) {
  schema.flops = std::move(flops);
  return schema;
}

namespace {
// The IR asks the schemas for its operators' outputs.
const bool inference_registered = (ir::set_output_inference(infer), true);
}  // namespace

void infer(ir::Operator& op) {
  const OpSchema& s = schema_of(op.type);
  int n = static_cast<int>(op.inputs.size());
  WEBDNN_CHECK(n >= s.min_inputs && (s.max_inputs < 0 || n <= s.max_inputs), op.type, " '", op.name,
               "' has ", n, " inputs; it takes ", s.min_inputs,
               s.max_inputs < 0 ? " or more" : (s.max_inputs == s.min_inputs ? "" : " to " + std::to_string(s.max_inputs)));
  WEBDNN_CHECK(s.num_outputs < 0 || static_cast<int>(op.outputs.size()) == s.num_outputs, op.type, " '",
               op.name, "' has ", op.outputs.size(), " outputs; it makes ", s.num_outputs);
  for (int i = 0; i < s.min_inputs; i++)
    WEBDNN_CHECK(op.inputs[i], op.type, " '", op.name, "' is missing its required input ", i);
  s.infer(op);
}

void copy_axes(const ir::Variable& from, ir::Variable& to) {
  if (from.shape.size() == to.shape.size()) to.axes = from.axes;
}

int aligned_axis(const ir::Variable& in, const ir::Variable& out, int axis) {
  int a = axis - (out.rank() - in.rank());
  if (a < 0 || (in.shape[a] == 1 && out.shape[axis] != 1)) return -1;
  return a;
}

size_t core_inputs(const ir::Operator& op, int first_extra) {
  return op.params.contains("epilogue") ? static_cast<size_t>(first_extra) : op.inputs.size();
}

params::SymTypes input_types(const ir::Operator& op) {
  params::SymTypes types;
  for (const ir::Variable* v : op.inputs) {
    if (!v) break;
    types.push_back({v->dtype, v->dims, v->name});
  }
  return types;
}

void set_outputs(ir::Operator& op, const params::SymTypes& types) {
  WEBDNN_CHECK(types.size() == op.outputs.size(), "makes ", types.size(), " outputs, not ", op.outputs.size());
  for (size_t i = 0; i < types.size(); i++) set_output(op, i, types[i].dtype, types[i].shape);
}

void set_like_input(ir::Operator& op, const params::SymTypes& types) {
  set_outputs(op, types);
  for (ir::Variable* y : op.outputs) copy_axes(*op.inputs[0], *y);
}

void set_output(ir::Operator& op, size_t index, DType dtype, const DimShape& dims) {
  ir::Variable* out = op.outputs.at(index);
  out->dtype = dtype;
  out->set_dims(dims);
}

}  // namespace webdnn::ops
