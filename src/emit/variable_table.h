// The variables a descriptor refers to, by index: each with its dtype, shape, strides and where
// its bytes live (the arena at a planned offset, or the weights blob).
#pragma once
#include <map>
#include <vector>

#include "src/emit/weights.h"
#include "src/ir/graph.h"
#include "src/optimizer/memory_plan.h"
#include "webdnn/json.h"

namespace webdnn::emit {

class VariableTable {
 public:
  VariableTable(const optimizer::MemoryPlan& plan, WeightsBuilder& weights) : plan_(plan), weights_(weights) {}
  // Index of `v`, adding it (and its constant data to the weights) on first use.
  int index(const ir::Variable* v);
  // A constant made by the backend (packed weights, say) that is not a variable of the graph.
  int add_data(const std::string& name, const Tensor& data);
  // The same for float32 values a weight transform makes of `source` at load (WeightsBuilder).
  // `values` of 4-byte `dtype` (float32, or int32 words held bit for bit in the floats).
  int add_derived(const std::string& name, const std::vector<float>& values, std::vector<float> source, Json transform,
                  DType dtype = DType::Float32);
  Json to_json() const { return entries_; }

 private:
  const optimizer::MemoryPlan& plan_;
  WeightsBuilder& weights_;
  std::map<const ir::Variable*, int> indices_;
  Json entries_ = Json::array();
};

// The "inputs"/"outputs" lists of a descriptor: name and variable index.
Json io_list(const std::vector<ir::Variable*>& vars, VariableTable& table);

}  // namespace webdnn::emit
