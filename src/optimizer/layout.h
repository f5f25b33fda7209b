// Layout selection: each backend says which memory orders its kernels want; this pass gives
// every variable an order, transforms constant weights offline into the order wanted, and
// inserts the fewest conversions. Graph inputs and outputs keep the plain row-major layout the
// model's user expects.
#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "src/optimizer/rule.h"

namespace webdnn::optimizer {

using Order = std::vector<int>;  // logical axes from outermost to innermost in memory

// For each input and output of an operator: the order its kernel wants, or nothing when any
// will do (its kernel reads strides).
struct LayoutRequest {
  std::vector<std::optional<Order>> inputs, outputs;
};
using LayoutPolicy = std::function<LayoutRequest(const ir::Operator&)>;

std::unique_ptr<Pass> layout_selection(LayoutPolicy policy);

Order row_major(int rank);
// `t` (logical) laid out in memory in `order`.
Tensor to_memory_order(const Tensor& t, const Order& order);

}  // namespace webdnn::optimizer
