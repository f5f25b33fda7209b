// Cutting a graph in two, for a backend that can run only the first part (a GPU backend before an
// operator whose output size the input values decide): the head holds every operator that no cut
// operator depends on, the tail the cut operators and everything that depends on them. What the
// tail reads from the head ("carried") leaves the head as an output and enters the tail as an
// input of the same name; model inputs the tail reads are its inputs too.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::ir {

struct Split {
  std::unique_ptr<Graph> head;       // null when no operator is left before the cut
  std::unique_ptr<Graph> tail;       // null when `cut` matches no operator
  std::vector<std::string> carried;  // what the head computes for the tail, by name
};

// Each half keeps only the symbols (and guards) its own values use. A tail symbol that none of
// its inputs gives as a dimension of its own brings the model input that does (the runtime binds
// symbols from input shapes); where there is none, an Error says so.
Split split_graph(const Graph& graph, const std::function<bool(const Operator&)>& cut);

}  // namespace webdnn::ir
