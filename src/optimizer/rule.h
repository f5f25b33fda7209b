// Rewrite rules and the groups that run them to a fixed point.
//
// A rule looks at one operator: if its pattern matches there, it rewrites the graph and says so.
// Rules reason with operator traits (elementwise, commutative, ...) and expressions rather than
// with lists of operator types. A group runs its rules over every operator again and again
// until none of them changes anything.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::optimizer {

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const char* name() const = 0;
  // Rewrites the graph at `op` when the pattern matches there; `op` may be gone afterwards.
  virtual bool rewrite(ir::Graph& graph, ir::Operator* op) = 0;
  // A lowering that a backend needs in order to run the graph at all (an operator it has no
  // kernel for, rewritten into ones it has): applied even with --optimize 0.
  virtual bool required() const { return false; }
};

// A whole-graph step (layout selection, for example), run once where a group runs.
class Pass {
 public:
  virtual ~Pass() = default;
  virtual const char* name() const = 0;
  virtual void run(ir::Graph& graph) = 0;
};

struct RuleGroup {
  std::string name;
  std::vector<std::unique_ptr<Rule>> rules;
  std::vector<std::unique_ptr<Pass>> passes;  // run after the rules reach their fixed point
};

struct OptimizeOptions {
  int level = 1;                    // 0: no rule runs
  std::set<std::string> disabled;   // rules and passes switched off by name
#ifdef NDEBUG
  bool validate = false;            // check the graph after every rewrite (debug builds)
#else
  bool validate = true;
#endif
};

struct GroupReport {
  std::string group;
  size_t operators_before = 0, operators_after = 0;
  std::map<std::string, int> applied;  // rewrites per rule / runs per pass
};

// Runs the group's rules to a fixed point, then its passes.
GroupReport run_group(ir::Graph& graph, const RuleGroup& group, const OptimizeOptions& options);

}  // namespace webdnn::optimizer
