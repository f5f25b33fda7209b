#include "backends/wasm/generator/lowering.h"

#include "backends/wasm/kernels/conv_pack.h"
#include "src/ops/schema.h"

namespace webdnn::backends::wasm_backend {
namespace {

bool float32(const ir::Variable* v) { return v->dtype == DType::Float32; }

bool channels_last(const ir::Variable* v) {
  ir::Variable nhwc;
  nhwc.shape = v->shape;
  nhwc.order = {0, 2, 3, 1};
  Shape a = v->strides(), b = nhwc.strides();
  for (size_t i = 0; i < a.size(); i++)
    if (v->shape[i] > 1 && a[i] != b[i]) return false;
  return true;
}

Json call(const char* kernel, const ir::Operator& op, Json params, const Json& inputs, emit::VariableTable& table) {
  Json outs = Json::array();
  for (const ir::Variable* v : op.outputs) outs.push_back(table.index(v));
  return {{"kernel", kernel}, {"op", op.name}, {"params", std::move(params)}, {"inputs", inputs}, {"outputs", outs}};
}

// Conv on channels-last images with a constant float weight: weights packed for the algorithm.
Json conv(const ir::Operator& op, emit::VariableTable& table) {
  const ir::Variable *x = op.inputs[0], *w = op.inputs[1], *y = op.outputs[0];
  wasm::ConvShape s{x->shape[1], y->shape[1], w->shape[2], w->shape[3], op.params.value("group", int64_t{1})};
  // Every window parameter written out: the kernel takes no defaults.
  Json params = op.params;
  params["kernel_shape"] = Shape{s.kh, s.kw};
  params["group"] = s.group;
  for (auto [key, fallback] : {std::pair<const char*, Shape>{"strides", {1, 1}}, {"dilations", {1, 1}}, {"pads", {0, 0, 0, 0}}})
    if (!params.contains(key)) params[key] = fallback;
  auto strides = params.at("strides").get<std::vector<int64_t>>();
  auto dilations = params.at("dilations").get<std::vector<int64_t>>();
  std::string algorithm = wasm::conv_algorithm(s, strides, dilations);
  Tensor weights = w->logical_data();
  std::vector<float> packed = wasm::pack_conv_weights(algorithm, s, weights.data<float>());
  params["algorithm"] = algorithm;
  Json inputs = {table.index(x), table.add_data(w->name + ":" + algorithm, Tensor::from_floats({static_cast<int64_t>(packed.size())}, packed))};
  if (op.inputs.size() > 2) inputs.push_back(table.index(op.inputs[2]));
  else inputs.push_back(table.add_data(op.name + ":bias", Tensor(DType::Float32, {s.M})));
  for (size_t i = 3; i < op.inputs.size(); i++) inputs.push_back(table.index(op.inputs[i]));
  return call("wasm.Conv", op, params, inputs, table);
}

bool fits_conv(const ir::Operator& op) {
  if (op.type != "Conv" || !op.inputs[1]->is_constant()) return false;
  for (const ir::Variable* v : op.inputs)
    if (!float32(v)) return false;
  return channels_last(op.inputs[0]) && channels_last(op.outputs[0]);
}

bool fits_elementwise(const ir::Operator& op) {
  if (!ops::traits_of(op).elementwise || op.outputs.size() != 1 || !float32(op.outputs[0])) return false;
  for (const ir::Variable* v : op.inputs)
    if (!float32(v)) return false;
  return true;
}

}  // namespace

Json lower(const ir::Operator& op, emit::VariableTable& table) {
  if (fits_conv(op)) return conv(op, table);
  Json ins = Json::array();
  for (const ir::Variable* v : op.inputs) ins.push_back(table.index(v));
  if (fits_elementwise(op)) return call("wasm.Elementwise", op, ops::kernel_params_of(op), ins, table);
  return call(ops::schema_of(op.type).kernel.c_str(), op, ops::kernel_params_of(op), ins, table);
}

}  // namespace webdnn::backends::wasm_backend
