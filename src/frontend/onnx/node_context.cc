#include "src/frontend/onnx/node_context.h"

#include "src/frontend/onnx/dim_eval.h"
#include "src/frontend/onnx/tensor_proto.h"
#include "src/ops/evaluate.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {
std::map<std::string, Handler>& handlers() {
  static std::map<std::string, Handler> h;
  return h;
}
}  // namespace

void register_handler(const std::string& op_type, Handler handler) { handlers()[op_type] = handler; }

Handler find_handler(const std::string& domain, const std::string& op_type) {
  // Other domains' handlers are registered under "domain.OpType" (com.microsoft's contrib ops).
  std::string key = domain.empty() || domain == "ai.onnx" ? op_type : domain + "." + op_type;
  auto it = handlers().find(key);
  return it == handlers().end() ? nullptr : it->second;
}

std::vector<std::string> handler_names() {
  std::vector<std::string> names;
  for (auto& [name, h] : handlers()) names.push_back(name);
  return names;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (n < 0 || s.size() - i <= static_cast<size_t>(n)) return false;
    uint32_t code = n == 0 ? c : c & (0x3f >> n);
    for (int k = 1; k <= n; k++) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d >> 6) != 0x2) return false;
      code = code << 6 | (d & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
    if ((n == 1 && code < 0x80) || (n == 2 && code < 0x800) || (n == 3 && code < 0x10000) || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

NodeContext::NodeContext(const onnx::NodeProto& node, int64_t opset, ir::Graph& graph,
                         std::map<std::string, ir::Variable*>& values, const ModelDir& model_dir,
                         const std::string& name)
    : node_(node), opset_(opset), graph_(graph), values_(values), model_dir_(model_dir), name_(name) {}

ir::Variable* NodeContext::input(size_t i) const {
  if (i >= num_inputs() || node_.input(static_cast<int>(i)).empty()) return nullptr;
  auto it = values_.find(node_.input(static_cast<int>(i)));
  WEBDNN_CHECK(it != values_.end(), "input '", node_.input(static_cast<int>(i)),
               "' is neither a graph input, an initializer nor the output of an earlier node");
  return it->second;
}

ir::Variable* NodeContext::required_input(size_t i) const {
  ir::Variable* v = input(i);
  WEBDNN_CHECK(v, "required input ", i, " is missing");
  return v;
}

bool NodeContext::is_constant(size_t i) const {
  ir::Variable* v = input(i);
  return v && v->is_constant();
}

namespace {

// The values of a small integer variable known as dims: a constant's, or a DimValues' parameters.
std::optional<DimTensor> dim_tensor(const ir::Variable* v) {
  if (!v || v->rank() > 1 || !v->is_static() || v->size() > 64) return std::nullopt;
  if (v->is_constant()) {
    if (v->dtype != DType::Int64 && v->dtype != DType::Int32 && v->dtype != DType::Bool) return std::nullopt;
    std::vector<int64_t> ints = v->logical_data().to_ints();
    return DimTensor{v->dtype, v->shape, DimShape(ints.begin(), ints.end())};
  }
  if (v->producer && v->producer->type == "DimValues")
    return DimTensor{v->dtype, v->shape, params::DimValues::parse(v->producer->params).values};
  return std::nullopt;
}

}  // namespace

std::optional<DimShape> NodeContext::dims_of_input(size_t i) const {
  auto t = dim_tensor(required_input(i));
  if (!t) return std::nullopt;
  return t->values;
}

DimShape NodeContext::dims_input(size_t i, const char* what) const {
  std::optional<DimShape> dims = dims_of_input(i);
  WEBDNN_CHECK(dims, "input ", i, " (", what, ", '", required_input(i)->name,
               "') must follow from the model's input shapes, but it depends on the values of its inputs, which "
               "webdnn cannot take here");
  return *dims;
}

ir::Variable* NodeContext::add_dims(const DimShape& values, bool scalar, DType dtype) {
  std::vector<int64_t> numbers;
  for (const Dim& d : values)
    if (auto c = d.constant()) numbers.push_back(*c);
  Shape shape = scalar ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  if (numbers.size() == values.size()) return add_constant(Tensor::from_ints(shape, numbers, dtype));
  params::DimValues p{dtype, values, scalar};
  return add_multi("DimValues", p.to_json(), {}, 1)[0];
}

Tensor NodeContext::constant_input(size_t i, const char* what) const {
  ir::Variable* v = required_input(i);
  WEBDNN_CHECK(v->is_constant(), "input ", i, " (", what, ", '", v->name,
               "') must be computable at convert time, but it depends on the model's inputs values; "
               "webdnn needs static shapes");
  return v->logical_data();
}

const onnx::AttributeProto* NodeContext::attr(const std::string& name) const {
  for (const auto& a : node_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int NodeContext::onnx_elem_type(size_t i) const {
  if (!elem_types_ || i >= num_inputs()) return 0;
  auto it = elem_types_->find(node_.input(static_cast<int>(i)));
  return it == elem_types_->end() ? 0 : it->second;
}

bool NodeContext::has(const std::string& name) const { return attr(name) != nullptr; }

int64_t NodeContext::attr_int(const std::string& name, int64_t fallback) const {
  const auto* a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::attr_float(const std::string& name, float fallback) const {
  const auto* a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::attr_string(const std::string& name, const std::string& fallback) const {
  const auto* a = attr(name);
  if (!a) return fallback;
  // Strings go into parameters, and so into JSON, which holds UTF-8 only.
  WEBDNN_CHECK(valid_utf8(a->s()), "attribute '", name, "' is not valid UTF-8");
  return a->s();
}

std::vector<int64_t> NodeContext::attr_ints(const std::string& name, std::vector<int64_t> fallback) const {
  const auto* a = attr(name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

std::vector<float> NodeContext::attr_floats(const std::string& name, std::vector<float> fallback) const {
  const auto* a = attr(name);
  return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : fallback;
}

Tensor NodeContext::attr_tensor(const std::string& name) const {
  const auto* a = attr(name);
  WEBDNN_CHECK(a && a->has_t(), "attribute '", name, "' (a tensor) is missing");
  return tensor_from_proto(a->t(), model_dir_);
}

const onnx::GraphProto& NodeContext::attr_graph(const std::string& name) const {
  const auto* a = attr(name);
  WEBDNN_CHECK(a && a->has_g(), "attribute '", name, "' (a graph) is missing");
  return a->g();
}

void NodeContext::import_branch(const onnx::GraphProto& branch) const {
  WEBDNN_CHECK(import_branch_, "subgraphs cannot be imported here");
  import_branch_(branch);
}

ir::Variable* NodeContext::value(const std::string& name) const {
  auto it = values_.find(name);
  WEBDNN_CHECK(it != values_.end(), "'", name, "' is not computed by any node");
  return it->second;
}

ir::Variable* NodeContext::add(const std::string& type, Json params, const std::vector<ir::Variable*>& inputs) {
  return add_multi(type, std::move(params), inputs, 1)[0];
}

ir::Variable* NodeContext::reshape(ir::Variable* x, const DimShape& dims) {
  if (identical(x->dims, dims)) return x;
  return add("Reshape", {{"shape", params::dims_json(dims)}}, {x});
}

Dim NodeContext::data_symbol(const Dim& capacity) {
  std::optional<int64_t> fixed = capacity.constant();
  return graph_.add_data_symbol(name_, capacity.hint(), fixed ? *fixed : params::kMaxExtent);
}

std::vector<ir::Variable*> NodeContext::add_multi(const std::string& type, Json params,
                                                  const std::vector<ir::Variable*>& inputs, int num_outputs) {
  std::string base = num_outputs == 1 && num_outputs <= node_.output_size() && !node_.output(0).empty()
                         ? node_.output(0)
                         : name_;
  for (ir::Variable* v : inputs)  // IR operators have no holes: absent optional inputs are left off the end
    WEBDNN_CHECK(v, "internal: ", type, " was given an absent input");
  std::vector<ir::Variable*> outs;
  for (int i = 0; i < num_outputs; i++) {
    std::string n = i < node_.output_size() && !node_.output(i).empty() ? node_.output(i) : base;
    outs.push_back(graph_.add_variable(graph_.unique_name(n), DType::Float32, {}));
  }
  ir::Operator* op = graph_.add_operator(type, name_, std::move(params), inputs, outs);
  // Outputs without elements are known whatever the inputs hold: constants, so that no kernel or
  // generator meets an empty tensor with a huge axis (a Resize to [0,3,10^10,12] built per-axis
  // tables of 10^10 entries).
  bool empty = true;
  for (ir::Variable* v : outs) empty &= num_elements(v->shape) == 0;
  if (empty) {
    graph_.remove_operator(op);
    for (ir::Variable* v : outs) v->data = Tensor(v->dtype, v->shape);
    return outs;
  }
  bool constant = true;
  for (ir::Variable* v : inputs) constant &= v->is_constant();
  if (!inputs.empty() && !constant) fold_dims(op);
  // Outputs whose shape follows the model's free dimensions are computed at run time.
  for (ir::Variable* v : outs) constant &= v->is_static();
  if (!constant || inputs.empty()) return outs;
  // A quantized weight stays quantized until the optimizer has seen it (record_integer_grid reads
  // its scales); constant folding dequantizes it then.
  if (type == "DequantizeLinear") return outs;
  // Fold: evaluate now and turn the outputs into constants.
  std::vector<Tensor> results = ops::evaluate_constants(*op);
  graph_.remove_operator(op);
  for (size_t i = 0; i < outs.size(); i++) outs[i]->data = std::move(results[i]);
  return outs;
}

// A shape computation on dims: done now (dim_eval.h), the op replaced by what it computes.
void NodeContext::fold_dims(ir::Operator* op) {
  std::vector<DimTensor> args;
  for (ir::Variable* v : op->inputs) {
    auto t = dim_tensor(v);
    if (!t) return;
    args.push_back(std::move(*t));
  }
  auto results = evaluate_dims(*op, args);
  if (!results) return;
  for (const DimTensor& r : *results)
    for (const Dim& d : r.values)
      if (!d.is_constant() && r.dtype != DType::Int64 && r.dtype != DType::Int32) return;
  std::vector<ir::Variable*> outs = op->outputs;
  std::string name = op->name;
  graph_.remove_operator(op);
  for (size_t i = 0; i < outs.size(); i++) {
    const DimTensor& r = (*results)[i];
    std::vector<int64_t> numbers;
    for (const Dim& d : r.values)
      if (auto c = d.constant()) numbers.push_back(*c);
    if (numbers.size() == r.values.size()) {
      outs[i]->data = Tensor::from_ints(r.shape, numbers, r.dtype);
    } else {
      params::DimValues p{r.dtype, r.values, r.shape.empty()};
      graph_.add_operator("DimValues", name, p.to_json(), {}, {outs[i]});
    }
  }
}

ir::Variable* NodeContext::add_constant(Tensor data) {
  std::string n = node_.output_size() > 0 ? node_.output(0) : name_;
  return graph_.add_constant(graph_.unique_name(n), std::move(data));
}

void NodeContext::set_output(size_t i, ir::Variable* v) {
  if (i >= num_outputs() || node_.output(static_cast<int>(i)).empty()) return;
  values_[node_.output(static_cast<int>(i))] = v;
}

}  // namespace webdnn::onnx_frontend
