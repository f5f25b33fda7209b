// Symbolic dimensions: a dimension that is a number, or an integer expression of named symbols
// (`batch`, `sequence + 1`, `div(height + 1, 2)`), for models converted once and run at any shape.
//
// A Dim is kept in a canonical form, a polynomial with integer coefficients whose variables are
// symbols and the few terms that are not polynomial (floor division by something that does not
// divide evenly, max, min), so that two dims that are equal for every binding of the symbols
// compare equal as written, and the converter's shape code can tell `sequence * 4 / 4` from
// `sequence`.
//
// The converter's shape code is written for numbers: it compares dimensions (`d == 1` to broadcast,
// `a == b` to check, `k <= size` to clamp). A Dim therefore also carries a hint, its value at the
// sample binding the converter works with; a comparison that is not decided by the canonical form
// alone is answered by the hints and recorded as a Guard, which the runtime checks against the
// real binding before it runs anything (a shape the converted code does not fit is refused with
// an error, never computed wrongly). This is how PyTorch's symbolic shapes specialize too.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webdnn {

using Bindings = std::map<std::string, int64_t>;

// What a symbol may be: its range, and its value at the sample binding the converter works with.
struct SymbolRange {
  int64_t min = 1, max = int64_t{1} << 31, hint = 1;
  bool data = false;  // a size that the input values decide (webdnn/params.h, "data symbols")
};

class Dim {
 public:
  Dim(int64_t value = 0);  // NOLINT: a number is a dimension
  // A named symbol; `hint` is its value at the sample binding, [min, max] its range.
  static Dim symbol(const std::string& name, int64_t hint, int64_t min = 1, int64_t max = int64_t{1} << 31);
  // Reads to_string()'s form back; symbols named there are looked up in `symbols` for their
  // hints and ranges, and unknown ones are an error.
  static Dim parse(std::string_view text, const std::map<std::string, Dim>& symbols);

  bool is_constant() const;
  std::optional<int64_t> constant() const;
  int64_t hint() const { return hint_; }
  // The symbols it depends on.
  std::vector<std::string> symbols() const;
  // Its value for `bindings` (every symbol bound); throws webdnn::Error on a division by zero or
  // an overflow.
  int64_t evaluate(const Bindings& bindings) const;
  // Canonical and parseable: `2*batch+1`, `div(height+1,2)`, `max(width,3)`.
  std::string to_string() const;
  // Its value, specialized: a guard that it equals its hint unless it is a constant.
  int64_t value() const;

  friend Dim operator+(const Dim& a, const Dim& b);
  friend Dim operator-(const Dim& a, const Dim& b);
  friend Dim operator*(const Dim& a, const Dim& b);
  friend Dim operator-(const Dim& a);
  Dim& operator+=(const Dim& b) { return *this = *this + b; }
  Dim& operator*=(const Dim& b) { return *this = *this * b; }
  // Floor division and its remainder (a - b * floor_div(a, b)), as integers in Python.
  friend Dim floor_div(const Dim& a, const Dim& b);
  friend Dim ceil_div(const Dim& a, const Dim& b);
  friend Dim mod(const Dim& a, const Dim& b);
  friend Dim max(const Dim& a, const Dim& b);
  friend Dim min(const Dim& a, const Dim& b);

  // Decided by the canonical forms where they can (the same expression; a constant difference;
  // a difference whose sign follows from the symbols' ranges), otherwise by the hints, with a guard.
  friend bool operator==(const Dim& a, const Dim& b);
  friend bool operator!=(const Dim& a, const Dim& b) { return !(a == b); }
  friend bool operator<(const Dim& a, const Dim& b);
  friend bool operator<=(const Dim& a, const Dim& b) { return !(b < a); }
  friend bool operator>(const Dim& a, const Dim& b) { return b < a; }
  friend bool operator>=(const Dim& a, const Dim& b) { return !(a < b); }
  // The same canonical form: equal for every binding, no guard.
  bool same(const Dim& other) const;

  struct Poly;

 private:
  friend struct DimAccess;
  Dim(std::shared_ptr<const Poly> poly, int64_t hint) : poly_(std::move(poly)), hint_(hint) {}
  std::shared_ptr<const Poly> poly_;  // null: the constant hint_
  int64_t hint_ = 0;
};

// For code written once for numbers and dims (integer division there is of non-negative values).
inline Dim operator/(const Dim& a, const Dim& b) { return floor_div(a, b); }
inline Dim operator%(const Dim& a, const Dim& b) { return mod(a, b); }
std::ostream& operator<<(std::ostream& os, const Dim& d);

// Equal for every binding (no guard); for code written once for numbers and dims.
inline bool identical(const Dim& a, const Dim& b) { return a.same(b); }

using DimShape = std::vector<Dim>;
// The same dims, axis by axis, for every binding.
bool identical(const DimShape& a, const DimShape& b);
std::string shape_to_string(const DimShape& shape);
// The product of the dims.
Dim num_elements(const DimShape& shape);
DimShape broadcast_shapes(const DimShape& a, const DimShape& b);

// A condition that the converted code assumes of the symbols: `lhs == 0` or `lhs >= 0` (every
// comparison is brought to that form), and where in the conversion it was assumed.
struct Guard {
  Dim lhs;
  bool equal = true;  // `lhs == 0`; otherwise `lhs >= 0`
  std::string where;
  bool holds(const Bindings& bindings) const;
  std::string to_string() const;  // `sequence-16 == 0`, `height-7 >= 0`
};

// Where guards go while it lives (one per thread; they nest, the innermost collects). Without
// one, a comparison that needs a guard is an error: only the converter compares symbols.
class GuardScope {
 public:
  GuardScope();
  ~GuardScope();
  GuardScope(const GuardScope&) = delete;
  GuardScope& operator=(const GuardScope&) = delete;
  const std::vector<Guard>& guards() const { return guards_; }
  // Names what the guards recorded from now on are assumed for (an operator, a rule).
  static void set_where(std::string where);

 private:
  std::vector<Guard> guards_;
  GuardScope* outer_;
  friend void record_guard(Guard guard);
};
void record_guard(Guard guard);

// The symbols that dims written as text (in parameters, in descriptors) refer to, while it lives
// (one per thread; they nest, the innermost answers).
class SymbolScope {
 public:
  explicit SymbolScope(std::map<std::string, Dim> symbols);
  ~SymbolScope();
  SymbolScope(const SymbolScope&) = delete;
  SymbolScope& operator=(const SymbolScope&) = delete;
  // The innermost scope's symbols; empty outside every scope.
  static const std::map<std::string, Dim>& current();
  // Adds a symbol to the innermost scope (one made while it lives: a data symbol); none: no-op.
  static void declare(const Dim& symbol);

 private:
  std::map<std::string, Dim> symbols_;
  SymbolScope* outer_;
};

}  // namespace webdnn
