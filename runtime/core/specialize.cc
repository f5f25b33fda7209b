#include "runtime/core/specialize.h"

#include <algorithm>
#include <cctype>

#include "runtime/core/memory_plan.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::runtime {
namespace {

// The variable index a port or a kernel names, checked against the variables.
size_t variable_index(const Json& v, size_t count, const std::string& where) {
  WEBDNN_CHECK(v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() < static_cast<int64_t>(count), where,
               " refers to variable ", v.dump(), " of ", count);
  return static_cast<size_t>(v.get<int64_t>());
}

bool identifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return s != "div" && s != "max" && s != "min";
}

// Every {"dim": ...} inside `j`, parsed, and where it is.
void find_dims(Json& j, const std::string& where, std::vector<std::pair<Json*, Dim>>& sites) {
  if (j.is_object() && j.size() == 1 && j.contains("dim")) {
    sites.emplace_back(&j, params::dim_from_json(j, where));
  } else if (j.is_array() || j.is_object()) {
    for (auto& e : j) find_dims(e, where, sites);
  }
}

std::string input_name(const Signature& s, size_t i) { return "input '" + s.inputs[i].first + "'"; }

}  // namespace

Signature read_signature(const Json& d) {
  Signature s;
  if (d.contains("symbols")) {
    const Json& list = json_list(d, "symbols", "the descriptor");
    WEBDNN_CHECK(list.size() <= 64, "the descriptor has ", list.size(), " symbols; at most 64 are allowed");
    for (size_t i = 0; i < list.size(); i++) {
      std::string where = "the descriptor's symbol " + std::to_string(i);
      const Json& name = json_field(list[i], "name", where);
      WEBDNN_CHECK(name.is_string() && identifier(name.get<std::string>()), where,
                   ": field 'name' must be an identifier, not ", name.dump());
      params::Reader r(list[i], "field");
      SymbolRange sym;
      sym.min = r.integer("min", 0, params::kMaxExtent);
      sym.max = r.integer("max", sym.min, params::kMaxExtent);
      sym.hint = r.integer("hint", sym.min, sym.max);
      std::string n = name.get<std::string>();
      WEBDNN_CHECK(!s.symbols.count(n), where, ": symbol '", n, "' is declared twice");
      s.symbols[n] = Dim::symbol(n, sym.hint, sym.min, sym.max);
      s.ranges[n] = sym;
    }
  }
  SymbolScope scope(s.symbols);
  const Json& variables = json_list(d, "variables", "the descriptor");
  if (d.contains("symbols"))
    for (const Json& e : d.at("symbols")) {
      if (!e.contains("data")) continue;
      std::string name = e.at("name").get<std::string>(), where = "the descriptor's symbol '" + name + "': field 'data'";
      DataSymbol data;
      data.variable = static_cast<int>(variable_index(json_field(e.at("data"), "variable", where), variables.size(), where));
      data.capacity = params::dim_from_json(json_field(e.at("data"), "capacity", where), where + ": field 'capacity'");
      std::vector<std::string> depends = data.capacity.symbols();
      WEBDNN_CHECK(std::find(depends.begin(), depends.end(), name) == depends.end(), where, ": its capacity depends on itself");
      s.data[name] = data;
    }
  if (d.contains("guards")) {
    const Json& list = json_list(d, "guards", "the descriptor");
    WEBDNN_CHECK(list.size() <= 4096, "the descriptor has ", list.size(), " guards; at most 4096 are allowed");
    for (size_t i = 0; i < list.size(); i++) {
      std::string where = "the descriptor's guard " + std::to_string(i);
      Guard g;
      g.lhs = params::dim_from_json(json_field(list[i], "lhs", where), where + ": field 'lhs'");
      const Json& equal = json_field(list[i], "equal", where);
      WEBDNN_CHECK(equal.is_boolean(), where, ": field 'equal' must be true or false");
      g.equal = equal.get<bool>();
      const Json& at = json_field(list[i], "where", where);
      g.where = at.is_string() ? at.get<std::string>() : "";
      s.guards.push_back(std::move(g));
    }
  }
  const Json& inputs = json_list(d, "inputs", "the descriptor");
  for (size_t i = 0; i < inputs.size(); i++) {
    std::string where = "the descriptor's input " + std::to_string(i);
    const Json& name = json_field(inputs[i], "name", where);
    WEBDNN_CHECK(name.is_string(), where, ": field 'name' must be a string");
    size_t v = variable_index(json_field(inputs[i], "variable", where), variables.size(), where);
    try {
      s.inputs.emplace_back(name.get<std::string>(), params::Reader(variables[v], "field").dims("shape", -1, 0, params::kMaxExtent));
    } catch (const Error& e) {
      fail("variable ", v, " (", where, "): ", e.what());
    }
  }
  return s;
}

Bindings sample_binding(const Signature& signature) {
  Bindings b;
  for (auto& [name, sym] : signature.ranges) b[name] = sym.hint;
  return b;
}

std::string binding_text(const Bindings& bindings) {
  std::string s;
  for (auto& [name, value] : bindings) s += (s.empty() ? "" : ",") + name + "=" + std::to_string(value);
  return s;
}

Bindings bind_inputs(const Signature& s, const std::vector<Shape>& shapes) {
  WEBDNN_CHECK(shapes.size() == s.inputs.size(), "the model takes ", s.inputs.size(), " inputs; shapes of ",
               shapes.size(), " were given");
  Bindings b;
  std::map<std::string, std::string> bound_by;
  for (size_t i = 0; i < shapes.size(); i++) {
    const DimShape& dims = s.inputs[i].second;
    const Shape& shape = shapes[i];
    WEBDNN_CHECK(shape.size() == dims.size(), input_name(s, i), " has shape ", shape_to_string(shape), " of rank ",
                 shape.size(), "; the model takes rank ", dims.size(), ": ", shape_to_string(dims));
    for (size_t a = 0; a < dims.size(); a++) {
      std::string axis = input_name(s, i) + " axis " + std::to_string(a);
      WEBDNN_CHECK(shape[a] >= 0 && shape[a] <= params::kMaxExtent, axis, " is ", shape[a]);
      if (auto c = dims[a].constant()) {
        WEBDNN_CHECK(*c == shape[a], input_name(s, i), " has shape ", shape_to_string(shape), ": axis ", a, " is ",
                     shape[a], " where the model takes ", *c, " (", shape_to_string(dims), ")");
        continue;
      }
      std::string name = dims[a].to_string();
      auto sym = s.ranges.find(name);
      if (sym == s.ranges.end()) continue;  // an expression: checked below, once every symbol has its value
      auto [it, fresh] = b.emplace(name, shape[a]);
      WEBDNN_CHECK(fresh || it->second == shape[a], axis, " is ", shape[a], ", but ", bound_by[name], " gave '", name,
                   "' the value ", it->second, "; the model takes them equal");
      bound_by.emplace(name, axis);
      WEBDNN_CHECK(shape[a] >= sym->second.min && shape[a] <= sym->second.max, axis, " ('", name, "') is ", shape[a],
                   "; the model was converted for ", name, " in ", sym->second.min, "..", sym->second.max,
                   " (webdnn-convert --dim ", name, "=MIN..MAX sets that range)");
    }
  }
  for (auto& [name, sym] : s.ranges)
    WEBDNN_CHECK(b.count(name) || s.data.count(name), "no input gives the dimension '", name, "' a value");
  for (size_t i = 0; i < shapes.size(); i++)
    for (size_t a = 0; a < shapes[i].size(); a++) {
      int64_t want = s.inputs[i].second[a].evaluate(b);
      WEBDNN_CHECK(want == shapes[i][a], input_name(s, i), " axis ", a, " is ", shapes[i][a], " where the model takes ",
                   s.inputs[i].second[a].to_string(), " = ", want);
    }
  check_guards(s, b);
  return b;
}

void check_guards(const Signature& s, const Bindings& b, const std::string& symbol) {
  for (const Guard& g : s.guards) {
    std::vector<std::string> names = g.lhs.symbols();
    bool mentioned = symbol.empty() || std::find(names.begin(), names.end(), symbol) != names.end();
    bool bound = std::all_of(names.begin(), names.end(), [&](const std::string& n) { return b.count(n) > 0; });
    if (!mentioned || !bound) continue;  // a guard on a data symbol is checked once it has its value
    WEBDNN_CHECK(g.holds(b), "the model was converted assuming ", g.to_string(),
                 g.where.empty() ? std::string() : " (at " + g.where + ")", ", which ", binding_text(b),
                 " breaks; convert it again with --dim bounds or --input-shape covering these shapes");
  }
}

Specializer::Specializer(const Json& d, const Signature& s) : work_(d) {
  SymbolScope scope(s.symbols);
  work_.erase("symbols");
  work_.erase("guards");
  json_list(d, "variables", "the descriptor");
  WEBDNN_CHECK(work_["kernels"].is_array(), "the descriptor's 'kernels' must be a list");
  Json& memory = work_["memory"];
  WEBDNN_CHECK(memory.is_object(), "the descriptor's 'memory' must be an object");
  // What at() writes exists before the sites are taken: an insertion could move them.
  memory["arena_bytes"] = 0;
  Json& variables = work_["variables"];
  for (size_t v = 0; v < variables.size(); v++) {
    WEBDNN_CHECK(variables[v].is_object(), "variable ", v, " must be an object");
    // Compared as JSON: a location that is not a string is refused by at(), not here by a throw.
    if (variables[v].contains("location") && variables[v]["location"] == "arena" && !variables[v].contains("offset"))
      variables[v]["offset"] = 0;
    find_dims(variables[v], "variable " + std::to_string(v), sites_);
  }
  Json& kernels = work_["kernels"];
  for (size_t k = 0; k < kernels.size(); k++) find_dims(kernels[k], "kernel " + std::to_string(k), sites_);
}

const Json& Specializer::at(const Bindings& b) {
  for (auto& [site, dim] : sites_) *site = dim.evaluate(b);
  Json& out = work_;
  Json& variables = out["variables"];
  Json& kernels = out["kernels"];

  // The arena again, for these sizes: the same planner as the converter's, over the kernels.
  Json& memory = out["memory"];
  int64_t alignment = params::Reader(memory, "field").integer("alignment", 1, 4096);
  std::vector<int> value(variables.size(), -1);
  std::vector<size_t> arena_vars;
  plan::Uses uses;
  for (size_t v = 0; v < variables.size(); v++) {
    params::Reader r(variables[v], "field");
    if (r.choice("location", {"arena", "weights"}) != "arena") continue;
    value[v] = static_cast<int>(arena_vars.size());
    arena_vars.push_back(v);
    int64_t bytes = r.integer("bytes", 0, params::kMaxExtent);
    uses.sizes.push_back((bytes + alignment - 1) / alignment * alignment);
  }
  auto arena_value = [&](const Json& index, const std::string& where) {
    return value[variable_index(index, variables.size(), where)];
  };
  for (const char* ports : {"inputs", "outputs"})
    for (const Json& p : json_list(out, ports, "the descriptor")) {
      int id = arena_value(json_field(p, "variable", ports), ports);
      if (id < 0) continue;
      if (std::string(ports) == "inputs") uses.inputs.push_back(id);
      uses.kept.push_back(id);
    }
  for (size_t k = 0; k < kernels.size(); k++) {
    std::string where = "kernel " + std::to_string(k);
    plan::Uses::Step step;
    for (const Json& v : json_list(kernels[k], "inputs", where))
      if (int id = arena_value(v, where); id >= 0) step.reads.push_back(id);
    for (const Json& v : json_list(kernels[k], "outputs", where))
      if (int id = arena_value(v, where); id >= 0) step.writes.push_back(id);
    if (kernels[k].contains("inplace"))
      for (const Json& pair : json_list(kernels[k], "inplace", where)) {
        WEBDNN_CHECK(pair.is_array() && pair.size() == 2, where, ": field 'inplace' must hold [input, output] pairs");
        int in = arena_value(pair[0], where), to = arena_value(pair[1], where);
        bool ok = in >= 0 && to >= 0 && std::count(step.reads.begin(), step.reads.end(), in) &&
                  std::count(step.writes.begin(), step.writes.end(), to);
        WEBDNN_CHECK(ok, where, ": field 'inplace' pairs an input and an output of its own in the arena");
        step.handovers.emplace_back(in, to);
      }
    uses.steps.push_back(std::move(step));
  }
  plan::Lifetimes lifetimes = plan::plan_lifetimes(uses);
  plan::ArenaPlacement placement = plan::place_in_arena(lifetimes);
  int64_t arena = placement.size;
  for (size_t i = 0; i < arena_vars.size(); i++) {
    int block = lifetimes.block_of[i];
    variables[arena_vars[i]]["offset"] = block < 0 ? 0 : placement.offsets[block];
    if (block < 0) arena = std::max(arena, uses.sizes[i]);  // nothing touches it: any place will do
  }
  memory["arena_bytes"] = arena;
  return out;
}

}  // namespace webdnn::runtime
