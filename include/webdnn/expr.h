// Elementwise expressions: the one definition of what an elementwise operator computes.
//
// An Expr is a list of nodes in SSA form; the last node is the result. Every elementwise operator
// of the IR describes itself as an Expr, fused chains are one bigger Expr, and each backend turns
// an Expr into its own code (an interpreter in the runtime, WGSL and GLSL source in the GPU
// generators). Values are real numbers; comparisons yield 1 or 0 and logic treats non-zero as true.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "webdnn/expr_ops.h"
#include "webdnn/json.h"

namespace webdnn {

// Input (value: the input's index) and Const (value: the constant), then the ops of the table in
// webdnn/expr_ops.h.
enum class ExprOp : uint8_t {
  Input,
  Const,
#define WEBDNN_EXPR_ENUM(Name, ...) Name,
  WEBDNN_EXPR_OPS(WEBDNN_EXPR_ENUM)
#undef WEBDNN_EXPR_ENUM
};

int expr_arity(ExprOp op);
const char* expr_op_name(ExprOp op);
ExprOp expr_op_from_name(const std::string& name);  // throws webdnn::Error

struct ExprNode {
  ExprOp op = ExprOp::Const;
  int args[3] = {-1, -1, -1};
  double value = 0;  // Const: the value; Input: the input index
};

class Expr {
 public:
  std::vector<ExprNode> nodes;

  int input(int k);
  int constant(double v);
  int unary(ExprOp op, int a);
  int binary(ExprOp op, int a, int b);
  int select(int cond, int a, int b);
  int clamp(int x, int lo, int hi);  // x into [lo, hi], NaN to lo
  int ternary(ExprOp op, int a, int b, int c);
  // Appends `other`, with its inputs replaced by the given nodes of this expression; returns the
  // node holding other's result.
  int splice(const Expr& other, const std::vector<int>& input_nodes);

  int num_inputs() const;  // 1 + highest input index used
  int result() const { return static_cast<int>(nodes.size()) - 1; }
  // Evaluates the expression for one element.
  double evaluate(const double* inputs) const;
  std::string to_string() const;
  Json to_json() const;
  static Expr from_json(const Json& j);
};

// A shading language the GPU generators write expressions in.
enum class ExprDialect { Wgsl, Glsl };
// The op's template in that language (webdnn/expr_ops.h) with the arguments filled in.
std::string expr_code(ExprOp op, ExprDialect dialect, const std::string& a, const std::string& b, const std::string& c);
// Helper functions (name, definition), each listed after those it calls: the definitions that
// `code` needs, directly or through other helpers, in that order.
struct ExprHelper {
  const char* name;
  const char* code;
};
std::vector<std::string> expr_helpers(const std::vector<ExprHelper>& helpers, const std::string& code);

// The reference semantics of one node (webdnn/expr_ops.h), shared by every evaluator in C++.
double expr_apply(ExprOp op, double a, double b, double c);

}  // namespace webdnn
