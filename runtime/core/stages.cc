#include "runtime/core/stages.h"

#include <algorithm>
#include <map>
#include <set>

#include "webdnn/error.h"

namespace webdnn::runtime {
namespace {

int index_of(const Json& v, size_t count, const std::string& where) {
  WEBDNN_CHECK(v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() < static_cast<int64_t>(count), where,
               " refers to variable ", v.dump(), " of ", count);
  return v.get<int>();
}

// Whether the variable's field holds exactly `want` (a descriptor from the network may hold anything).
bool holds(const Json& variable, const char* key, const Json& want) {
  auto it = variable.find(key);
  return variable.is_object() && it != variable.end() && *it == want;
}

bool in_arena(const Json& variable) { return holds(variable, "location", "arena"); }

}  // namespace

std::vector<Stage> split_stages(const Json& d, const Signature& s) {
  const Json& variables = json_list(d, "variables", "the descriptor");
  const Json& kernels = json_list(d, "kernels", "the descriptor");
  const int n = static_cast<int>(variables.size()), end = static_cast<int>(kernels.size());
  // When each variable is written first (-1: a model input) and read last (`end`: a model output).
  std::vector<int> written(n, end), read(n, -1);
  for (int k = 0; k < end; k++) {
    std::string where = "kernel " + std::to_string(k);
    for (const Json& v : json_list(kernels[k], "inputs", where)) read[index_of(v, n, where)] = k;
    for (const Json& v : json_list(kernels[k], "outputs", where)) {
      int i = index_of(v, n, where);
      written[i] = std::min(written[i], k);
    }
  }
  const Json& inputs = json_list(d, "inputs", "the descriptor");
  const Json& outputs = json_list(d, "outputs", "the descriptor");
  for (const Json& p : inputs) written[index_of(json_field(p, "variable", "inputs"), n, "an input")] = -1;
  for (const Json& p : outputs) read[index_of(json_field(p, "variable", "outputs"), n, "an output")] = end;

  // The kernel after which each stage ends, and the symbols found there.
  std::map<int, std::vector<std::pair<std::string, int>>> cuts;
  for (auto& [name, data] : s.data) {
    const Json& v = variables[data.variable];
    int k = written[data.variable];
    WEBDNN_CHECK(k >= 0 && k < end && in_arena(v) && holds(v, "dtype", "int64") && holds(v, "bytes", 8),
                 "the descriptor's symbol '", name, "': its variable ", data.variable,
                 " must be an int64 [1] in the arena that a kernel writes");
    cuts[k].emplace_back(name, data.variable);
  }
  cuts[end];  // the last stage, which finds nothing (and runs no kernel when a size is found last)

  std::vector<Stage> stages;
  std::vector<int> carried;  // variables entering the next stage, in its port order
  int first = 0;
  for (auto& [last, found] : cuts) {
    const bool final = last == end;
    Stage stage;
    Json ins = Json::array(), outs = Json::array();
    if (stages.empty()) {
      ins = inputs;
    } else {
      for (int v : carried) ins.push_back({{"name", "#" + std::to_string(v)}, {"variable", v}});
    }
    // What this stage leaves for later ones: arena variables written before its end, read after.
    std::vector<int> leaving;
    if (final) {
      outs = outputs;
    } else {
      for (int v = 0; v < n; v++)
        if (written[v] <= last && read[v] > last && in_arena(variables[v])) leaving.push_back(v);
      for (auto& [name, v] : found)
        if (std::find(leaving.begin(), leaving.end(), v) == leaving.end()) leaving.push_back(v);
      for (int v : leaving) outs.push_back({{"name", "#" + std::to_string(v)}, {"variable", v}});
      for (auto& [name, v] : found)
        stage.finds.emplace_back(name, static_cast<int>(std::find(leaving.begin(), leaving.end(), v) - leaving.begin()));
    }
    // The stage's own variables, numbered anew.
    std::map<int, int> renumber;
    auto use = [&](const Json& index) {
      int v = index_of(index, n, "stage " + std::to_string(stages.size()));
      auto [it, fresh] = renumber.emplace(v, static_cast<int>(renumber.size()));
      return it->second;
    };
    Json ks = Json::array();
    for (int k = first; k <= last && k < end; k++) {
      Json kernel = kernels[k];
      for (const char* key : {"inputs", "outputs"})
        for (Json& v : kernel[key]) v = use(v);
      if (kernel.contains("inplace"))
        for (Json& pair : kernel["inplace"])
          for (Json& v : pair) v = use(v);
      if (kernel.contains("when") && kernel["when"].is_object() && kernel["when"].contains("variable"))
        kernel["when"]["variable"] = use(kernel["when"]["variable"]);
      ks.push_back(std::move(kernel));
    }
    for (Json* ports : {&ins, &outs})
      for (Json& p : *ports) p["variable"] = use(p["variable"]);
    Json vars = Json::array();
    std::vector<int> order(renumber.size());
    for (auto& [old, fresh] : renumber) order[fresh] = old;
    for (int v : order) vars.push_back(variables[v]);

    Json& sd = stage.descriptor = Json::object();
    for (auto& [key, value] : d.items())
      if (key != "variables" && key != "kernels" && key != "inputs" && key != "outputs" && key != "guards") sd[key] = value;
    for (Json& sym : sd["symbols"]) sym.erase("data");
    sd["variables"] = std::move(vars);
    sd["kernels"] = std::move(ks);
    sd["inputs"] = std::move(ins);
    sd["outputs"] = std::move(outs);
    stages.push_back(std::move(stage));
    carried = leaving;
    first = last + 1;
  }
  return stages;
}

}  // namespace webdnn::runtime
