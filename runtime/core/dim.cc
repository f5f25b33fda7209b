#include "webdnn/dim.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ostream>
#include <set>
#include <utility>

#include "webdnn/error.h"
#include "webdnn/shape.h"

namespace webdnn {
namespace {

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  WEBDNN_CHECK(!__builtin_add_overflow(a, b, &r), "dimension arithmetic overflows: ", a, " + ", b);
  return r;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  WEBDNN_CHECK(!__builtin_mul_overflow(a, b, &r), "dimension arithmetic overflows: ", a, " * ", b);
  return r;
}

int64_t floor_div_int(int64_t a, int64_t b) {
  WEBDNN_CHECK(b != 0, "a dimension divides by zero");
  WEBDNN_CHECK(!(a == INT64_MIN && b == -1), "dimension arithmetic overflows: ", a, " / ", b);
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// A variable of the polynomial: a symbol, or a term that is not polynomial in the symbols.
struct Atom {
  enum Kind { Symbol, FloorDiv, Max, Min } kind = Symbol;
  std::string name;          // Symbol
  int64_t min = 1, max = 1;  // Symbol: its range
  int64_t hint = 0;          // Symbol: its sample value
  std::vector<Dim> args;     // FloorDiv: numerator, denominator; Max, Min: both, in text order
  std::string text;          // canonical, and the order of atoms
};
using AtomPtr = std::shared_ptr<const Atom>;

}  // namespace

// sum of coefficient * product of atoms, plus a constant. Terms are keyed by the text of their
// product, so equal polynomials have equal maps.
struct Dim::Poly {
  struct Term {
    std::vector<AtomPtr> atoms;  // sorted by text, with repeats
    int64_t coefficient = 0;
  };
  std::map<std::string, Term> terms;
  int64_t constant = 0;
};

namespace {

using Poly = Dim::Poly;

std::string product_text(const std::vector<AtomPtr>& atoms) {
  std::string s;
  for (const AtomPtr& a : atoms) s += (s.empty() ? "" : "*") + a->text;
  return s;
}

void add_term(Poly& p, std::vector<AtomPtr> atoms, int64_t coefficient) {
  if (coefficient == 0) return;
  if (atoms.empty()) {
    p.constant = checked_add(p.constant, coefficient);
    return;
  }
  std::sort(atoms.begin(), atoms.end(), [](const AtomPtr& a, const AtomPtr& b) { return a->text < b->text; });
  std::string key = product_text(atoms);
  auto [it, fresh] = p.terms.try_emplace(key, Poly::Term{std::move(atoms), 0});
  it->second.coefficient = checked_add(it->second.coefficient, coefficient);
  if (it->second.coefficient == 0) p.terms.erase(it);
}

std::string poly_text(const Poly& p) {
  std::string s;
  for (const auto& [key, t] : p.terms) {
    int64_t c = t.coefficient;
    if (c < 0) s += "-";
    else if (!s.empty()) s += "+";
    int64_t m = c < 0 ? -c : c;
    if (m != 1) s += std::to_string(m) + "*";
    s += key;
  }
  if (p.constant != 0 || s.empty()) {
    if (p.constant >= 0 && !s.empty()) s += "+";
    s += std::to_string(p.constant);
  }
  return s;
}

// A closed interval of reals that holds every value of a Dim; infinite where unbounded. Doubles
// lose exactness past 2^53, but they only decide signs, and a sign near zero comes from small
// numbers.
struct Interval {
  double lo = -INFINITY, hi = INFINITY;
};

double product(double a, double b) { return (a == 0 || b == 0) ? 0 : a * b; }

Interval times(Interval a, Interval b) {
  double c[4] = {product(a.lo, b.lo), product(a.lo, b.hi), product(a.hi, b.lo), product(a.hi, b.hi)};
  return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
}

Interval range_of(const Dim& d);

Interval range_of(const Atom& a) {
  switch (a.kind) {
    case Atom::Symbol:
      return {static_cast<double>(a.min), static_cast<double>(a.max)};
    case Atom::FloorDiv: {
      auto k = a.args[1].constant();
      if (!k || *k <= 0) return {};
      Interval n = range_of(a.args[0]);
      return {std::floor(n.lo / *k), std::floor(n.hi / *k)};
    }
    case Atom::Max: {
      Interval x = range_of(a.args[0]), y = range_of(a.args[1]);
      return {std::max(x.lo, y.lo), std::max(x.hi, y.hi)};
    }
    case Atom::Min: {
      Interval x = range_of(a.args[0]), y = range_of(a.args[1]);
      return {std::min(x.lo, y.lo), std::min(x.hi, y.hi)};
    }
  }
  return {};
}

Interval range_of(const Poly& p) {
  Interval r{static_cast<double>(p.constant), static_cast<double>(p.constant)};
  for (const auto& [key, t] : p.terms) {
    Interval m{static_cast<double>(t.coefficient), static_cast<double>(t.coefficient)};
    for (const AtomPtr& a : t.atoms) m = times(m, range_of(*a));
    r.lo += m.lo;
    r.hi += m.hi;
  }
  return r;
}

thread_local GuardScope* current_scope = nullptr;
thread_local std::string current_where;

}  // namespace

// Dim's internals in one place: from polynomials and atoms to Dims and back.
struct DimAccess {
  static const Poly* poly(const Dim& d) { return d.poly_.get(); }
  static Dim make(Poly p);
  static Poly as_poly(const Dim& d) {
    if (d.poly_) return *d.poly_;
    Poly p;
    p.constant = d.hint_;
    return p;
  }
  static Dim atom(Atom a) {
    Poly p;
    add_term(p, {std::make_shared<const Atom>(std::move(a))}, 1);
    return make(std::move(p));
  }
};

namespace {

// The value of `p` when each symbol takes symbol_value(atom).
template <class SymbolValue>
int64_t evaluate_poly(const Poly& p, const SymbolValue& symbol_value);

template <class SymbolValue>
int64_t evaluate_dim(const Dim& d, const SymbolValue& symbol_value) {
  if (auto c = d.constant()) return *c;
  return evaluate_poly(*DimAccess::poly(d), symbol_value);
}

template <class SymbolValue>
int64_t evaluate_atom(const Atom& a, const SymbolValue& symbol_value) {
  switch (a.kind) {
    case Atom::Symbol:
      return symbol_value(a);
    case Atom::FloorDiv:
      return floor_div_int(evaluate_dim(a.args[0], symbol_value), evaluate_dim(a.args[1], symbol_value));
    case Atom::Max:
      return std::max(evaluate_dim(a.args[0], symbol_value), evaluate_dim(a.args[1], symbol_value));
    case Atom::Min:
      return std::min(evaluate_dim(a.args[0], symbol_value), evaluate_dim(a.args[1], symbol_value));
  }
  return 0;
}

template <class SymbolValue>
int64_t evaluate_poly(const Poly& p, const SymbolValue& symbol_value) {
  int64_t sum = p.constant;
  for (const auto& [key, t] : p.terms) {
    int64_t m = t.coefficient;
    for (const AtomPtr& a : t.atoms) m = checked_mul(m, evaluate_atom(*a, symbol_value));
    sum = checked_add(sum, m);
  }
  return sum;
}

const auto sample_value = [](const Atom& a) { return a.hint; };

Interval range_of(const Dim& d) {
  if (auto c = d.constant()) return {static_cast<double>(*c), static_cast<double>(*c)};
  return range_of(*DimAccess::poly(d));
}

void collect_symbols(const Dim& d, std::set<std::string>& out);
void collect_symbols(const Atom& a, std::set<std::string>& out) {
  if (a.kind == Atom::Symbol) out.insert(a.name);
  for (const Dim& d : a.args) collect_symbols(d, out);
}
void collect_symbols(const Dim& d, std::set<std::string>& out) {
  if (const Poly* p = DimAccess::poly(d))
    for (const auto& [key, t] : p->terms)
      for (const AtomPtr& a : t.atoms) collect_symbols(*a, out);
}

Poly scaled(const Poly& p, int64_t k) {
  Poly r;
  for (const auto& [key, t] : p.terms) add_term(r, t.atoms, checked_mul(t.coefficient, k));
  r.constant = checked_mul(p.constant, k);
  return r;
}

int64_t positive_mod(int64_t a, int64_t k) {
  int64_t m = a % k;
  return m < 0 ? m + k : m;
}

// max or min of two dims that their ranges do not order.
Dim extreme(Atom::Kind kind, const Dim& a, const Dim& b) {
  Interval r = range_of(a - b);
  if (kind == Atom::Max ? r.lo >= 0 : r.hi <= 0) return a;
  if (kind == Atom::Max ? r.hi <= 0 : r.lo >= 0) return b;
  Atom atom;
  atom.kind = kind;
  atom.args = {a, b};
  if (b.to_string() < a.to_string()) std::swap(atom.args[0], atom.args[1]);
  atom.text = std::string(kind == Atom::Max ? "max(" : "min(") + atom.args[0].to_string() + "," +
              atom.args[1].to_string() + ")";
  return DimAccess::atom(std::move(atom));
}

}  // namespace

Dim DimAccess::make(Poly p) {
  if (p.terms.empty()) return Dim(p.constant);
  int64_t hint = evaluate_poly(p, sample_value);
  return Dim(std::make_shared<const Poly>(std::move(p)), hint);
}

Dim::Dim(int64_t value) : hint_(value) {}

Dim Dim::symbol(const std::string& name, int64_t hint, int64_t min, int64_t max) {
  WEBDNN_CHECK(min <= hint && hint <= max, "symbol '", name, "': its sample value ", hint, " is outside ", min,
               "..", max);
  Atom a;
  a.kind = Atom::Symbol;
  a.name = a.text = name;
  a.min = min;
  a.max = max;
  a.hint = hint;
  return DimAccess::atom(std::move(a));
}

bool Dim::is_constant() const { return !poly_; }

std::optional<int64_t> Dim::constant() const {
  if (poly_) return std::nullopt;
  return hint_;
}

std::vector<std::string> Dim::symbols() const {
  std::set<std::string> s;
  collect_symbols(*this, s);
  return {s.begin(), s.end()};
}

int64_t Dim::evaluate(const Bindings& bindings) const {
  return evaluate_dim(*this, [&](const Atom& a) {
    auto it = bindings.find(a.name);
    WEBDNN_CHECK(it != bindings.end(), "dimension symbol '", a.name, "' has no value");
    return it->second;
  });
}

std::string Dim::to_string() const { return poly_ ? poly_text(*poly_) : std::to_string(hint_); }

bool Dim::same(const Dim& other) const { return to_string() == other.to_string(); }

int64_t Dim::value() const {
  if (!poly_) return hint_;
  record_guard({*this - Dim(hint_), true, current_where});
  return hint_;
}

Dim operator+(const Dim& a, const Dim& b) {
  if (a.is_constant() && b.is_constant()) return Dim(checked_add(a.hint_, b.hint_));
  Poly p = DimAccess::as_poly(a);
  Poly q = DimAccess::as_poly(b);
  for (auto& [key, t] : q.terms) add_term(p, t.atoms, t.coefficient);
  p.constant = checked_add(p.constant, q.constant);
  return DimAccess::make(std::move(p));
}

Dim operator-(const Dim& a) {
  if (a.is_constant()) return Dim(checked_mul(a.hint_, -1));
  return DimAccess::make(scaled(*a.poly_, -1));
}

Dim operator-(const Dim& a, const Dim& b) { return a + (-b); }

Dim operator*(const Dim& a, const Dim& b) {
  if (a.is_constant() && b.is_constant()) return Dim(checked_mul(a.hint_, b.hint_));
  auto terms = [](const Poly& x) {
    std::vector<Poly::Term> all;
    for (const auto& [key, t] : x.terms) all.push_back(t);
    if (x.constant != 0) all.push_back({{}, x.constant});
    return all;
  };
  Poly r;
  for (const Poly::Term& s : terms(DimAccess::as_poly(a)))
    for (const Poly::Term& t : terms(DimAccess::as_poly(b))) {
      std::vector<AtomPtr> atoms = s.atoms;
      atoms.insert(atoms.end(), t.atoms.begin(), t.atoms.end());
      add_term(r, std::move(atoms), checked_mul(s.coefficient, t.coefficient));
    }
  return DimAccess::make(std::move(r));
}

namespace {

// a / b when b is one term (a positive coefficient times symbols) that divides every term of a:
// the quotient of a Reshape's -1 (`128*batch*sequence / (64*batch*sequence)`), exactly.
std::optional<Dim> exact_quotient(const Dim& a, const Dim& b) {
  const Poly *pa = DimAccess::poly(a), *pb = DimAccess::poly(b);
  if (!pa || !pb || pa->constant != 0 || pb->constant != 0 || pb->terms.size() != 1) return std::nullopt;
  const Poly::Term& d = pb->terms.begin()->second;
  if (d.coefficient <= 0) return std::nullopt;
  Poly q;
  for (const auto& [key, t] : pa->terms) {
    if (t.coefficient % d.coefficient != 0) return std::nullopt;
    std::vector<AtomPtr> rest = t.atoms;
    for (const AtomPtr& x : d.atoms) {
      auto it = std::find_if(rest.begin(), rest.end(), [&](const AtomPtr& y) { return y->text == x->text; });
      if (it == rest.end()) return std::nullopt;
      rest.erase(it);
    }
    add_term(q, std::move(rest), t.coefficient / d.coefficient);
  }
  return DimAccess::make(std::move(q));
}

}  // namespace

Dim floor_div(const Dim& a, const Dim& b) {
  auto k = b.constant();
  WEBDNN_CHECK(!k || *k != 0, "a dimension divides by zero: ", a.to_string(), " / 0");
  if (k && a.is_constant()) return Dim(floor_div_int(*a.constant(), *k));
  if (k && *k < 0) return floor_div(-a, Dim(-*k));
  if (k == 1) return a;
  if (a.same(b)) return Dim(1);
  if (auto q = exact_quotient(a, b)) return *q;
  Dim whole(0), rest = a;
  if (k) {
    // floor((k*q + r) / k) = q + floor(r / k): what k divides comes out of the division.
    Poly q, r;
    const Poly& p = *DimAccess::poly(a);
    for (const auto& [key, t] : p.terms) {
      int64_t m = positive_mod(t.coefficient, *k);
      add_term(q, t.atoms, (t.coefficient - m) / *k);
      add_term(r, t.atoms, m);
    }
    r.constant = positive_mod(p.constant, *k);
    q.constant = (p.constant - r.constant) / *k;
    whole = DimAccess::make(std::move(q));
    rest = DimAccess::make(std::move(r));
    if (rest.is_constant()) return whole + Dim(floor_div_int(*rest.constant(), *k));
  }
  Atom atom;
  atom.kind = Atom::FloorDiv;
  atom.args = {rest, b};
  atom.text = "div(" + rest.to_string() + "," + b.to_string() + ")";
  return whole + DimAccess::atom(std::move(atom));
}

// ceil(a / b) = floor((a + b - 1) / b) for b > 0, which keeps the remainder's coefficients positive.
Dim ceil_div(const Dim& a, const Dim& b) {
  if (b.constant() && *b.constant() < 0) return -floor_div(-a, b);
  return floor_div(a + b - Dim(1), b);
}
Dim mod(const Dim& a, const Dim& b) { return a - b * floor_div(a, b); }
Dim max(const Dim& a, const Dim& b) {
  if (a.is_constant() && b.is_constant()) return Dim(std::max(a.hint_, b.hint_));
  return extreme(Atom::Max, a, b);
}
Dim min(const Dim& a, const Dim& b) {
  if (a.is_constant() && b.is_constant()) return Dim(std::min(a.hint_, b.hint_));
  return extreme(Atom::Min, a, b);
}

bool operator==(const Dim& a, const Dim& b) {
  Dim d = a - b;
  if (auto c = d.constant()) return *c == 0;
  Interval r = range_of(d);
  if (r.lo > 0 || r.hi < 0) return false;
  if (d.hint() == 0) {
    record_guard({d, true, current_where});
    return true;
  }
  // Not equal at the sample: assume the side it is on (a sign is one guard; "not zero" is not).
  record_guard({d.hint() > 0 ? d - Dim(1) : -d - Dim(1), false, current_where});
  return false;
}

bool operator<(const Dim& a, const Dim& b) {
  Dim d = b - a - Dim(1);  // a < b  <=>  d >= 0
  if (auto c = d.constant()) return *c >= 0;
  Interval r = range_of(d);
  if (r.lo >= 0) return true;
  if (r.hi < 0) return false;
  bool holds = d.hint() >= 0;
  record_guard({holds ? d : a - b, false, current_where});
  return holds;
}

std::ostream& operator<<(std::ostream& os, const Dim& d) { return os << d.to_string(); }

std::string shape_to_string(const DimShape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); i++) s += (i ? "," : "") + shape[i].to_string();
  return s + "]";
}

Dim num_elements(const DimShape& shape) {
  Dim n(1);
  for (const Dim& d : shape) n *= d;
  return n;
}

DimShape broadcast_shapes(const DimShape& a, const DimShape& b) { return broadcast(a, b); }

bool identical(const DimShape& a, const DimShape& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (!a[i].same(b[i])) return false;
  return true;
}

bool Guard::holds(const Bindings& bindings) const {
  int64_t v = lhs.evaluate(bindings);
  return equal ? v == 0 : v >= 0;
}

std::string Guard::to_string() const { return lhs.to_string() + (equal ? " == 0" : " >= 0"); }

GuardScope::GuardScope() : outer_(current_scope) { current_scope = this; }
GuardScope::~GuardScope() { current_scope = outer_; }
void GuardScope::set_where(std::string where) { current_where = std::move(where); }

void record_guard(Guard guard) {
  WEBDNN_CHECK(current_scope, "internal: symbolic dimensions compared outside a GuardScope (", guard.to_string(),
               ")");
  for (const Guard& g : current_scope->guards_)
    if (g.equal == guard.equal && g.lhs.same(guard.lhs)) return;
  current_scope->guards_.push_back(std::move(guard));
}

namespace {
thread_local SymbolScope* current_symbols = nullptr;
}  // namespace

SymbolScope::SymbolScope(std::map<std::string, Dim> symbols) : symbols_(std::move(symbols)), outer_(current_symbols) {
  current_symbols = this;
}
SymbolScope::~SymbolScope() { current_symbols = outer_; }
void SymbolScope::declare(const Dim& symbol) {
  if (current_symbols) current_symbols->symbols_.emplace(symbol.to_string(), symbol);
}
const std::map<std::string, Dim>& SymbolScope::current() {
  static const std::map<std::string, Dim> none;
  return current_symbols ? current_symbols->symbols_ : none;
}

// ---- parsing: the grammar to_string() writes ----
namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::map<std::string, Dim>& symbols) : s_(text), symbols_(symbols) {}

  Dim parse() {
    Dim d = expression();
    skip();
    if (i_ != s_.size()) error("unexpected '" + std::string(1, s_[i_]) + "'");
    return d;
  }

 private:
  [[noreturn]] void error(const std::string& what) {
    fail("dimension expression '", s_, "' at character ", i_, ": ", what);
  }
  void skip() {
    while (i_ < s_.size() && s_[i_] == ' ') i_++;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  void expect(char c) {
    if (!eat(c)) error(std::string("expected '") + c + "'");
  }
  Dim expression() {
    if (++depth_ > 64) error("nested too deeply");
    Dim d = eat('-') ? -term() : term();
    for (;;) {
      if (eat('+')) d = d + term();
      else if (eat('-')) d = d - term();
      else break;
    }
    depth_--;
    return d;
  }
  Dim term() {
    Dim d = factor();
    while (eat('*')) d = d * factor();
    return d;
  }
  Dim factor() {
    skip();
    if (eat('(')) {
      Dim d = expression();
      expect(')');
      return d;
    }
    if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      int64_t v = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[i_] - '0', &v))
          error("number too large");
        i_++;
      }
      return Dim(v);
    }
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) i_++;
    std::string name(s_.substr(start, i_ - start));
    if (name.empty()) error("expected a number, a symbol or '('");
    if (name == "div" || name == "max" || name == "min") {
      expect('(');
      Dim a = expression();
      expect(',');
      Dim b = expression();
      expect(')');
      return name == "div" ? floor_div(a, b) : name == "max" ? max(a, b) : min(a, b);
    }
    auto it = symbols_.find(name);
    if (it == symbols_.end()) error("unknown symbol '" + name + "'");
    return it->second;
  }

  std::string_view s_;
  const std::map<std::string, Dim>& symbols_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

Dim Dim::parse(std::string_view text, const std::map<std::string, Dim>& symbols) {
  return Parser(text, symbols).parse();
}

}  // namespace webdnn
