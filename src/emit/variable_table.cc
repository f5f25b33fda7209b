#include "src/emit/variable_table.h"

#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::emit {

int VariableTable::index(const ir::Variable* v) {
  auto it = indices_.find(v);
  if (it != indices_.end()) return it->second;
  // Dims of free dimensions are written as expressions (docs/descriptor.md); offsets in the arena
  // are then those of the converter's sample shapes, and a runtime plans again.
  Json e = {{"name", v->name},
            {"dtype", dtype_name(v->dtype)},
            {"shape", params::dims_json(v->dims)},
            {"strides", params::dims_json(v->dim_strides())}};
  if (v->is_constant()) {
    e["location"] = "weights";
    e["offset"] = weights_.add(*v->data);
  } else {
    auto off = plan_.offsets.find(v);
    WEBDNN_CHECK(off != plan_.offsets.end(), "variable '", v->name, "' has no place in the memory plan");
    e["location"] = "arena";
    e["offset"] = off->second;
  }
  e["bytes"] = params::dim_json(num_elements(v->dims) * Dim(static_cast<int64_t>(dtype_size(v->dtype))));
  int i = static_cast<int>(entries_.size());
  entries_.push_back(e);
  indices_[v] = i;
  return i;
}

namespace {

Json weights_entry(const std::string& name, DType dtype, const Shape& shape, int64_t offset) {
  return {{"name", name},     {"dtype", dtype_name(dtype)}, {"shape", shape}, {"strides", contiguous_strides(shape)},
          {"location", "weights"}, {"offset", offset},    {"bytes", num_elements(shape) * static_cast<int64_t>(dtype_size(dtype))}};
}

}  // namespace

int VariableTable::add_data(const std::string& name, const Tensor& data) {
  entries_.push_back(weights_entry(name, data.dtype, data.shape, weights_.add(data)));
  return static_cast<int>(entries_.size()) - 1;
}

int VariableTable::add_derived(const std::string& name, const std::vector<float>& values, std::vector<float> source,
                               Json transform, DType dtype) {
  WEBDNN_CHECK(dtype_size(dtype) == 4, "internal: derived weights are of 4-byte values");
  int64_t offset = weights_.add_derived(values, std::move(source), std::move(transform));
  entries_.push_back(weights_entry(name, dtype, {static_cast<int64_t>(values.size())}, offset));
  return static_cast<int>(entries_.size()) - 1;
}

Json io_list(const std::vector<ir::Variable*>& vars, VariableTable& table) {
  Json list = Json::array();
  for (const ir::Variable* v : vars) list.push_back({{"name", v->name}, {"variable", table.index(v)}});
  return list;
}

}  // namespace webdnn::emit
