#include "src/ir/serialize.h"

#include <cstring>
#include <map>

#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::ir {
namespace {

size_t index_of(const Json& v, size_t count, const std::string& what) {
  WEBDNN_CHECK(v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() < static_cast<int64_t>(count), what,
               " must be a variable number below ", count, ", not ", v.dump());
  return v.get<size_t>();
}

// Parameters with every {"dim": EXPR} replaced by its value (the symbols in scope are numbers).
Json bind_params(const Json& params, const std::string& where) {
  if (params.is_object()) {
    if (params.size() == 1 && params.contains("dim") && params.at("dim").is_string()) {
      Dim d = params::dim_from_json(params, where);
      auto c = d.constant();
      WEBDNN_CHECK(c, where, ": '", d.to_string(), "' is not a number once the symbols are bound");
      return *c;
    }
    Json out = Json::object();
    for (auto& [key, value] : params.items()) out[key] = bind_params(value, where);
    return out;
  }
  if (params.is_array()) {
    Json out = Json::array();
    for (const Json& v : params) out.push_back(bind_params(v, where));
    return out;
  }
  return params;
}

}  // namespace

Json graph_to_json(const Graph& graph, const std::function<int64_t(const Tensor&)>& store) {
  std::vector<Operator*> schedule = graph.topological_order();
  std::map<const Variable*, size_t> index;
  Json variables = Json::array();
  auto add = [&](const Variable* v) {
    if (!v || index.count(v)) return;
    index[v] = variables.size();
    Json j = {{"name", v->name}, {"dtype", dtype_name(v->dtype)}, {"shape", params::dims_json(v->dims)},
              {"axes", v->axes}, {"order", v->order}};
    if (v->is_constant()) {
      j["offset"] = store(*v->data);
      j["bytes"] = v->data->bytes.size();
    }
    variables.push_back(std::move(j));
  };
  for (const Variable* v : graph.inputs) add(v);
  Json operators = Json::array();
  for (const Operator* op : schedule) {
    Json ins = Json::array(), outs = Json::array();
    for (const Variable* v : op->inputs) {
      add(v);
      ins.push_back(v ? static_cast<int64_t>(index.at(v)) : -1);
    }
    for (const Variable* v : op->outputs) {
      add(v);
      outs.push_back(index.at(v));
    }
    operators.push_back({{"type", op->type}, {"name", op->name}, {"params", op->params}, {"inputs", ins}, {"outputs", outs}});
  }
  Json inputs = Json::array(), outputs = Json::array();
  for (const Variable* v : graph.inputs) inputs.push_back(index.at(v));
  for (const Variable* v : graph.outputs) {
    add(v);  // an output that no operator writes: an input or a constant
    outputs.push_back(index.at(v));
  }
  Json symbols = Json::array(), guards = Json::array();
  for (auto& [name, r] : graph.symbols) symbols.push_back({{"name", name}, {"min", r.min}, {"max", r.max}, {"hint", r.hint}});
  for (const Guard& g : graph.guards) guards.push_back({{"lhs", params::dim_json(g.lhs)}, {"equal", g.equal}, {"where", g.where}});
  return {{"variables", variables}, {"operators", operators}, {"graph_inputs", inputs}, {"graph_outputs", outputs},
          {"symbols", symbols}, {"guards", guards}};
}

std::unique_ptr<Graph> graph_from_json(const Json& json, const uint8_t* weights, size_t size, const Bindings* bindings) {
  auto graph = std::make_unique<Graph>();
  const std::string top = "the symbolic graph";
  std::map<std::string, Dim> symbols;
  for (const Json& s : json_list(json, "symbols", top)) {
    params::Reader r(s, "field");
    const Json& name = json_field(s, "name", top + "'s symbol");
    WEBDNN_CHECK(name.is_string(), top, ": a symbol's name must be a string");
    std::string n = name.get<std::string>();
    SymbolRange range;
    range.min = r.integer("min", 0, params::kMaxExtent);
    range.max = r.integer("max", range.min, params::kMaxExtent);
    range.hint = r.integer("hint", range.min, range.max);
    if (bindings) {
      auto it = bindings->find(n);
      WEBDNN_CHECK(it != bindings->end(), top, ": symbol '", n, "' has no value");
      symbols.emplace(n, Dim(it->second));
    } else {
      graph->symbols[n] = range;
      symbols.emplace(n, Dim::symbol(n, range.hint, range.min, range.max));
    }
  }
  SymbolScope scope(symbols);
  GuardScope guards;  // comparisons while inferring; the graph's own guards are read below
  if (!bindings) {
    for (const Json& g : json_list(json, "guards", top)) {
      Guard guard;
      guard.lhs = params::dim_from_json(json_field(g, "lhs", top + "'s guard"), top + "'s guard");
      guard.equal = json_field(g, "equal", top + "'s guard").get<bool>();
      guard.where = g.value("where", std::string());
      graph->guards.push_back(std::move(guard));
    }
  }

  const Json& vars = json_list(json, "variables", top);
  std::vector<Variable*> variables;
  std::vector<DimShape> written;
  for (size_t i = 0; i < vars.size(); i++) {
    const Json& v = vars[i];
    std::string where = top + "'s variable " + std::to_string(i);
    params::Reader r(v, "field");
    const Json& name = json_field(v, "name", where);
    WEBDNN_CHECK(name.is_string(), where, ": field 'name' must be a string");
    where += " ('" + name.get<std::string>() + "')";
    DType dtype;
    DimShape dims;
    try {
      dtype = r.dtype("dtype");
      dims = r.dims("shape", -1, 0, params::kMaxExtent);
    } catch (const Error& e) {
      fail(where, ": ", e.what());
    }
    Variable* var = graph->add_variable(name.get<std::string>(), dtype, {});
    var->set_dims(dims);
    if (v.contains("offset")) {
      int64_t offset = r.integer("offset", 0, params::kMaxExtent), bytes = r.integer("bytes", 0, params::kMaxExtent);
      WEBDNN_CHECK(var->is_static(), where, ": a constant must have a fixed shape");
      Tensor t(dtype, var->shape);
      WEBDNN_CHECK(static_cast<int64_t>(t.bytes.size()) == bytes && static_cast<uint64_t>(offset + bytes) <= size, where,
                   ": its data (", bytes, " bytes at ", offset, ") does not fit its shape or the weights (", size, " bytes)");
      if (bytes) std::memcpy(t.bytes.data(), weights + offset, static_cast<size_t>(bytes));
      var->data = std::move(t);
    }
    std::vector<std::string> axes = json_field(v, "axes", where).get<std::vector<std::string>>();
    std::vector<int> order = json_field(v, "order", where).get<std::vector<int>>();
    WEBDNN_CHECK(axes.size() == dims.size() && order.size() == dims.size(), where, ": 'axes' and 'order' must have one entry per axis");
    var->axes = axes;
    var->order = order;
    variables.push_back(var);
    written.push_back(var->dims);
  }
  auto var_at = [&](const Json& j, const std::string& what) { return variables[index_of(j, variables.size(), what)]; };

  const Json& ops = json_list(json, "operators", top);
  for (size_t i = 0; i < ops.size(); i++) {
    const Json& o = ops[i];
    std::string where = top + "'s operator " + std::to_string(i);
    const Json& type = json_field(o, "type", where);
    const Json& name = json_field(o, "name", where);
    WEBDNN_CHECK(type.is_string() && name.is_string(), where, ": 'type' and 'name' must be strings");
    where += " ('" + name.get<std::string>() + "')";
    std::vector<Variable*> ins, outs;
    for (const Json& k : json_list(o, "inputs", where))
      ins.push_back(k.is_number_integer() && k.get<int64_t>() == -1 ? nullptr : var_at(k, where + " input"));
    for (const Json& k : json_list(o, "outputs", where)) outs.push_back(var_at(k, where + " output"));
    Json params = json_field(o, "params", where);
    if (bindings) params = bind_params(params, where);
    Operator* op;
    try {
      op = graph->add_operator(type.get<std::string>(), name.get<std::string>(), params, ins, outs);
    } catch (const Error& e) {
      fail(where, ": ", e.what());
    }
    // Inference sets each output's dims again (and its default axes): they must be the ones
    // written, and the axes and memory order are the file's.
    for (const Json& k : o.at("outputs")) {
      size_t v = k.get<size_t>();
      Variable* out = variables[v];
      WEBDNN_CHECK(identical(out->dims, written[v]), where, ": output '", out->name, "' comes out ",
                   shape_to_string(out->dims), ", not ", shape_to_string(written[v]), " as written");
      out->axes = vars[v].at("axes").get<std::vector<std::string>>();
      out->order = vars[v].at("order").get<std::vector<int>>();
    }
    (void)op;
  }
  for (const Json& k : json_list(json, "graph_inputs", top)) graph->inputs.push_back(var_at(k, top + "'s input"));
  for (const Json& k : json_list(json, "graph_outputs", top)) graph->outputs.push_back(var_at(k, top + "'s output"));
  return graph;
}

}  // namespace webdnn::ir
