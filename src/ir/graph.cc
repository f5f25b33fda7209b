#include "src/ir/graph.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "webdnn/error.h"

namespace webdnn::ir {
namespace {
std::vector<std::string> anonymous_axes(size_t rank) {
  std::vector<std::string> axes;
  for (size_t i = 0; i < rank; i++) axes.push_back("d" + std::to_string(i));
  return axes;
}
std::vector<int> identity_order(size_t rank) {
  std::vector<int> order(rank);
  for (size_t i = 0; i < rank; i++) order[i] = static_cast<int>(i);
  return order;
}
}  // namespace

bool Variable::has_default_order() const { return order == identity_order(shape.size()); }

bool can_share_memory(const Variable& a, const Variable& b) {
  if (identical(a.dim_strides(), b.dim_strides())) return true;
  return a.has_default_order() && b.has_default_order() && dtype_size(a.dtype) == dtype_size(b.dtype) &&
         identical(num_elements(a.dims), num_elements(b.dims));
}

void Variable::set_shape(const Shape& s) {
  // Every size later computed from a shape (bytes, strides, texels) is then bounded.
  num_elements(s);
  shape = s;
  dims.assign(s.begin(), s.end());
  if (axes.size() != s.size()) axes = anonymous_axes(s.size());
  if (order.size() != s.size()) order = identity_order(s.size());
}

void Variable::set_dims(const DimShape& d) {
  Shape hints;
  for (const Dim& x : d) hints.push_back(x.hint());
  set_shape(hints);
  dims = d;
}

DimShape Variable::dim_strides() const {
  DimShape s(dims.size());
  Dim step(1);
  for (size_t i = dims.size(); i-- > 0;) {
    size_t axis = order.empty() ? i : static_cast<size_t>(order[i]);
    s[axis] = step;
    step *= dims[axis];
  }
  return s;
}

bool Variable::is_static() const {
  return std::all_of(dims.begin(), dims.end(), [](const Dim& d) { return d.is_constant(); });
}

Tensor Variable::logical_data() const {
  WEBDNN_CHECK(data.has_value(), "variable '", name, "' is not a constant");
  if (has_default_order()) return *data;
  Tensor out(dtype, shape);
  Shape src_strides = strides();
  size_t elem = dtype_size(dtype);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < out.size(); i++) {
    int64_t src = 0;
    for (size_t d = 0; d < shape.size(); d++) src += index[d] * src_strides[d];
    std::copy_n(data->bytes.data() + src * elem, elem, out.bytes.data() + i * elem);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

Variable* Graph::add_variable(const std::string& name, DType dtype, const Shape& shape) {
  auto v = std::make_unique<Variable>();
  v->name = name;
  v->dtype = dtype;
  v->set_shape(shape);
  variables_.push_back(std::move(v));
  return variables_.back().get();
}

Variable* Graph::add_constant(const std::string& name, Tensor data) {
  Variable* v = add_variable(name, data.dtype, data.shape);
  v->data = std::move(data);
  return v;
}

namespace {
OutputInference inference = nullptr;
}  // namespace

void set_output_inference(OutputInference infer) { inference = infer; }

void infer_outputs(Operator& op) {
  WEBDNN_CHECK(inference, "no operator definitions are linked in");
  inference(op);
}

Operator* Graph::add_operator(const std::string& type, const std::string& name, Json params,
                              const std::vector<Variable*>& ins, const std::vector<Variable*>& outs) {
  auto op = std::make_unique<Operator>();
  op->type = type;
  op->name = name;
  op->params = params.is_null() ? Json::object() : std::move(params);  // `{}` in C++ is a null Json
  op->inputs = ins;
  op->outputs = outs;
  for (Variable* v : ins)
    if (v) v->consumers.push_back(op.get());
  for (Variable* v : outs) {
    WEBDNN_CHECK(v->producer == nullptr, "variable '", v->name, "' is already produced by '",
                 v->producer->name, "'");
    v->producer = op.get();
  }
  operators_.push_back(std::move(op));
  Operator* raw = operators_.back().get();
  try {
    infer_outputs(*raw);
  } catch (...) {
    remove_operator(raw);
    throw;
  }
  return raw;
}

Operator* Graph::add_operator(const std::string& type, const std::string& name, Json params,
                              const std::vector<Variable*>& ins, int num_outputs) {
  std::vector<Variable*> outs;
  for (int i = 0; i < num_outputs; i++)
    outs.push_back(add_variable(unique_name(name + (num_outputs > 1 ? ":" + std::to_string(i) : "")),
                                DType::Float32, {}));
  try {
    return add_operator(type, name, std::move(params), ins, outs);
  } catch (...) {
    variables_.remove_if([&](const std::unique_ptr<Variable>& v) {
      return std::find(outs.begin(), outs.end(), v.get()) != outs.end();
    });
    throw;
  }
}

void Graph::remove_operator(Operator* op) {
  for (Variable* v : op->inputs) {
    if (!v) continue;
    auto it = std::find(v->consumers.begin(), v->consumers.end(), op);
    if (it != v->consumers.end()) v->consumers.erase(it);
  }
  for (Variable* v : op->outputs)
    if (v->producer == op) v->producer = nullptr;
  operators_.remove_if([op](const std::unique_ptr<Operator>& p) { return p.get() == op; });
}

void Graph::set_input(Operator* op, size_t index, Variable* v) {
  Variable* old = op->inputs.at(index);
  if (old) {
    auto it = std::find(old->consumers.begin(), old->consumers.end(), op);
    if (it != old->consumers.end()) old->consumers.erase(it);
  }
  op->inputs[index] = v;
  if (v) v->consumers.push_back(op);
}

void Graph::replace_uses(Variable* from, Variable* to) {
  if (from == to) return;
  std::vector<Operator*> consumers = from->consumers;
  for (Operator* op : consumers)
    for (size_t i = 0; i < op->inputs.size(); i++)
      if (op->inputs[i] == from) set_input(op, i, to);
  for (Variable*& out : outputs)
    if (out == from) out = to;
}

void Graph::prune() {
  std::set<const Variable*> live(outputs.begin(), outputs.end());
  std::set<const Operator*> live_ops;
  std::vector<const Variable*> stack(outputs.begin(), outputs.end());
  while (!stack.empty()) {
    const Variable* v = stack.back();
    stack.pop_back();
    if (!v->producer || !live_ops.insert(v->producer).second) continue;
    for (const Variable* in : v->producer->inputs)
      if (in && live.insert(in).second) stack.push_back(in);
    for (const Variable* out : v->producer->outputs) live.insert(out);
  }
  std::vector<Operator*> dead;
  for (auto& op : operators_)
    if (!live_ops.count(op.get())) dead.push_back(op.get());
  for (Operator* op : dead) remove_operator(op);
  for (const Variable* in : inputs) live.insert(in);
  variables_.remove_if([&](const std::unique_ptr<Variable>& v) { return !live.count(v.get()); });
}

std::vector<Operator*> Graph::topological_order() const {
  // Kahn's algorithm, visiting ready operators in insertion order so the schedule is stable.
  std::map<const Operator*, int> pending;
  std::map<const Operator*, size_t> position;
  size_t index = 0;
  for (auto& op : operators_) {
    int n = 0;
    for (Variable* v : op->inputs)
      if (v && v->producer) n++;
    pending[op.get()] = n;
    position[op.get()] = index++;
  }
  auto cmp = [&](const Operator* a, const Operator* b) { return position[a] > position[b]; };
  std::vector<Operator*> ready;
  for (auto& op : operators_)
    if (pending[op.get()] == 0) ready.push_back(op.get());
  std::make_heap(ready.begin(), ready.end(), cmp);
  std::vector<Operator*> order;
  while (!ready.empty()) {
    std::pop_heap(ready.begin(), ready.end(), cmp);
    Operator* op = ready.back();
    ready.pop_back();
    order.push_back(op);
    for (Variable* out : op->outputs)
      for (Operator* c : out->consumers)
        for (Variable* in : c->inputs)
          if (in == out && --pending[c] == 0) {
            ready.push_back(c);
            std::push_heap(ready.begin(), ready.end(), cmp);
          }
  }
  WEBDNN_CHECK(order.size() == operators_.size(), "the graph has a cycle");
  return order;
}

std::vector<Variable*> Graph::variables() const {
  std::vector<Variable*> vs;
  for (auto& v : variables_) vs.push_back(v.get());
  return vs;
}

std::string Graph::unique_name(const std::string& base) {
  if (!find_variable(base)) return base;
  while (true) {
    std::string name = base + "_" + std::to_string(++name_counter_);
    if (!find_variable(name)) return name;
  }
}

Dim Graph::add_data_symbol(const std::string& base, int64_t hint, int64_t max) {
  std::string stem = "count_";  // never one of the expression grammar's words (div, max, min)
  for (char c : base.substr(0, 48)) stem += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  std::string name = stem;
  for (int i = 1; symbols.count(name); i++) name = stem + "_" + std::to_string(i);
  symbols[name] = SymbolRange{0, max, hint, true};
  Dim d = Dim::symbol(name, hint, 0, max);
  SymbolScope::declare(d);
  return d;
}

std::map<std::string, Dim> Graph::symbol_dims() const {
  std::map<std::string, Dim> dims;
  for (auto& [name, r] : symbols) dims.emplace(name, Dim::symbol(name, r.hint, r.min, r.max));
  return dims;
}

DimScope::~DimScope() {
  for (const Guard& g : guards_.guards()) {
    bool known = false;
    for (const Guard& h : graph_.guards) known |= h.equal == g.equal && h.lhs.same(g.lhs);
    if (!known) graph_.guards.push_back(g);
  }
}

std::unique_ptr<Graph> Graph::clone() const {
  auto g = std::make_unique<Graph>();
  std::map<const Variable*, Variable*> vars;
  for (auto& v : variables_) {
    auto copy = std::make_unique<Variable>(*v);
    copy->producer = nullptr;
    copy->consumers.clear();
    vars[v.get()] = copy.get();
    g->variables_.push_back(std::move(copy));
  }
  for (auto& op : operators_) {
    auto copy = std::make_unique<Operator>(*op);
    for (Variable*& in : copy->inputs) {
      in = vars.at(in);
      in->consumers.push_back(copy.get());
    }
    for (Variable*& out : copy->outputs) {
      out = vars.at(out);
      out->producer = copy.get();
    }
    g->operators_.push_back(std::move(copy));
  }
  for (Variable* v : inputs) g->inputs.push_back(vars.at(v));
  for (Variable* v : outputs) g->outputs.push_back(vars.at(v));
  g->name_counter_ = name_counter_;
  g->symbols = symbols;
  g->guards = guards;
  g->port_types = port_types;
  return g;
}

bool Graph::contains(const Operator* op) const {
  for (auto& o : operators_)
    if (o.get() == op) return true;
  return false;
}

Variable* Graph::find_variable(const std::string& name) const {
  for (auto& v : variables_)
    if (v->name == name) return v.get();
  return nullptr;
}

}  // namespace webdnn::ir
