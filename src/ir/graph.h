// The IR: a DAG of Operators and Variables.
//
// A Variable has a dtype, a logical shape with named axes, and an Order: the permutation of its
// logical axes as laid out in memory (order[0] outermost). A constant Variable holds its data,
// stored in the Variable's memory order. An Operator has a type, parameters (JSON), inputs and
// outputs; what it means is given by its OpSchema (src/ops).
#pragma once
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "webdnn/dim.h"
#include "webdnn/dtype.h"
#include "webdnn/json.h"
#include "webdnn/shape.h"
#include "webdnn/tensor.h"

namespace webdnn::ir {

class Operator;

class Variable {
 public:
  std::string name;
  DType dtype = DType::Float32;
  // Its dims (webdnn/dim.h): numbers, or expressions of the model's free dimensions. `shape`
  // holds their hints, the values at the sample binding, for the code that needs numbers; code
  // that reads `shape` where `dims` are symbolic must say why that is sound (or give up).
  Shape shape;
  DimShape dims;
  std::vector<std::string> axes;  // one name per logical axis, e.g. N C H W
  std::vector<int> order;         // memory order as a permutation of logical axes
  std::optional<Tensor> data;     // set for constants, in memory order

  Operator* producer = nullptr;
  std::vector<Operator*> consumers;

  bool is_constant() const { return data.has_value(); }
  int rank() const { return static_cast<int>(shape.size()); }
  int64_t size() const { return num_elements(shape); }
  int64_t bytes() const { return size() * static_cast<int64_t>(dtype_size(dtype)); }
  bool has_default_order() const;
  Shape strides() const { return strides_for_order(shape, order); }
  DimShape dim_strides() const;  // the same, of its dims
  // Sets shape (and dims to the same numbers), and resets axes/order to defaults of that rank.
  void set_shape(const Shape& s);
  // Sets dims, and shape to their hints.
  void set_dims(const DimShape& d);
  bool is_static() const;  // every dim a number
  // The constant's data in logical (row-major) order, whatever the memory order.
  Tensor logical_data() const;
};

// Whether the element at each row-major position of `a` and of `b` lies at the same place: the same
// strides, or both laid out row-major with as many elements of one size (what Reshape reads and
// writes). An operator's output may then take over its input's memory (Traits::inplace).
bool can_share_memory(const Variable& a, const Variable& b);

class Operator {
 public:
  std::string type;
  std::string name;
  Json params = Json::object();
  std::vector<Variable*> inputs;
  std::vector<Variable*> outputs;

  Variable* input(size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
  Variable* output(size_t i = 0) const { return outputs.at(i); }
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  // A deep copy (each backend rewrites its own).
  std::unique_ptr<Graph> clone() const;
  bool contains(const Operator* op) const;

  std::vector<Variable*> inputs;
  std::vector<Variable*> outputs;
  // The model's free dimensions by name (webdnn/dim.h); empty for a model of fixed shapes.
  std::map<std::string, SymbolRange> symbols;
  // The symbols as dims, to parse dims written as text (SymbolScope).
  std::map<std::string, Dim> symbol_dims() const;
  // What the conversion assumed of them (webdnn/dim.h), for the runtime to check.
  std::vector<Guard> guards;
  // Inputs and outputs, by name, that the model declares in a floating type other than float32
  // ("float16", "bfloat16", "float64"): computed in float32, converted at the runtimes' edges.
  std::map<std::string, std::string> port_types;

  // A new symbol for a size that only the input values decide (webdnn/params.h, "data symbols"):
  // named after `base`, in [0, max], with `hint` as its sample value; declared in the current
  // DimScope too.
  Dim add_data_symbol(const std::string& base, int64_t hint, int64_t max);
  Variable* add_variable(const std::string& name, DType dtype, const Shape& shape);
  Variable* add_constant(const std::string& name, Tensor data);
  // Adds an operator, links it to its variables and infers its outputs' dtype and shape.
  Operator* add_operator(const std::string& type, const std::string& name, Json params,
                         const std::vector<Variable*>& inputs, const std::vector<Variable*>& outputs);
  // Shorthand: creates the outputs, named after the operator.
  Operator* add_operator(const std::string& type, const std::string& name, Json params,
                         const std::vector<Variable*>& inputs, int num_outputs = 1);

  void remove_operator(Operator* op);
  // Points every consumer (and graph output) of `from` at `to`.
  void replace_uses(Variable* from, Variable* to);
  void set_input(Operator* op, size_t index, Variable* v);
  // Drops variables and operators that no graph output depends on.
  void prune();

  // Operators in a topological order (stable with respect to insertion order).
  std::vector<Operator*> topological_order() const;
  std::vector<Variable*> variables() const;
  size_t num_operators() const { return operators_.size(); }
  std::string unique_name(const std::string& base);
  Variable* find_variable(const std::string& name) const;

 private:
  std::list<std::unique_ptr<Variable>> variables_;
  std::list<std::unique_ptr<Operator>> operators_;
  int name_counter_ = 0;
};

// While it lives, dims written as text in the graph's parameters parse (SymbolScope), and what
// comparisons of its dims assume is recorded (GuardScope) and added to graph.guards at the end.
// Whatever reads or rewrites a graph with free dimensions runs inside one.
class DimScope {
 public:
  explicit DimScope(Graph& graph) : graph_(graph), symbols_(graph.symbol_dims()) {}
  ~DimScope();

 private:
  Graph& graph_;
  SymbolScope symbols_;
  GuardScope guards_;
};

// How an operator's outputs follow from its inputs and parameters. The operator definitions
// (src/ops) register theirs, so that the IR itself depends on no operator.
using OutputInference = void (*)(Operator& op);
void set_output_inference(OutputInference infer);
// Sets op's outputs' dtype, shape and axes; throws webdnn::Error when the op is malformed.
void infer_outputs(Operator& op);

// Throws webdnn::Error describing the first broken invariant: a cycle, a variable produced twice,
// dangling links, or a shape that disagrees with the operator's own inference.
void validate(const Graph& graph);
// A readable listing of the graph: inputs, constants, operators in order, outputs.
std::string dump(const Graph& graph);

}  // namespace webdnn::ir
