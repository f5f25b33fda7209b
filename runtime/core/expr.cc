#include "webdnn/expr.h"

#include <cmath>
#include <sstream>

#include "webdnn/error.h"

namespace webdnn {
namespace {

struct OpInfo {
  ExprOp op;
  const char* name;
  int arity;
};

const OpInfo kOps[] = {
    {ExprOp::Input, "input", 0},   {ExprOp::Const, "const", 0},     {ExprOp::Neg, "neg", 1},
    {ExprOp::Abs, "abs", 1},       {ExprOp::Exp, "exp", 1},         {ExprOp::Log, "log", 1},
    {ExprOp::Sqrt, "sqrt", 1},     {ExprOp::Sin, "sin", 1},         {ExprOp::Cos, "cos", 1},
    {ExprOp::Tanh, "tanh", 1},     {ExprOp::Erf, "erf", 1},         {ExprOp::Floor, "floor", 1},
    {ExprOp::Ceil, "ceil", 1},     {ExprOp::Round, "round", 1},     {ExprOp::Sign, "sign", 1},
    {ExprOp::IsNaN, "isnan", 1},   {ExprOp::Not, "not", 1},         {ExprOp::Sigmoid, "sigmoid", 1},
    {ExprOp::Add, "add", 2},       {ExprOp::Sub, "sub", 2},         {ExprOp::Mul, "mul", 2},
    {ExprOp::Div, "div", 2},       {ExprOp::Pow, "pow", 2},         {ExprOp::Max, "max", 2},
    {ExprOp::Min, "min", 2},       {ExprOp::Mod, "mod", 2},         {ExprOp::FMod, "fmod", 2},
    {ExprOp::Eq, "eq", 2},         {ExprOp::Lt, "lt", 2},           {ExprOp::Gt, "gt", 2},
    {ExprOp::And, "and", 2},       {ExprOp::Or, "or", 2},           {ExprOp::Select, "select", 3},
};

const OpInfo& info(ExprOp op) {
  for (const auto& i : kOps)
    if (i.op == op) return i;
  fail("unknown expression op ", static_cast<int>(op));
}

}  // namespace

int expr_arity(ExprOp op) { return info(op).arity; }
const char* expr_op_name(ExprOp op) { return info(op).name; }

ExprOp expr_op_from_name(const std::string& name) {
  for (const auto& i : kOps)
    if (name == i.name) return i.op;
  fail("unknown expression op '", name, "'");
}

int Expr::input(int k) {
  ExprNode n;
  n.op = ExprOp::Input;
  n.value = k;
  nodes.push_back(n);
  return result();
}

int Expr::constant(double v) {
  ExprNode n;
  n.op = ExprOp::Const;
  n.value = v;
  nodes.push_back(n);
  return result();
}

int Expr::unary(ExprOp op, int a) {
  ExprNode n;
  n.op = op;
  n.args[0] = a;
  nodes.push_back(n);
  return result();
}

int Expr::binary(ExprOp op, int a, int b) {
  ExprNode n;
  n.op = op;
  n.args[0] = a;
  n.args[1] = b;
  nodes.push_back(n);
  return result();
}

int Expr::select(int cond, int a, int b) {
  ExprNode n;
  n.op = ExprOp::Select;
  n.args[0] = cond;
  n.args[1] = a;
  n.args[2] = b;
  nodes.push_back(n);
  return result();
}

int Expr::splice(const Expr& other, const std::vector<int>& input_nodes) {
  std::vector<int> map(other.nodes.size());
  for (size_t i = 0; i < other.nodes.size(); i++) {
    const ExprNode& n = other.nodes[i];
    if (n.op == ExprOp::Input) {
      map[i] = input_nodes.at(static_cast<size_t>(n.value));
      continue;
    }
    ExprNode copy = n;
    for (int& a : copy.args)
      if (a >= 0) a = map[a];
    nodes.push_back(copy);
    map[i] = result();
  }
  return map.back();
}

int Expr::num_inputs() const {
  int n = 0;
  for (const auto& node : nodes)
    if (node.op == ExprOp::Input) n = std::max(n, static_cast<int>(node.value) + 1);
  return n;
}

double expr_apply(ExprOp op, double a, double b, double c, bool integer) {
  switch (op) {
    case ExprOp::Input:
    case ExprOp::Const: return a;
    case ExprOp::Neg: return -a;
    case ExprOp::Abs: return std::fabs(a);
    case ExprOp::Exp: return std::exp(a);
    case ExprOp::Log: return std::log(a);
    case ExprOp::Sqrt: return std::sqrt(a);
    case ExprOp::Sin: return std::sin(a);
    case ExprOp::Cos: return std::cos(a);
    case ExprOp::Tanh: return std::tanh(a);
    case ExprOp::Erf: return std::erf(a);
    case ExprOp::Floor: return std::floor(a);
    case ExprOp::Ceil: return std::ceil(a);
    case ExprOp::Round: return std::nearbyint(a);  // half to even, as ONNX Round
    case ExprOp::Sign: return a > 0 ? 1.0 : a < 0 ? -1.0 : 0.0;
    case ExprOp::IsNaN: return std::isnan(a) ? 1.0 : 0.0;
    case ExprOp::Not: return a == 0 ? 1.0 : 0.0;
    case ExprOp::Sigmoid: return a >= 0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a));
    case ExprOp::Add: return a + b;
    case ExprOp::Sub: return a - b;
    case ExprOp::Mul: return a * b;
    case ExprOp::Div: return integer ? std::trunc(a / b) : a / b;
    case ExprOp::Pow: return std::pow(a, b);
    case ExprOp::Max: return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
    case ExprOp::Min: return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
    case ExprOp::Mod: {  // the sign of the divisor, as Python's %
      double r = std::fmod(a, b);
      return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }
    case ExprOp::FMod: return std::fmod(a, b);
    case ExprOp::Eq: return a == b ? 1.0 : 0.0;
    case ExprOp::Lt: return a < b ? 1.0 : 0.0;
    case ExprOp::Gt: return a > b ? 1.0 : 0.0;
    case ExprOp::And: return a != 0 && b != 0 ? 1.0 : 0.0;
    case ExprOp::Or: return a != 0 || b != 0 ? 1.0 : 0.0;
    case ExprOp::Select: return a != 0 ? b : c;
  }
  return 0;
}

double Expr::evaluate(const double* inputs, bool integer) const {
  // Small expressions: a stack buffer avoids an allocation per element.
  double small[64];
  std::vector<double> large;
  double* v = small;
  if (nodes.size() > 64) {
    large.resize(nodes.size());
    v = large.data();
  }
  for (size_t i = 0; i < nodes.size(); i++) {
    const ExprNode& n = nodes[i];
    if (n.op == ExprOp::Input) {
      v[i] = inputs[static_cast<int>(n.value)];
    } else if (n.op == ExprOp::Const) {
      v[i] = n.value;
    } else {
      double a = v[n.args[0]];
      double b = n.args[1] >= 0 ? v[n.args[1]] : 0;
      double c = n.args[2] >= 0 ? v[n.args[2]] : 0;
      v[i] = expr_apply(n.op, a, b, c, integer);
    }
  }
  return v[nodes.size() - 1];
}

std::string Expr::to_string() const {
  std::vector<std::string> s(nodes.size());
  for (size_t i = 0; i < nodes.size(); i++) {
    const ExprNode& n = nodes[i];
    std::ostringstream o;
    if (n.op == ExprOp::Input) {
      o << "x" << static_cast<int>(n.value);
    } else if (n.op == ExprOp::Const) {
      o << n.value;
    } else {
      o << expr_op_name(n.op) << "(";
      for (int k = 0; k < expr_arity(n.op); k++) o << (k ? ", " : "") << s[n.args[k]];
      o << ")";
    }
    s[i] = o.str();
  }
  return s.empty() ? "" : s.back();
}

Json Expr::to_json() const {
  Json out = Json::array();
  for (const auto& n : nodes) {
    Json j = Json::array();
    j.push_back(expr_op_name(n.op));
    if (n.op == ExprOp::Input) {
      j.push_back(static_cast<int>(n.value));
    } else if (n.op == ExprOp::Const) {
      j.push_back(n.value);
    } else {
      for (int k = 0; k < expr_arity(n.op); k++) j.push_back(n.args[k]);
    }
    out.push_back(j);
  }
  return out;
}

Expr Expr::from_json(const Json& j) {
  Expr e;
  WEBDNN_CHECK(j.is_array() && !j.empty(), "an expression must be a non-empty array");
  for (const auto& item : j) {
    ExprNode n;
    n.op = expr_op_from_name(item.at(0).get<std::string>());
    if (n.op == ExprOp::Input || n.op == ExprOp::Const) {
      n.value = item.at(1).get<double>();
    } else {
      int arity = expr_arity(n.op);
      WEBDNN_CHECK(static_cast<int>(item.size()) == arity + 1, "expression op ", expr_op_name(n.op),
                   " takes ", arity, " arguments");
      for (int k = 0; k < arity; k++) {
        n.args[k] = item.at(k + 1).get<int>();
        WEBDNN_CHECK(n.args[k] >= 0 && n.args[k] < static_cast<int>(e.nodes.size()),
                     "expression node refers to a later node");
      }
    }
    e.nodes.push_back(n);
  }
  return e;
}

}  // namespace webdnn
