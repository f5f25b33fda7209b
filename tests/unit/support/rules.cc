#include "tests/unit/support/rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/ops/evaluate.h"

namespace webdnn::testing {

int apply_rule(ir::Graph& graph, std::unique_ptr<optimizer::Rule> rule) {
  optimizer::RuleGroup group;
  group.name = "test";
  std::string name = rule->name();
  group.rules.push_back(std::move(rule));
  optimizer::OptimizeOptions options;
  options.validate = true;
  auto report = optimizer::run_group(graph, group, options);
  return report.applied.count(name) ? report.applied.at(name) : 0;
}

int apply_pass(ir::Graph& graph, std::unique_ptr<optimizer::Pass> pass) {
  optimizer::RuleGroup group;
  group.name = "test";
  group.passes.push_back(std::move(pass));
  optimizer::OptimizeOptions options;
  options.validate = true;
  return static_cast<int>(optimizer::run_group(graph, group, options).applied.size());
}

std::map<std::string, Tensor> random_inputs(const ir::Graph& graph, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::map<std::string, Tensor> inputs;
  for (const ir::Variable* v : graph.inputs) {
    std::vector<float> values(static_cast<size_t>(v->size()));
    for (float& x : values) x = dist(rng);
    inputs[v->name] = Tensor::from_floats(v->shape, values).cast(v->dtype);
  }
  return inputs;
}

void expect_same_outputs(const ir::Graph& before, const ir::Graph& after, double rel) {
  auto inputs = random_inputs(before);
  auto a = ops::evaluate_graph(before, inputs), b = ops::evaluate_graph(after, inputs);
  ASSERT_EQ(a.size(), b.size());
  for (auto& [name, ta] : a) {
    ASSERT_TRUE(b.count(name)) << "output '" << name << "' is gone";
    const Tensor& tb = b.at(name);
    ASSERT_EQ(ta.shape, tb.shape) << name;
    double scale = 0, diff = 0;
    for (int64_t i = 0; i < ta.size(); i++) {
      scale = std::max(scale, std::fabs(ta.as_double(i)));
      diff = std::max(diff, std::fabs(ta.as_double(i) - tb.as_double(i)));
    }
    EXPECT_LE(diff, rel * scale + 1e-7) << "output '" << name << "' changed";
  }
}

std::vector<std::string> op_types(const ir::Graph& graph) {
  std::vector<std::string> types;
  for (const ir::Operator* op : graph.topological_order()) types.push_back(op->type);
  return types;
}

}  // namespace webdnn::testing
