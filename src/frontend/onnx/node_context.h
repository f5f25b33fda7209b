// What an ONNX op handler sees: the node, its attributes and inputs, and the means to add IR.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"
#include "src/frontend/onnx/tensor_proto.h"
#include "src/ir/graph.h"

namespace webdnn::onnx_frontend {

// Whether `s` is well-formed UTF-8 (what ONNX's strings must be, and JSON holds).
bool valid_utf8(const std::string& s);

class NodeContext {
 public:
  NodeContext(const onnx::NodeProto& node, int64_t opset, ir::Graph& graph,
              std::map<std::string, ir::Variable*>& values, const ModelDir& model_dir, const std::string& name);

  int64_t opset() const { return opset_; }
  const std::string& name() const { return name_; }
  const onnx::NodeProto& node() const { return node_; }

  size_t num_inputs() const { return static_cast<size_t>(node_.input_size()); }
  size_t num_outputs() const { return static_cast<size_t>(node_.output_size()); }
  // nullptr when the input is absent (missing or empty name).
  ir::Variable* input(size_t i) const;
  ir::Variable* required_input(size_t i) const;
  // Inputs that must be known at convert time (shapes, axes, pads...): their data, or an error
  // that names the node and says why.
  Tensor constant_input(size_t i, const char* what) const;
  std::vector<int64_t> constant_ints(size_t i, const char* what) const { return constant_input(i, what).to_ints(); }
  std::vector<float> constant_floats(size_t i, const char* what) const { return constant_input(i, what).to_floats(); }
  bool is_constant(size_t i) const;
  // Inputs that must be known from the model's input shapes (a target shape, a length): numbers,
  // or dims of the model's free dimensions; an error naming the node when they depend on data.
  DimShape dims_input(size_t i, const char* what) const;
  // The same, or nothing where they depend on data.
  std::optional<DimShape> dims_of_input(size_t i) const;
  // A variable holding these integers: a constant when they are numbers, else a DimValues.
  ir::Variable* add_dims(const DimShape& values, bool scalar, DType dtype = DType::Int64);

  // The ONNX element type of input `i` where the model says it (graph inputs, initializers,
  // value_info, Cast outputs), else 0 (UNDEFINED). The IR holds every integer type as int64.
  int onnx_elem_type(size_t i) const;
  void set_elem_types(const std::map<std::string, int>* types) { elem_types_ = types; }

  // A graph attribute (If's branches), and importing its nodes into the graph where this node is.
  const onnx::GraphProto& attr_graph(const std::string& attr) const;
  using BranchImporter = std::function<void(const onnx::GraphProto&)>;
  void set_branch_importer(BranchImporter importer) { import_branch_ = std::move(importer); }
  void import_branch(const onnx::GraphProto& branch) const;
  // The variable an ONNX name stands for (a branch's outputs, once imported).
  ir::Variable* value(const std::string& name) const;

  bool has(const std::string& attr) const;
  int64_t attr_int(const std::string& attr, int64_t fallback) const;
  float attr_float(const std::string& attr, float fallback) const;
  std::string attr_string(const std::string& attr, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(const std::string& attr, std::vector<int64_t> fallback = {}) const;
  std::vector<float> attr_floats(const std::string& attr, std::vector<float> fallback = {}) const;
  Tensor attr_tensor(const std::string& attr) const;

  // Adds an IR operator named after this node. When all its inputs are constants it is
  // evaluated right away and its outputs are constants (this folds shape computations).
  ir::Variable* add(const std::string& type, Json params, const std::vector<ir::Variable*>& inputs);
  std::vector<ir::Variable*> add_multi(const std::string& type, Json params, const std::vector<ir::Variable*>& inputs,
                                       int num_outputs);
  ir::Variable* add_constant(Tensor data);
  // `x` reshaped to `dims` (x itself when it has them already).
  ir::Variable* reshape(ir::Variable* x, const DimShape& dims);
  // The data symbol of this node's output size, which holds at most `capacity` rows
  // (webdnn/params.h, "data symbols").
  Dim data_symbol(const Dim& capacity);
  // Binds ONNX output `i` of this node to a variable.
  void set_output(size_t i, ir::Variable* v);

 private:
  const onnx::AttributeProto* attr(const std::string& name) const;
  void fold_dims(ir::Operator* op);

  const onnx::NodeProto& node_;
  int64_t opset_;
  ir::Graph& graph_;
  std::map<std::string, ir::Variable*>& values_;
  ModelDir model_dir_;
  std::string name_;
  const std::map<std::string, int>* elem_types_ = nullptr;
  BranchImporter import_branch_;
};

using Handler = void (*)(NodeContext&);
void register_handler(const std::string& op_type, Handler handler);
Handler find_handler(const std::string& domain, const std::string& op_type);
std::vector<std::string> handler_names();

struct HandlerRegistration {
  HandlerRegistration(const char* op_type, Handler h) { register_handler(op_type, h); }
};

}  // namespace webdnn::onnx_frontend

// Defines the handler of ONNX op type `op_type`: WEBDNN_ONNX_HANDLER(Relu) { ctx.set_output(...); }
#define WEBDNN_ONNX_HANDLER(op_type)                                                          \
  static void handle_##op_type(::webdnn::onnx_frontend::NodeContext& ctx);                    \
  static ::webdnn::onnx_frontend::HandlerRegistration handler_registration_##op_type(#op_type, \
                                                                                      handle_##op_type); \
  static void handle_##op_type(::webdnn::onnx_frontend::NodeContext& ctx)

// Defines the handler of op type `op_type` of onnxruntime's contrib domain (com.microsoft).
#define WEBDNN_ONNX_MS_HANDLER(op_type)                                                              \
  static void handle_ms_##op_type(::webdnn::onnx_frontend::NodeContext& ctx);                        \
  static ::webdnn::onnx_frontend::HandlerRegistration handler_registration_ms_##op_type("com.microsoft." #op_type, \
                                                                                         handle_ms_##op_type); \
  static void handle_ms_##op_type(::webdnn::onnx_frontend::NodeContext& ctx)
