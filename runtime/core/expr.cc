#include "webdnn/expr.h"

#include <cmath>
#include <iterator>
#include <limits>
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
    {ExprOp::Input, "input", 0},
    {ExprOp::Const, "const", 0},
#define WEBDNN_EXPR_INFO(Name, name, arity, ...) {ExprOp::Name, name, arity},
    WEBDNN_EXPR_OPS(WEBDNN_EXPR_INFO)
#undef WEBDNN_EXPR_INFO
};

const OpInfo* find(ExprOp op) {
  size_t i = static_cast<size_t>(op);
  return i < std::size(kOps) ? &kOps[i] : nullptr;
}

}  // namespace

int expr_arity(ExprOp op) {
  const OpInfo* i = find(op);
  WEBDNN_CHECK(i, "unknown expression op ", static_cast<int>(op));
  return i->arity;
}

const char* expr_op_name(ExprOp op) {
  const OpInfo* i = find(op);
  WEBDNN_CHECK(i, "unknown expression op ", static_cast<int>(op));
  return i->name;
}

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

int Expr::select(int cond, int a, int b) { return ternary(ExprOp::Select, cond, a, b); }

int Expr::clamp(int x, int lo, int hi) { return ternary(ExprOp::Clamp, x, lo, hi); }

int Expr::ternary(ExprOp op, int a, int b, int c) {
  ExprNode n;
  n.op = op;
  n.args[0] = a;
  n.args[1] = b;
  n.args[2] = c;
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

double expr_apply(ExprOp op, double a, double b, double c) {
  switch (op) {
    case ExprOp::Input:
    case ExprOp::Const: return a;
#define WEBDNN_EXPR_REFERENCE(Name, name, arity, reference, ...) \
  case ExprOp::Name: return reference;
    WEBDNN_EXPR_OPS(WEBDNN_EXPR_REFERENCE)
#undef WEBDNN_EXPR_REFERENCE
  }
  return 0;
}

std::string expr_code(ExprOp op, ExprDialect dialect, const std::string& a, const std::string& b, const std::string& c) {
  const char* t = nullptr;
  switch (op) {
    case ExprOp::Input:
    case ExprOp::Const: fail("expr_code: ", expr_op_name(op), " has no template");
#define WEBDNN_EXPR_TEXT(Name, name, arity, reference, simd, wgsl, glsl) \
  case ExprOp::Name: t = dialect == ExprDialect::Wgsl ? wgsl : glsl; break;
      WEBDNN_EXPR_OPS(WEBDNN_EXPR_TEXT)
#undef WEBDNN_EXPR_TEXT
  }
  std::string out;
  for (const char* p = t; *p; p++) {
    if (*p == '$' && p[1] >= '0' && p[1] <= '2') {
      out += p[1] == '0' ? a : p[1] == '1' ? b : c;
      p++;
    } else {
      out += *p;
    }
  }
  return out;
}

std::vector<std::string> expr_helpers(const std::vector<ExprHelper>& helpers, const std::string& code) {
  // Walk backwards: a helper is needed when the code or a needed helper after it calls it.
  std::vector<bool> needed(helpers.size(), false);
  std::string callers = code;
  for (size_t i = helpers.size(); i-- > 0;) {
    if (callers.find(std::string(helpers[i].name) + "(") == std::string::npos) continue;
    needed[i] = true;
    callers += helpers[i].code;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < helpers.size(); i++)
    if (needed[i]) out.push_back(helpers[i].code);
  return out;
}

double Expr::evaluate(const double* inputs) const {
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
      v[i] = expr_apply(n.op, a, b, c);
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
      // JSON has no NaN or infinity (nlohmann writes null): those are named as JavaScript does.
      if (std::isnan(n.value)) j.push_back("NaN");
      else if (std::isinf(n.value)) j.push_back(n.value > 0 ? "Infinity" : "-Infinity");
      else j.push_back(n.value);
    } else {
      for (int k = 0; k < expr_arity(n.op); k++) j.push_back(n.args[k]);
    }
    out.push_back(j);
  }
  return out;
}

Expr Expr::from_json(const Json& j) {
  Expr e;
  WEBDNN_CHECK(j.is_array() && !j.empty() && j.size() <= 4096, "an expression must be a non-empty array of nodes");
  for (const auto& item : j) {
    WEBDNN_CHECK(item.is_array() && !item.empty() && item[0].is_string(), "expression node ", item.dump(),
                 " must be [op, ...]");
    ExprNode n;
    n.op = expr_op_from_name(item[0].get<std::string>());
    if (n.op == ExprOp::Input || n.op == ExprOp::Const) {
      WEBDNN_CHECK(item.size() == 2, "expression node ", item.dump(), " needs one number");
      const Json& v = item[1];
      if (n.op == ExprOp::Const && v.is_string()) {
        const std::string& name = v.get_ref<const std::string&>();
        WEBDNN_CHECK(name == "NaN" || name == "Infinity" || name == "-Infinity", "expression constant ", v.dump(),
                     " is not a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
        n.value = name == "NaN" ? std::numeric_limits<double>::quiet_NaN()
                  : name[0] == '-' ? -std::numeric_limits<double>::infinity()
                                   : std::numeric_limits<double>::infinity();
      } else {
        WEBDNN_CHECK(v.is_number(), "expression node ", item.dump(), " needs one number");
        n.value = v.get<double>();
      }
      // An input index is a small whole number: evaluators index their inputs with it.
      WEBDNN_CHECK(n.op == ExprOp::Const || (n.value >= 0 && n.value < 1024 && n.value == static_cast<int>(n.value)),
                   "expression input ", item[1].dump(), " is not an input index");
    } else {
      int arity = expr_arity(n.op);
      WEBDNN_CHECK(static_cast<int>(item.size()) == arity + 1, "expression op ", expr_op_name(n.op), " takes ", arity,
                   " arguments");
      for (int k = 0; k < arity; k++) {
        const Json& arg = item[k + 1];
        WEBDNN_CHECK(arg.is_number_integer() && arg.get<int64_t>() >= 0 && arg.get<int64_t>() < static_cast<int64_t>(e.nodes.size()),
                     "expression node ", item.dump(), " must refer to earlier nodes");
        n.args[k] = static_cast<int>(arg.get<int64_t>());
      }
    }
    e.nodes.push_back(n);
  }
  return e;
}

}  // namespace webdnn
