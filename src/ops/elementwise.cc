// Elementwise operators: each is defined by the expression that computes one output element.
// Shape inference (numpy broadcasting), traits and the reference kernel are shared by all of them.
#include <cmath>

#include "src/ops/quantize.h"
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

using ExprFn = std::function<Expr(const ir::Operator&)>;
enum class OutType { SameAsFirst, SameAsSecond, Bool, Float, Param };

// The operators' own parameters (alpha, gamma, ...), all written by the frontend.
double param(const ir::Operator& op, const char* key) { return params::Reader(op.params).number(key); }

ExprFn unary(ExprOp fn) {
  return [fn](const ir::Operator&) {
    Expr e;
    e.unary(fn, e.input(0));
    return e;
  };
}

// A binary expression applied left to right over all inputs: x0 op x1 op x2 ...
ExprFn fold(ExprOp fn) {
  return [fn](const ir::Operator& op) {
    Expr e;
    int acc = e.input(0);
    for (size_t i = 1; i < op.inputs.size(); i++) acc = e.binary(fn, acc, e.input(static_cast<int>(i)));
    return e;
  };
}

ExprFn identity() {
  return [](const ir::Operator&) {
    Expr e;
    e.input(0);
    return e;
  };
}

// x < 0 ? slope * x : x, the slope a parameter or the second input (PRelu). `e` by reference:
// callers write leaky(e, x, e.constant(...)), and a copy taken before that argument is evaluated
// (as clang orders them) lacks the slope's node.
Expr leaky(Expr& e, int x, int slope) {
  int neg = e.binary(ExprOp::Lt, x, e.constant(0));
  int scaled = e.binary(ExprOp::Mul, x, slope);
  e.select(neg, scaled, x);
  return e;
}

// alpha * (exp(x) - 1), the negative branch of Elu and Selu.
int exp_minus_one(Expr& e, int x, double alpha) {
  int em1 = e.binary(ExprOp::Sub, e.unary(ExprOp::Exp, x), e.constant(1));
  return e.binary(ExprOp::Mul, em1, e.constant(alpha));
}

int clamp01(Expr& e, int v) {
  return e.binary(ExprOp::Max, e.binary(ExprOp::Min, v, e.constant(1)), e.constant(0));
}

// max(x, 0) + log(1 + exp(-|x|)): never overflows, unlike log(1 + exp(x)).
int softplus(Expr& e, int x) {
  int pos = e.binary(ExprOp::Max, x, e.constant(0));
  int t = e.unary(ExprOp::Exp, e.unary(ExprOp::Neg, e.unary(ExprOp::Abs, x)));
  return e.binary(ExprOp::Add, pos, e.unary(ExprOp::Log, e.binary(ExprOp::Add, e.constant(1), t)));
}

}  // namespace

// onnxruntime's MLAS: the float32 value t clamped to [lo - zp, hi - zp] (NaN becomes lo - zp:
// SSE's max returns its second operand), rounded half to even, the zero point added.
int saturate(Expr& e, int t, int zero_point, double lo, double hi) {
  int low = e.binary(ExprOp::Sub, e.constant(lo), zero_point);
  int high = e.binary(ExprOp::Sub, e.constant(hi), zero_point);
  return e.binary(ExprOp::Add, e.unary(ExprOp::Round, e.clamp(t, low, high)), zero_point);
}

int quantize(Expr& e, int x, int scale, int zero_point, double lo, double hi) {
  return saturate(e, e.unary(ExprOp::F32, e.binary(ExprOp::Div, x, scale)), zero_point, lo, hi);
}

int requantize(Expr& e, int acc, int multiplier, int zero_point, double lo, double hi) {
  int product = e.binary(ExprOp::Mul, e.unary(ExprOp::F32, acc), multiplier);
  return saturate(e, e.unary(ExprOp::F32, product), zero_point, lo, hi);
}

// (x - zero_point) * scale: the difference converted to float32 first, as onnxruntime does (it
// matters for int32 values beyond 2^24).
int dequantize(Expr& e, int x, int scale, int zero_point) {
  int d = e.unary(ExprOp::F32, e.binary(ExprOp::Sub, x, zero_point));
  return e.unary(ExprOp::F32, e.binary(ExprOp::Mul, d, scale));
}

namespace {

struct Def {
  const char* type;
  int min_inputs, max_inputs;
  bool commutative, associative;
  OutType out;
  ExprFn expr;
};

std::vector<Def> definitions() {
  std::vector<Def> defs = {
      {"Identity", 1, 1, false, false, OutType::SameAsFirst, identity()},
      {"Cast", 1, 1, false, false, OutType::Param,
       [](const ir::Operator& op) {
         // To bool the value becomes 0 or 1 in the expression too, so that it survives fusion.
         Expr e;
         int x = e.input(0);
         if (params::Reader(op.params).dtype("to") == DType::Bool) e.unary(ExprOp::Not, e.unary(ExprOp::Not, x));
         return e;
       }},
      {"Expand", 1, 1, false, false, OutType::SameAsFirst, identity()},
      {"Abs", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Abs)},
      {"Neg", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Neg)},
      {"Exp", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Exp)},
      {"Log", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Log)},
      {"Sqrt", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Sqrt)},
      {"Sin", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Sin)},
      {"Cos", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Cos)},
      {"Tanh", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Tanh)},
      {"Erf", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Erf)},
      {"Floor", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Floor)},
      {"Ceil", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Ceil)},
      {"Round", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Round)},
      {"Sign", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Sign)},
      {"Sigmoid", 1, 1, false, false, OutType::SameAsFirst, unary(ExprOp::Sigmoid)},
      {"IsNaN", 1, 1, false, false, OutType::Bool, unary(ExprOp::IsNaN)},
      {"Not", 1, 1, false, false, OutType::Bool, unary(ExprOp::Not)},
      {"Reciprocal", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         e.binary(ExprOp::Div, e.constant(1), e.input(0));
         return e;
       }},
      {"Relu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         e.binary(ExprOp::Max, e.input(0), e.constant(0));
         return e;
       }},
      {"LeakyRelu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int x = e.input(0);
         return leaky(e, x, e.constant(param(op, "alpha")));
       }},
      {"PRelu", 2, 2, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         int x = e.input(0);
         return leaky(e, x, e.input(1));
       }},
      {"Elu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int x = e.input(0);
         int neg = exp_minus_one(e, x, param(op, "alpha"));
         e.select(e.binary(ExprOp::Lt, x, e.constant(0)), neg, x);
         return e;
       }},
      {"Selu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int x = e.input(0);
         int neg = exp_minus_one(e, x, param(op, "alpha"));
         int v = e.select(e.binary(ExprOp::Gt, x, e.constant(0)), x, neg);
         e.binary(ExprOp::Mul, v, e.constant(param(op, "gamma")));
         return e;
       }},
      {"HardSigmoid", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int ax = e.binary(ExprOp::Mul, e.input(0), e.constant(param(op, "alpha")));
         clamp01(e, e.binary(ExprOp::Add, ax, e.constant(param(op, "beta"))));
         return e;
       }},
      {"HardSwish", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         int x = e.input(0);
         int ax = e.binary(ExprOp::Mul, x, e.constant(1.0 / 6.0));
         int gate = clamp01(e, e.binary(ExprOp::Add, ax, e.constant(0.5)));
         e.binary(ExprOp::Mul, x, gate);
         return e;
       }},
      {"Softplus", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         softplus(e, e.input(0));
         return e;
       }},
      {"Gelu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int x = e.input(0);
         int inner;
         if (params::Reader(op.params).choice("approximate", {"none", "tanh"}) == "tanh") {
           int x3 = e.binary(ExprOp::Mul, e.binary(ExprOp::Mul, x, x), x);
           int s = e.binary(ExprOp::Add, x, e.binary(ExprOp::Mul, x3, e.constant(0.044715)));
           inner = e.unary(ExprOp::Tanh, e.binary(ExprOp::Mul, s, e.constant(std::sqrt(2.0 / M_PI))));
         } else {
           inner = e.unary(ExprOp::Erf, e.binary(ExprOp::Mul, x, e.constant(M_SQRT1_2)));
         }
         int half_x = e.binary(ExprOp::Mul, x, e.constant(0.5));
         e.binary(ExprOp::Mul, half_x, e.binary(ExprOp::Add, inner, e.constant(1)));
         return e;
       }},
      {"Mish", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator&) {
         Expr e;
         int x = e.input(0);
         e.binary(ExprOp::Mul, x, e.unary(ExprOp::Tanh, softplus(e, x)));
         return e;
       }},
      {"Celu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
         Expr e;
         double alpha = param(op, "alpha");
         int x = e.input(0);
         int neg = exp_minus_one(e, e.binary(ExprOp::Mul, x, e.constant(1.0 / alpha)), alpha);
         e.binary(ExprOp::Add, e.binary(ExprOp::Max, x, e.constant(0)), e.binary(ExprOp::Min, neg, e.constant(0)));
         return e;
       }},
      {"ThresholdedRelu", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int x = e.input(0);
         e.select(e.binary(ExprOp::Gt, x, e.constant(param(op, "alpha"))), x, e.constant(0));
         return e;
       }},
      {"Shrink", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         // x < -lambd: x + bias; x > lambd: x - bias; else 0.
         Expr e;
         double lambd = param(op, "lambd"), bias = param(op, "bias");
         int x = e.input(0);
         int high = e.select(e.binary(ExprOp::Gt, x, e.constant(lambd)), e.binary(ExprOp::Sub, x, e.constant(bias)),
                             e.constant(0));
         e.select(e.binary(ExprOp::Lt, x, e.constant(-lambd)), e.binary(ExprOp::Add, x, e.constant(bias)), high);
         return e;
       }},
      {"Clip", 1, 1, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         Expr e;
         int v = e.input(0);
         // min and max are each optional: Clip without them passes x through.
         if (op.params.contains("min")) v = e.binary(ExprOp::Max, v, e.constant(param(op, "min")));
         if (op.params.contains("max")) v = e.binary(ExprOp::Min, v, e.constant(param(op, "max")));
         if (e.nodes.size() == 1) e.binary(ExprOp::Add, v, e.constant(0));
         return e;
       }},
      {"Add", 2, 2, true, true, OutType::SameAsFirst, fold(ExprOp::Add)},
      {"Sub", 2, 2, false, false, OutType::SameAsFirst, fold(ExprOp::Sub)},
      {"Mul", 2, 2, true, true, OutType::SameAsFirst, fold(ExprOp::Mul)},
      {"Div", 2, 2, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         // Integers divide as integers: truncated toward zero.
         bool integer = is_integer(op.inputs[0]->dtype) && op.inputs[0]->dtype != DType::Bool;
         return fold(integer ? ExprOp::IDiv : ExprOp::Div)(op);
       }},
      {"Pow", 2, 2, false, false, OutType::SameAsFirst, fold(ExprOp::Pow)},
      {"Sum", 1, -1, true, true, OutType::SameAsFirst, fold(ExprOp::Add)},
      {"Max", 1, -1, true, true, OutType::SameAsFirst, fold(ExprOp::Max)},
      {"Min", 1, -1, true, true, OutType::SameAsFirst, fold(ExprOp::Min)},
      {"Mod", 2, 2, false, false, OutType::SameAsFirst,
       [](const ir::Operator& op) {
         return fold(params::Reader(op.params).flag("fmod") ? ExprOp::FMod : ExprOp::Mod)(op);
       }},
      // Integer tensors only (the ONNX handlers check): two's complement bits.
      {"BitwiseAnd", 2, 2, true, true, OutType::SameAsFirst, fold(ExprOp::BitAnd)},
      {"BitwiseOr", 2, 2, true, true, OutType::SameAsFirst, fold(ExprOp::BitOr)},
      {"BitwiseXor", 2, 2, true, true, OutType::SameAsFirst, fold(ExprOp::BitXor)},
      {"Equal", 2, 2, true, false, OutType::Bool, fold(ExprOp::Eq)},
      {"Less", 2, 2, false, false, OutType::Bool, fold(ExprOp::Lt)},
      {"Greater", 2, 2, false, false, OutType::Bool, fold(ExprOp::Gt)},
      {"And", 2, 2, true, true, OutType::Bool, fold(ExprOp::And)},
      {"Or", 2, 2, true, true, OutType::Bool, fold(ExprOp::Or)},
      {"Where", 3, 3, false, false, OutType::SameAsSecond,
       [](const ir::Operator&) {
         Expr e;
         e.select(e.input(0), e.input(1), e.input(2));
         return e;
       }},
      // Linear quantization (ONNX QuantizeLinear / DequantizeLinear): x, scale, zero point, the
      // scale and zero point broadcast along the quantized axis (the frontend reshapes them).
      {"QuantizeLinear", 3, 3, false, false, OutType::Param,
       [](const ir::Operator& op) {
         Expr e;
         quantize(e, e.input(0), e.input(1), e.input(2), param(op, "min"), param(op, "max"));
         return e;
       }},
      {"DequantizeLinear", 3, 3, false, false, OutType::Float,
       [](const ir::Operator&) {
         Expr e;
         dequantize(e, e.input(0), e.input(1), e.input(2));
         return e;
       }},
      // A chain of elementwise operators merged into one (see the kernel-merging rule).
      {"FusedElementwise", 1, -1, false, false, OutType::Param,
       [](const ir::Operator& op) { return params::Reader(op.params).expr("expr"); }},
  };
  return defs;
}

DType output_dtype(const Def& def, const ir::Operator& op) {
  switch (def.out) {
    case OutType::SameAsFirst: return op.inputs[0]->dtype;
    case OutType::SameAsSecond: return op.inputs[1]->dtype;
    case OutType::Bool: return DType::Bool;
    case OutType::Float: return DType::Float32;
    case OutType::Param: return params::Reader(op.params).dtype("to");
  }
  return DType::Float32;
}

// The input that the output equals, if any: with the other inputs (constants, each holding one
// value throughout) plugged in, the expression must give back that input for every probe.
int identity_input(const Def& def, const ir::Operator& op) {
  const ir::Variable* out = op.outputs[0];
  std::vector<double> args(op.inputs.size());
  int candidate = -1;
  for (size_t i = 0; i < op.inputs.size(); i++) {
    const ir::Variable* in = op.inputs[i];
    if (in->is_constant() && in->size() > 0) {
      args[i] = in->data->as_double(0);
      for (int64_t k = 1; k < in->size(); k++)
        if (in->data->as_double(k) != args[i]) return -1;
    } else if (candidate < 0) {
      candidate = static_cast<int>(i);
    } else {
      return -1;  // two varying inputs
    }
  }
  if (candidate < 0 || op.inputs[candidate]->shape != out->shape || op.inputs[candidate]->dtype != out->dtype)
    return -1;
  Expr e = def.expr(op);
  const double probes[] = {-1e4, -7.5, -1, -0.3, 0, 0.3, 1, 2.5, 1e4};
  bool boolean = out->dtype == DType::Bool;
  for (double p : probes) {
    if (boolean && p != 0 && p != 1) continue;
    args[candidate] = p;
    if (e.evaluate(args.data()) != p) return -1;
  }
  return candidate;
}

Traits elementwise_traits(const Def& def, const ir::Operator& op) {
  Traits t;
  t.identity = identity_input(def, op);
  t.elementwise = true;
  t.commutative = def.commutative;
  t.associative = def.associative;
  const ir::Variable* out = op.outputs[0];
  for (size_t i = 0; i < op.inputs.size(); i++) {
    const ir::Variable* in = op.inputs[i];
    if (in->shape == out->shape && dtype_size(in->dtype) == dtype_size(out->dtype))
      t.inplace.emplace_back(static_cast<int>(i), 0);
  }
  for (int a = 0; a < out->rank(); a++) t.tensorwise.push_back(a);
  return t;
}

void register_elementwise() {
  for (const Def& def : definitions()) {
    OpSchema s;
    s.type = def.type;
    s.min_inputs = def.min_inputs;
    s.max_inputs = def.max_inputs;
    s.infer = [def](ir::Operator& op) {
      // Expand broadcasts to its "shape" as well as over its inputs.
      params::Reader r(op.params);
      DimShape shape = r.has("shape") ? r.dims("shape", -1, 0, params::kMaxExtent) : DimShape{};
      const ir::Variable* widest = op.inputs[0];
      for (const ir::Variable* in : op.inputs) {
        shape = broadcast(shape, in->dims);
        if (in->rank() > widest->rank()) widest = in;
      }
      set_output(op, 0, output_dtype(def, op), shape);
      copy_axes(*widest, *op.outputs[0]);
    };
    s.traits = [def](const ir::Operator& op) { return elementwise_traits(def, op); };
    s.kernel = "Elementwise";
    s.expr = def.expr;
    // The reference "Elementwise" kernel's (runtime/kernels/reference/reference.h).
    s.kernel_params = [def](const ir::Operator& op) {
      Json p = {{"expr", def.expr(op).to_json()}, {"to", dtype_name(op.outputs[0]->dtype)}};
      if (op.params.contains("shape")) p["shape"] = params::dims_json(op.outputs[0]->dims);
      return p;
    };
    register_schema(std::move(s));
  }
}

const bool elementwise_registered = (register_elementwise(), true);

}  // namespace
}  // namespace webdnn::ops
