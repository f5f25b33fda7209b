// Operator definitions: one OpSchema per IR operator type says how many inputs it takes, how it
// infers its outputs, which attributes rules may rely on, and which reference kernel computes it.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "src/ir/graph.h"
#include "webdnn/expr.h"
#include "webdnn/params.h"

namespace webdnn::ops {

// What rules may assume about an operator instead of knowing its type.
struct Traits {
  bool elementwise = false;  // out[i] depends only on in[i] of each (broadcast) input
  bool commutative = false;  // inputs may be swapped
  bool associative = false;  // (a op b) op c == a op (b op c)
  // (input, output) pairs whose memory the output may take over when the input dies here,
  // where each element lies at the same place in both (shares_memory()).
  std::vector<std::pair<int, int>> inplace;
  // Output axis a is input 0's axis moved_axes[a], its elements moved with it (Transpose); empty
  // when the operator moves no axis.
  std::vector<int> moved_axes;
  // Logical output axes along which the operator can be split into independent pieces.
  std::vector<int> tensorwise;
  // For a tensorwise output axis: the axis of each input that is cut along with it, or -1 when
  // every piece needs that input whole. Axes not listed follow numpy broadcasting alignment.
  std::map<int, std::vector<int>> split_inputs;
  // Output 0 is this input, unchanged (given the constants the operator reads); -1 if none.
  int identity = -1;
  // Output 0 is linear along `output_axis` in the weight input: scaling output channel k is
  // scaling slice k of `weight_input` along `weight_axis` (and of `bias_input`, -1 if none).
  struct ChannelAffine {
    int output_axis = -1, weight_input = -1, weight_axis = -1, bias_input = -1;
  } channel_affine;
  // Input 0 is read linearly along `input_axis`: scaling its channel k is scaling slice k of
  // `weight_input` along `weight_axis` (Conv without groups: input channels are weight axis 1).
  struct InputScale {
    int input_axis = -1, weight_input = -1, weight_axis = -1;
  } input_scale;
  // The operator takes an "epilogue" parameter, an expression applied to each output element
  // (x0 the element, x1... the inputs from this index on); -1 when it does not.
  int epilogue_inputs = -1;
};

struct OpSchema {
  std::string type;
  int min_inputs = 1;
  int max_inputs = 1;  // -1: any number
  int num_outputs = 1;
  // Sets dtype, shape and axes of every output from the inputs and parameters; throws webdnn::Error.
  std::function<void(ir::Operator&)> infer;
  std::function<Traits(const ir::Operator&)> traits;
  // Reference kernel computing this operator, and the parameters it takes (default: op.params).
  std::string kernel;
  std::function<Json(const ir::Operator&)> kernel_params;
  // Elementwise operators only: the expression computing one output element.
  std::function<Expr(const ir::Operator&)> expr;
  // Floating-point operations of one run (a multiply-add counts two), for reports that weigh
  // kernels (e.g. which share of a model runs on a reference kernel); unset: one per output
  // element. Free dimensions count at their sample values.
  std::function<double(const ir::Operator&)> flops;
  // Set for an operator whose output 0 has a size known only from the input values (NonZero,
  // NonMaxSuppression): the most rows it can have. Its parameter "count" names the data symbol
  // of that size and output 1 receives the size (webdnn/params.h); it is never constant-folded.
  std::function<Dim(const ir::Operator&)> capacity;
};

void register_schema(OpSchema schema);
// A schema whose reference kernel is named after its type (most of them).
OpSchema make_schema(const char* type, int min_inputs, int max_inputs, std::function<void(ir::Operator&)> infer,
                     std::function<Traits(const ir::Operator&)> traits, int num_outputs = 1);
const OpSchema* find_schema(const std::string& type);
const OpSchema& schema_of(const std::string& type);  // throws webdnn::Error when unknown
std::vector<std::string> schema_types();

Traits traits_of(const ir::Operator& op);
// Whether output `out` of `op` may take over the memory of input `in` (an inplace pair of its
// traits): each output element at the place its input element holds. With moved axes, that is
// when the output's memory order follows the input's (ir::can_share_memory otherwise).
bool shares_memory(const ir::Operator& op, const Traits& traits, int in, int out);
Json kernel_params_of(const ir::Operator& op);
double flops_of(const ir::Operator& op);
// Whether the operator's output size is found only at run time (its schema has a capacity).
bool finds_size(const ir::Operator& op);
// The flops of an operator whose every output element sums K products.
double product_flops(const ir::Operator& op, int64_t K);
// `schema` with its flops() set.
OpSchema with_flops(OpSchema schema, std::function<double(const ir::Operator&)> flops);
// Runs the schema's inference on `op`, after checking its input count.
void infer(ir::Operator& op);

struct SchemaRegistration {
  explicit SchemaRegistration(OpSchema schema) { register_schema(std::move(schema)); }
};

#define WEBDNN_REGISTER_OP(schema) \
  static ::webdnn::ops::SchemaRegistration WEBDNN_OP_CONCAT(op_registration_, __COUNTER__)(schema)
#define WEBDNN_OP_CONCAT_INNER(a, b) a##b
#define WEBDNN_OP_CONCAT(a, b) WEBDNN_OP_CONCAT_INNER(a, b)

// Helpers shared by schemas.
// Axes labels for an output derived from an input with the same rank, or anonymous ones.
void copy_axes(const ir::Variable& from, ir::Variable& to);
void set_output(ir::Operator& op, size_t index, DType dtype, const DimShape& dims);
// The dtypes and shapes of op's inputs (missing optional ones left off the end), for the
// operator signatures of webdnn/params.h, and the outputs set from what one returned.
// The inputs' dtypes and dims, for the operator signatures (webdnn/params.h).
params::SymTypes input_types(const ir::Operator& op);
void set_outputs(ir::Operator& op, const params::SymTypes& types);
// The same, each output labelled with the first input's axes where the ranks agree.
void set_like_input(ir::Operator& op, const params::SymTypes& types);
// The axis of `in` aligned with `out`'s `axis` under numpy broadcasting, -1 if none or broadcast.
int aligned_axis(const ir::Variable& in, const ir::Variable& out, int axis);
// Inputs before the epilogue's extra inputs (all of them when there is no epilogue).
size_t core_inputs(const ir::Operator& op, int first_extra);

}  // namespace webdnn::ops
