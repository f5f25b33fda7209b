#include "src/frontend/onnx/importer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "src/frontend/onnx/model_file.h"
#include "src/frontend/onnx/node_context.h"
#include "src/frontend/onnx/tensor_proto.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

constexpr int64_t kMinOpset = 7, kMaxOpset = 23;

std::string directory_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string node_label(const onnx::NodeProto& node, int index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}

// The nodes without a handler, by operator type, in `graph` and its subgraphs (If's branches).
void find_missing(const onnx::GraphProto& graph, std::map<std::string, std::vector<std::string>>& missing) {
  for (int i = 0; i < graph.node_size(); i++) {
    const auto& node = graph.node(i);
    for (const auto& a : node.attribute())
      if (a.has_g()) find_missing(a.g(), missing);
    if (find_handler(node.domain(), node.op_type())) continue;
    std::string type = node.domain().empty() || node.domain() == "ai.onnx" ? node.op_type()
                                                                           : node.domain() + "." + node.op_type();
    missing[type].push_back(node_label(node, i));
  }
}

// Every op type without a handler, with the nodes using it, in one message.
void check_supported(const onnx::GraphProto& graph, const std::string& path) {
  std::map<std::string, std::vector<std::string>> missing;
  find_missing(graph, missing);
  if (missing.empty()) return;
  std::ostringstream s;
  s << "'" << path << "' uses " << missing.size() << " unsupported operator type"
    << (missing.size() > 1 ? "s" : "") << ":";
  for (auto& [type, nodes] : missing) {
    s << "\n  " << type << " (" << nodes.size() << " node" << (nodes.size() > 1 ? "s" : "") << "): ";
    for (size_t i = 0; i < nodes.size(); i++) {
      if (i == 8) {
        s << ", ... and " << nodes.size() - 8 << " more";
        break;
      }
      s << (i ? ", " : "") << nodes[i];
    }
  }
  s << "\nSupported operator types: ";
  auto names = handler_names();
  for (size_t i = 0; i < names.size(); i++) s << (i ? " " : "") << names[i];
  throw Error(s.str());
}

// A symbol's name as the dims' grammar takes it (letters, digits, '_'; not a function's name).
std::string symbol_name(const std::string& given) {
  std::string n;
  for (char c : given) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) n = "d_" + n;
  if (n == "div" || n == "max" || n == "min") n += "_";
  return n.substr(0, 64);
}

// The model's free dimensions, made as the inputs declare them: one symbol per dim_param (two
// inputs naming the same one share it), one per unnamed free dimension.
class Symbols {
 public:
  Symbols(ir::Graph& graph, const ImportOptions& options) : graph_(graph), options_(options) {}

  Dim get(const std::string& name) {
    auto it = dims_.find(name);
    if (it != dims_.end()) return it->second;
    SymbolRange r;
    if (auto given = options_.dim_ranges.find(name); given != options_.dim_ranges.end()) {
      r.min = given->second.first;
      r.max = given->second.second;
      // A range of one value pins it: the model is converted for that size (an export that
      // declares a free batch but reshapes to batch 1 runs with --dim batch=1..1).
      if (r.min == r.max) return dims_[name] = Dim(r.min);
    }
    // The sample the converter decides by (webdnn/dim.h): large enough that no size derived from
    // it collapses to 1 and looks broadcastable, small enough for position tables, and different
    // for each symbol so that two of them are never taken for one.
    r.hint = std::clamp<int64_t>(kSample + 2 * static_cast<int64_t>(dims_.size()), r.min, r.max);
    graph_.symbols[name] = r;
    return dims_[name] = Dim::symbol(name, r.hint, r.min, r.max);
  }
  // --dim names that no input declares.
  void check_used() const {
    for (auto& [name, range] : options_.dim_ranges)
      if (!dims_.count(name)) {
        std::string known;
        for (auto& [n, d] : dims_) known += (known.empty() ? "" : ", ") + n;
        fail("--dim names '", name, "', which is not a free dimension of the model's inputs (",
             known.empty() ? "it has none" : "they are: " + known, ")");
      }
  }

 private:
  static constexpr int64_t kSample = 37;
  ir::Graph& graph_;
  const ImportOptions& options_;
  std::map<std::string, Dim> dims_;
};

DimShape input_dims(const onnx::ValueInfoProto& info, const ImportOptions& options, Symbols& symbols) {
  const auto& type = info.type().tensor_type();
  auto given = options.input_shapes.find(info.name());
  std::vector<std::string> declared_dims;
  DimShape dims;
  for (int i = 0; i < type.shape().dim_size(); i++) {
    const auto& d = type.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() > 0) {
      declared_dims.push_back(std::to_string(d.dim_value()));
      dims.push_back(d.dim_value());
    } else {
      std::string name = symbol_name(d.has_dim_param() && !d.dim_param().empty() ? d.dim_param()
                                                                              : info.name() + "_" + std::to_string(i));
      declared_dims.push_back(d.has_dim_param() && !d.dim_param().empty() ? d.dim_param() : "?");
      dims.push_back(given == options.input_shapes.end() ? symbols.get(name) : Dim(-1));
    }
  }
  std::string declared = "[";
  for (size_t i = 0; i < declared_dims.size(); i++) declared += (i ? "," : "") + declared_dims[i];
  declared += "]";
  if (given != options.input_shapes.end()) {
    const Shape& s = given->second;
    WEBDNN_CHECK(!type.has_shape() || s.size() == dims.size(), "--input-shape ", info.name(), " gives rank ",
                 s.size(), " but the model declares ", declared);
    for (size_t i = 0; i < dims.size(); i++)
      WEBDNN_CHECK(dims[i].hint() < 0 || dims[i].hint() == s[i], "--input-shape ", info.name(), "=", shape_to_string(s),
                   " disagrees with the model's ", declared, " at axis ", i);
    for (int64_t d : s) WEBDNN_CHECK(d > 0, "--input-shape ", info.name(), " has a non-positive dimension");
    return DimShape(s.begin(), s.end());
  }
  WEBDNN_CHECK(type.has_shape(), "input '", info.name(), "' declares no shape, not even its rank; give it with --input-shape ",
               info.name(), "=D1,D2,...");
  return dims;
}

// Names end up in JSON descriptors, which hold UTF-8 only (as ONNX's strings must be).
void check_names(const onnx::GraphProto& g, const std::string& path) {
  auto check = [&](const std::string& name, const std::string& what) {
    WEBDNN_CHECK(valid_utf8(name), "'", path, "': the name of ", what, " is not valid UTF-8");
  };
  for (int i = 0; i < g.input_size(); i++) check(g.input(i).name(), "graph input " + std::to_string(i));
  for (int i = 0; i < g.output_size(); i++) check(g.output(i).name(), "graph output " + std::to_string(i));
  for (int i = 0; i < g.initializer_size(); i++) check(g.initializer(i).name(), "initializer " + std::to_string(i));
  for (int i = 0; i < g.node_size(); i++) {
    const auto& node = g.node(i);
    std::string what = "node " + std::to_string(i);
    check(node.name(), what);
    check(node.op_type(), what + "'s op type");
    check(node.domain(), what + "'s domain");
    for (const auto& in : node.input()) check(in, "an input of " + what);
    for (const auto& out : node.output()) check(out, "an output of " + what);
  }
}

// Gives `v` the name `name`, moving any other holder of that name aside, except a graph input:
// a model may name an output after an input, and both names are what its user knows.
void rename(ir::Graph& graph, ir::Variable* v, const std::string& name) {
  if (v->name == name) return;
  ir::Variable* other = graph.find_variable(name);
  if (other && std::find(graph.inputs.begin(), graph.inputs.end(), other) == graph.inputs.end())
    other->name = graph.unique_name(name + "_renamed");
  v->name = name;
}

// A float16, bfloat16 or float64 input or output is computed in float32 (as the model's weights
// of those types are widened); the graph remembers the declared type for the runtimes' edges.
void note_port_type(ir::Graph& graph, const onnx::ValueInfoProto& info) {
  if (!info.type().has_tensor_type()) return;
  switch (info.type().tensor_type().elem_type()) {
    case onnx::TensorProto::FLOAT16: graph.port_types[info.name()] = "float16"; break;
    case onnx::TensorProto::BFLOAT16: graph.port_types[info.name()] = "bfloat16"; break;
    case onnx::TensorProto::DOUBLE: graph.port_types[info.name()] = "float64"; break;
    default: break;
  }
}

std::unique_ptr<ir::Graph> import_model(const onnx::ModelProto& model, const std::string& path, const ModelDir& model_dir,
                                        const ImportOptions& options) {
  auto progress = [&](const std::string& step, double done) {
    if (options.progress) options.progress(step, done);
  };
  int64_t opset = default_opset(model);
  WEBDNN_CHECK(opset >= kMinOpset && opset <= kMaxOpset, "'", path, "' uses opset ", opset, "; webdnn supports opsets ",
               kMinOpset, " to ", kMaxOpset);
  const onnx::GraphProto& g = model.graph();
  check_names(g, path);
  check_supported(g, path);

  auto graph = std::make_unique<ir::Graph>();
  std::map<std::string, ir::Variable*> values;
  std::set<std::string> initializer_names;
  Symbols symbols(*graph, options);
  const std::string reading = "reading " + std::to_string(g.initializer_size()) + " initializers";
  progress(reading, 0);
  for (int i = 0; i < g.initializer_size(); i++) {
    const auto& init = g.initializer(i);
    initializer_names.insert(init.name());
    values[init.name()] = graph->add_constant(init.name(), tensor_from_proto(init, model_dir));
    progress(reading, (i + 1.0) / g.initializer_size());
  }
  for (const auto& info : g.input()) {
    if (initializer_names.count(info.name())) continue;  // old models list initializers as inputs too
    std::string what = "input '" + info.name() + "'";
    WEBDNN_CHECK(info.type().has_tensor_type(), what, " is not a tensor");
    DType dtype = import_dtype(info.type().tensor_type().elem_type(), what);
    note_port_type(*graph, info);
    ir::Variable* v = graph->add_variable(info.name(), dtype, {});
    v->set_dims(input_dims(info, options, symbols));
    graph->inputs.push_back(v);
    values[info.name()] = v;
  }
  symbols.check_used();
  for (auto& [name, shape] : options.input_shapes) {
    bool found = false;
    for (ir::Variable* v : graph->inputs) found |= v->name == name;
    if (!found) {
      std::string known;
      for (ir::Variable* v : graph->inputs) known += (known.empty() ? "" : ", ") + v->name;
      fail("--input-shape names '", name, "', which is not an input of the model (inputs: ", known, ")");
    }
  }

  // The ONNX element types known by name: the IR keeps every integer type as int64, but a few
  // handlers need the width (BitwiseNot of uint8 is 255 - x).
  std::map<std::string, int> elem_types;
  for (const auto* infos : {&g.input(), &g.value_info(), &g.output()})
    for (const auto& info : *infos)
      if (info.type().has_tensor_type()) elem_types[info.name()] = info.type().tensor_type().elem_type();
  for (const auto& init : g.initializer()) elem_types[init.name()] = init.data_type();

  ir::DimScope dims(*graph);
  // One node through its handler; an If whose condition is known imports the nodes of its branch
  // (initializers first) the same way, their outer names in scope as ONNX's subgraphs see them.
  std::function<void(const onnx::NodeProto&, const std::string&)> import_node;
  auto import_branch = [&](const onnx::GraphProto& branch) {
    for (const auto& init : branch.initializer())
      values[init.name()] = graph->add_constant(init.name(), tensor_from_proto(init, model_dir));
    for (int i = 0; i < branch.node_size(); i++) import_node(branch.node(i), node_label(branch.node(i), i));
  };
  import_node = [&](const onnx::NodeProto& node, const std::string& label) {
    NodeContext ctx(node, opset, *graph, values, model_dir, label);
    ctx.set_elem_types(&elem_types);
    ctx.set_branch_importer(import_branch);
    GuardScope::set_where("node '" + label + "' (" + node.op_type() + ")");
    try {
      find_handler(node.domain(), node.op_type())(ctx);
    } catch (const Error& e) {
      fail("node '", label, "' (", node.op_type(), "): ", e.what());
    }
    if (node.op_type() == "Cast" && (node.domain().empty() || node.domain() == "ai.onnx") && node.output_size() == 1)
      elem_types[node.output(0)] = static_cast<int>(ctx.attr_int("to", 0));
    for (int k = 0; k < node.output_size(); k++)
      WEBDNN_CHECK(node.output(k).empty() || values.count(node.output(k)), "node '", label, "' (", node.op_type(),
                   ") did not produce its output '", node.output(k), "'");
  };
  const std::string importing = "importing " + std::to_string(g.node_size()) + " nodes";
  progress(importing, 0);
  for (int i = 0; i < g.node_size(); i++) {
    import_node(g.node(i), node_label(g.node(i), i));
    progress(importing, (i + 1.0) / g.node_size());
  }

  std::set<ir::Variable*> taken;
  for (const auto& info : g.output()) {
    auto it = values.find(info.name());
    WEBDNN_CHECK(it != values.end(), "graph output '", info.name(), "' is not computed by any node");
    ir::Variable* v = it->second;
    bool reusable = v->producer && !taken.count(v);
    if (!reusable) {  // an input, a constant, or a second output of one variable: give it its own copy
      v = graph->add_operator("Identity", "output:" + info.name(), Json::object(), {v}, 1)->output();
    }
    rename(*graph, v, info.name());
    note_port_type(*graph, info);
    taken.insert(v);
    graph->outputs.push_back(v);
  }
  graph->prune();
  ir::validate(*graph);
  return graph;
}

}  // namespace

std::unique_ptr<ir::Graph> import_file(const std::string& path, const ImportOptions& options) {
  return import_model(read_model(path), path, directory_of(path), options);
}

std::unique_ptr<ir::Graph> import_bytes(const std::string& bytes, const std::string& name, const ImportOptions& options) {
  return import_model(parse_model(bytes, name), name, std::nullopt, options);
}

}  // namespace webdnn::onnx_frontend
