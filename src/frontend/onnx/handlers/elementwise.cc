// Handlers of ONNX elementwise operators: each maps onto the IR operator of the same meaning.
#include <limits>

#include <cmath>

#include "src/frontend/onnx/node_context.h"
#include "src/frontend/onnx/tensor_proto.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// The IR operator `type` on all of the node's inputs, with `params`.
void same(NodeContext& ctx, const char* type, Json params = Json::object()) {
  std::vector<ir::Variable*> inputs;
  for (size_t i = 0; i < ctx.num_inputs(); i++) inputs.push_back(ctx.required_input(i));
  ctx.set_output(0, ctx.add(type, std::move(params), inputs));
}

}  // namespace

WEBDNN_ONNX_HANDLER(Abs) { same(ctx, "Abs"); }
WEBDNN_ONNX_HANDLER(Neg) { same(ctx, "Neg"); }
WEBDNN_ONNX_HANDLER(Exp) { same(ctx, "Exp"); }
WEBDNN_ONNX_HANDLER(Log) { same(ctx, "Log"); }
WEBDNN_ONNX_HANDLER(Sqrt) { same(ctx, "Sqrt"); }
WEBDNN_ONNX_HANDLER(Sin) { same(ctx, "Sin"); }
WEBDNN_ONNX_HANDLER(Cos) { same(ctx, "Cos"); }
WEBDNN_ONNX_HANDLER(Tanh) { same(ctx, "Tanh"); }
WEBDNN_ONNX_HANDLER(Erf) { same(ctx, "Erf"); }
WEBDNN_ONNX_HANDLER(Floor) { same(ctx, "Floor"); }
WEBDNN_ONNX_HANDLER(Ceil) { same(ctx, "Ceil"); }
WEBDNN_ONNX_HANDLER(Round) { same(ctx, "Round"); }
WEBDNN_ONNX_HANDLER(Sign) { same(ctx, "Sign"); }
WEBDNN_ONNX_HANDLER(Sigmoid) { same(ctx, "Sigmoid"); }
WEBDNN_ONNX_HANDLER(IsNaN) { same(ctx, "IsNaN"); }
WEBDNN_ONNX_HANDLER(Not) { same(ctx, "Not"); }
WEBDNN_ONNX_HANDLER(Reciprocal) { same(ctx, "Reciprocal"); }
WEBDNN_ONNX_HANDLER(Relu) { same(ctx, "Relu"); }
WEBDNN_ONNX_HANDLER(Softplus) { same(ctx, "Softplus"); }
WEBDNN_ONNX_HANDLER(HardSwish) { same(ctx, "HardSwish"); }
WEBDNN_ONNX_HANDLER(LeakyRelu) { same(ctx, "LeakyRelu", {{"alpha", ctx.attr_float("alpha", 0.01f)}}); }
WEBDNN_ONNX_HANDLER(Elu) { same(ctx, "Elu", {{"alpha", ctx.attr_float("alpha", 1.0f)}}); }
WEBDNN_ONNX_HANDLER(Selu) {
  same(ctx, "Selu", {{"alpha", ctx.attr_float("alpha", 1.67326319217681884765625f)},
                     {"gamma", ctx.attr_float("gamma", 1.05070102214813232421875f)}});
}
WEBDNN_ONNX_HANDLER(HardSigmoid) {
  same(ctx, "HardSigmoid", {{"alpha", ctx.attr_float("alpha", 0.2f)}, {"beta", ctx.attr_float("beta", 0.5f)}});
}
WEBDNN_ONNX_HANDLER(Gelu) { same(ctx, "Gelu", {{"approximate", ctx.attr_string("approximate", "none")}}); }
WEBDNN_ONNX_HANDLER(PRelu) { same(ctx, "PRelu"); }
WEBDNN_ONNX_HANDLER(Mish) { same(ctx, "Mish"); }
WEBDNN_ONNX_HANDLER(Celu) {
  float alpha = ctx.attr_float("alpha", 1.0f);
  WEBDNN_CHECK(alpha != 0, "alpha must not be 0 (Celu divides by it)");
  same(ctx, "Celu", {{"alpha", alpha}});
}
WEBDNN_ONNX_HANDLER(ThresholdedRelu) { same(ctx, "ThresholdedRelu", {{"alpha", ctx.attr_float("alpha", 1.0f)}}); }
WEBDNN_ONNX_HANDLER(Shrink) {
  same(ctx, "Shrink", {{"lambd", ctx.attr_float("lambd", 0.5f)}, {"bias", ctx.attr_float("bias", 0.0f)}});
}

// Bitwise operators take integer tensors only (ONNX's type constraint).
static ir::Variable* integer_input(NodeContext& ctx, size_t i) {
  ir::Variable* v = ctx.required_input(i);
  WEBDNN_CHECK(is_integer(v->dtype) && v->dtype != DType::Bool, "input ", i, " ('", v->name, "') is ",
               dtype_name(v->dtype), "; bitwise operators take integer tensors");
  return v;
}

static void bitwise(NodeContext& ctx, const char* type) {
  ir::Variable* a = integer_input(ctx, 0);
  ir::Variable* b = integer_input(ctx, 1);
  WEBDNN_CHECK(a->dtype == b->dtype, "inputs are ", dtype_name(a->dtype), " and ", dtype_name(b->dtype),
               "; they must have one type");
  ctx.set_output(0, ctx.add(type, {}, {a, b}));
}

WEBDNN_ONNX_HANDLER(BitwiseAnd) { bitwise(ctx, "BitwiseAnd"); }
WEBDNN_ONNX_HANDLER(BitwiseOr) { bitwise(ctx, "BitwiseOr"); }
WEBDNN_ONNX_HANDLER(BitwiseXor) { bitwise(ctx, "BitwiseXor"); }
// ~x is -1 - x for signed types and 2^bits - 1 - x for unsigned ones: a subtraction, so no new
// expression op. The IR holds integers as int64, so the width comes from the model's declared
// types; where it declares none (an intermediate value without value_info), the input is taken as
// signed, as the int64 and int32 tensors of real exports are.
WEBDNN_ONNX_HANDLER(BitwiseNot) {
  ir::Variable* x = integer_input(ctx, 0);
  int type = ctx.onnx_elem_type(0);
  WEBDNN_CHECK(type != onnx::TensorProto::UINT64,
               "BitwiseNot of uint64 is not supported (webdnn holds integers as int64)");
  int64_t ones = type == onnx::TensorProto::UINT8    ? 0xff
                 : type == onnx::TensorProto::UINT16 ? 0xffff
                 : type == onnx::TensorProto::UINT32 ? 0xffffffffLL
                                                     : -1;
  ir::Variable* all_ones = ctx.add_constant(Tensor::from_ints({}, {ones}, x->dtype));
  ctx.set_output(0, ctx.add("Sub", {}, {all_ones, x}));
}

WEBDNN_ONNX_HANDLER(Add) { same(ctx, "Add"); }
WEBDNN_ONNX_HANDLER(Sub) { same(ctx, "Sub"); }
WEBDNN_ONNX_HANDLER(Mul) { same(ctx, "Mul"); }
WEBDNN_ONNX_HANDLER(Div) { same(ctx, "Div"); }
WEBDNN_ONNX_HANDLER(Pow) { same(ctx, "Pow"); }
WEBDNN_ONNX_HANDLER(Mod) { same(ctx, "Mod", {{"fmod", ctx.attr_int("fmod", 0)}}); }
WEBDNN_ONNX_HANDLER(Equal) { same(ctx, "Equal"); }
WEBDNN_ONNX_HANDLER(Less) { same(ctx, "Less"); }
WEBDNN_ONNX_HANDLER(Greater) { same(ctx, "Greater"); }
WEBDNN_ONNX_HANDLER(LessOrEqual) {
  ir::Variable* gt = ctx.add("Greater", {}, {ctx.required_input(0), ctx.required_input(1)});
  ctx.set_output(0, ctx.add("Not", {}, {gt}));
}
WEBDNN_ONNX_HANDLER(GreaterOrEqual) {
  ir::Variable* lt = ctx.add("Less", {}, {ctx.required_input(0), ctx.required_input(1)});
  ctx.set_output(0, ctx.add("Not", {}, {lt}));
}
WEBDNN_ONNX_HANDLER(And) { same(ctx, "And"); }
WEBDNN_ONNX_HANDLER(Or) { same(ctx, "Or"); }
WEBDNN_ONNX_HANDLER(Sum) { same(ctx, "Sum"); }
WEBDNN_ONNX_HANDLER(Max) { same(ctx, "Max"); }
WEBDNN_ONNX_HANDLER(Min) { same(ctx, "Min"); }
WEBDNN_ONNX_HANDLER(Where) { same(ctx, "Where"); }

WEBDNN_ONNX_HANDLER(Clip) {
  ir::Variable* x = ctx.required_input(0);
  Json params = Json::object();
  if (ctx.opset() < 11) {
    if (ctx.has("min")) params["min"] = ctx.attr_float("min", 0);
    if (ctx.has("max")) params["max"] = ctx.attr_float("max", 0);
    ctx.set_output(0, ctx.add("Clip", params, {x}));
    return;
  }
  // Bounds are inputs from opset 11; constant ones become parameters, others Max/Min operators.
  ir::Variable* v = x;
  for (size_t i = 1; i <= 2; i++) {
    ir::Variable* bound = ctx.input(i);
    if (!bound) continue;
    const char* key = i == 1 ? "min" : "max";
    WEBDNN_CHECK(bound->size() == 1, "'", bound->name, "' (Clip's ", key, ") must hold one value, not ",
                 shape_to_string(bound->shape));
    // A finite constant is a parameter; an infinite or NaN one (JSON has no such number) an operator.
    double value = bound->is_constant() ? bound->logical_data().as_double(0) : NAN;
    if (std::isfinite(value))
      params[key] = value;
    else
      v = ctx.add(i == 1 ? "Max" : "Min", {}, {v, bound});
  }
  ctx.set_output(0, ctx.add("Clip", params, {v}));
}

WEBDNN_ONNX_HANDLER(Cast) {
  DType to = import_dtype(static_cast<int>(ctx.attr_int("to", 1)), "Cast target");
  same(ctx, "Cast", {{"to", dtype_name(to)}});
}

WEBDNN_ONNX_HANDLER(Identity) { same(ctx, "Identity"); }

WEBDNN_ONNX_HANDLER(Dropout) {
  // Inference: the input passes through unchanged, and nothing is dropped (mask all true).
  ir::Variable* x = ctx.required_input(0);
  ctx.set_output(0, ctx.add("Identity", {}, {x}));
  if (ctx.num_outputs() > 1) {
    Tensor mask(DType::Bool, x->shape);
    std::fill(mask.bytes.begin(), mask.bytes.end(), 1);
    ctx.set_output(1, ctx.add_constant(std::move(mask)));
  }
}

WEBDNN_ONNX_HANDLER(Expand) {
  DimShape shape = ctx.dims_input(1, "shape");
  ctx.set_output(0, ctx.add("Expand", {{"shape", params::dims_json(shape)}}, {ctx.required_input(0)}));
}

}  // namespace webdnn::onnx_frontend
