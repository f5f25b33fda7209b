// Descriptors of models with free dimensions (docs/descriptor.md, "Symbolic dimensions"): their
// shapes, strides, sizes and some kernel parameters are expressions of named symbols. Before it
// runs, a runner binds the symbols from the shapes of the inputs it is given, checks what the
// converted code assumed of them (bounds, guards), and specializes the descriptor: every
// expression evaluated, the arena planned again for those sizes. What it gets is an ordinary
// descriptor, checked and prepared like any other.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "webdnn/dim.h"
#include "webdnn/json.h"
#include "webdnn/shape.h"

namespace webdnn::runtime {

// A size that the input values decide (docs/descriptor.md, "Sizes known only at run time"): the
// kernel that writes `variable` (an int64 [1]) finds it, run with its output at `capacity`.
struct DataSymbol {
  int variable = -1;
  Dim capacity;
};

// What a descriptor's inputs may be.
struct Signature {
  std::map<std::string, Dim> symbols;  // none for a model of fixed shapes
  std::map<std::string, SymbolRange> ranges;
  std::map<std::string, DataSymbol> data;  // the symbols that no input gives a value
  std::vector<Guard> guards;
  std::vector<std::pair<std::string, DimShape>> inputs;  // name and dims, in the descriptor's order
  bool symbolic() const { return !symbols.empty(); }
};

// Reads "symbols", "guards" and the inputs' shapes; throws webdnn::Error naming the bad field.
Signature read_signature(const Json& descriptor);

// The symbols' values for inputs of these shapes (in the order of Signature::inputs). Throws
// webdnn::Error naming the input, the axis and what the model expects when a shape has the wrong
// rank, a fixed dimension differs, two inputs disagree on a symbol, a symbol leaves its bounds,
// or a guard does not hold.
Bindings bind_inputs(const Signature& signature, const std::vector<Shape>& shapes);
// Throws webdnn::Error unless every guard that mentions `symbol` (every guard, when empty) and
// whose symbols all have values holds.
void check_guards(const Signature& signature, const Bindings& bindings, const std::string& symbol = "");
// The binding the converter worked with (every symbol at its hint).
Bindings sample_binding(const Signature& signature);
// A short text of a binding, for messages and as the key of a plan cache: "batch=2,sequence=7".
std::string binding_text(const Bindings& bindings);

// One descriptor specialized at binding after binding, as a runner meets new input shapes: the
// descriptor is copied and its expressions parsed once, and each binding writes its values and
// its arena's plan into that copy in place (no copy, no parse per binding).
class Specializer {
 public:
  Specializer(const Json& descriptor, const Signature& signature);
  Specializer(const Specializer&) = delete;  // it points into its own copy
  Specializer& operator=(const Specializer&) = delete;
  // The descriptor with every dimension expression evaluated for `bindings` and its arena planned
  // for the resulting sizes; "symbols" and "guards" removed. Valid until the next call.
  const Json& at(const Bindings& bindings);

 private:
  Json work_;
  std::vector<std::pair<Json*, Dim>> sites_;  // each {"dim": ...} of work_, and its expression
};

}  // namespace webdnn::runtime
