// Running rules in tests and checking that they keep the numbers.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "src/ir/graph.h"
#include "src/optimizer/rule.h"
#include "webdnn/tensor.h"

namespace webdnn::testing {

// Runs `rule` to a fixed point, validating the graph after every rewrite; returns the rewrites.
int apply_rule(ir::Graph& graph, std::unique_ptr<optimizer::Rule> rule);
int apply_pass(ir::Graph& graph, std::unique_ptr<optimizer::Pass> pass);
// Seeded values in [-1, 1) for every graph input.
std::map<std::string, Tensor> random_inputs(const ir::Graph& graph, uint32_t seed = 1);
// Both graphs evaluated by the reference kernels agree on every output within `rel` of the
// largest magnitude (plus a hair for exact zeros).
void expect_same_outputs(const ir::Graph& before, const ir::Graph& after, double rel = 1e-5);
// Operator types in schedule order.
std::vector<std::string> op_types(const ir::Graph& graph);

}  // namespace webdnn::testing
