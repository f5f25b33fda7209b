// Einsum (opset 12) as Transpose, Reshape, MatMul and ReduceSum: operands are combined left to
// right, each pair as one batched MatMul [batch..., left, contracted] x [batch..., contracted,
// right], so the equations exporters write ("bhid,bhjd->bhij", "bij,bjk->bik", "i,j->ij", with
// "...") reach the MatMul kernels. An index repeated within one operand (a diagonal or a trace)
// is refused.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

using Labels = std::vector<int>;  // a letter's code, or 256 + k for the k-th axis of "..." from the right

struct Term {
  ir::Variable* x;
  Labels labels;  // one per axis of x
};

// One side of the equation: letters and at most one "...", which stands for `ellipsis` axes.
Labels parse_term(const std::string& text, int ellipsis, const std::string& what) {
  Labels labels;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (c == '.') {
      WEBDNN_CHECK(text.compare(i, 3, "...") == 0, what, " '", text, "' has a '.' outside '...'");
      WEBDNN_CHECK(ellipsis >= 0, what, " '", text, "' has a second '...'");
      for (int k = ellipsis - 1; k >= 0; k--) labels.push_back(256 + k);
      ellipsis = -1;
      i += 2;
    } else {
      WEBDNN_CHECK(std::isalpha(static_cast<unsigned char>(c)), what, " '", text, "' holds '", c,
                   "'; indices are letters");
      labels.push_back(c);
    }
  }
  return labels;
}

std::string trimmed(const std::string& s) {
  std::string t;
  for (char c : s)
    if (c != ' ') t += c;
  return t;
}

ir::Variable* permute(NodeContext& ctx, Term& t, const Labels& order) {
  if (order == t.labels) return t.x;
  std::vector<int64_t> perm;
  for (int l : order) perm.push_back(std::find(t.labels.begin(), t.labels.end(), l) - t.labels.begin());
  t.labels = order;
  return t.x = ctx.add("Transpose", {{"perm", perm}}, {t.x});
}

Dim size_of(const Term& t, int label) {
  return t.x->dims[std::find(t.labels.begin(), t.labels.end(), label) - t.labels.begin()];
}

// Sums out the axes of `t` whose labels are not in `keep`.
void sum_out(NodeContext& ctx, Term& t, const std::set<int>& keep) {
  std::vector<int64_t> axes;
  Labels rest;
  for (size_t a = 0; a < t.labels.size(); a++)
    if (keep.count(t.labels[a])) rest.push_back(t.labels[a]);
    else axes.push_back(static_cast<int64_t>(a));
  if (axes.empty()) return;
  t.x = ctx.add("ReduceSum", {{"axes", axes}, {"keepdims", 0}}, {t.x});
  t.labels = rest;
}

// Drops the axes of size 1 whose label has another size elsewhere (numpy broadcasting of "...").
void drop_broadcast(NodeContext& ctx, Term& t, const std::map<int, Dim>& sizes) {
  DimShape dims;
  Labels rest;
  for (size_t a = 0; a < t.labels.size(); a++) {
    const Dim& d = t.x->dims[a];
    if (d.constant() == 1 && sizes.at(t.labels[a]).constant() != 1) continue;
    dims.push_back(d);
    rest.push_back(t.labels[a]);
  }
  t.x = ctx.reshape(t.x, dims);
  t.labels = rest;
}

Dim product(const Term& t, const Labels& labels) {
  Dim p(1);
  for (int l : labels) p *= size_of(t, l);
  return p;
}

// a and b as one MatMul; `later` holds the labels still needed after this pair.
Term combine(NodeContext& ctx, Term a, Term b, const std::set<int>& later) {
  std::set<int> in_a(a.labels.begin(), a.labels.end()), in_b(b.labels.begin(), b.labels.end());
  std::set<int> keep_a = later, keep_b = later;
  keep_a.insert(in_b.begin(), in_b.end());
  keep_b.insert(in_a.begin(), in_a.end());
  sum_out(ctx, a, keep_a);
  sum_out(ctx, b, keep_b);
  Labels batch, left, contract, right;
  for (int l : a.labels)
    (in_b.count(l) ? (later.count(l) ? batch : contract) : left).push_back(l);
  for (int l : b.labels)
    if (!in_a.count(l)) right.push_back(l);
  auto cat = [](Labels x, const Labels& y, const Labels& z) {
    x.insert(x.end(), y.begin(), y.end());
    x.insert(x.end(), z.begin(), z.end());
    return x;
  };
  permute(ctx, a, cat(batch, left, contract));
  permute(ctx, b, cat(batch, contract, right));
  DimShape lead;
  for (int l : batch) lead.push_back(size_of(a, l));
  DimShape da = lead, db = lead, out = lead;
  da.push_back(product(a, left));
  da.push_back(product(a, contract));
  db.push_back(product(b, contract));
  db.push_back(product(b, right));
  for (int l : left) out.push_back(size_of(a, l));
  for (int l : right) out.push_back(size_of(b, l));
  ir::Variable* y = ctx.add("MatMul", params::MatMul{}.to_json(), {ctx.reshape(a.x, da), ctx.reshape(b.x, db)});
  return {ctx.reshape(y, out), cat(batch, left, right)};
}

}  // namespace

WEBDNN_ONNX_HANDLER(Einsum) {
  std::string eq = trimmed(ctx.attr_string("equation", ""));
  WEBDNN_CHECK(!eq.empty(), "attribute 'equation' is required");
  size_t arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> texts;
  for (size_t at = 0;;) {
    size_t comma = lhs.find(',', at);
    texts.push_back(lhs.substr(at, comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  WEBDNN_CHECK(texts.size() == ctx.num_inputs(), "the equation '", eq, "' names ", texts.size(), " operands but the "
               "node has ", ctx.num_inputs(), " inputs");
  std::vector<Term> terms;
  std::map<int, Dim> sizes;  // of each label, the one that is not 1 where operands broadcast
  std::map<int, int> count;
  int ellipsis = 0;
  for (size_t i = 0; i < texts.size(); i++) {
    ir::Variable* x = ctx.required_input(i);
    WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; Einsum here takes "
                 "float32");
    int letters = static_cast<int>(std::count_if(texts[i].begin(), texts[i].end(), [](char c) { return c != '.'; }));
    bool dots = texts[i].find("...") != std::string::npos;
    WEBDNN_CHECK(dots ? x->rank() >= letters : x->rank() == letters, "operand ", i, " '", texts[i], "' does not fit "
                 "input '", x->name, "' of rank ", x->rank());
    Term t{x, parse_term(texts[i], dots ? x->rank() - letters : 0, "operand")};
    if (dots) ellipsis = std::max(ellipsis, x->rank() - letters);
    std::set<int> seen;
    for (size_t a = 0; a < t.labels.size(); a++) {
      int l = t.labels[a];
      WEBDNN_CHECK(seen.insert(l).second, "operand ", i, " '", texts[i], "' repeats index '", static_cast<char>(l),
                   "' (a diagonal or trace), which is not supported");
      count[l]++;
      if (!sizes.count(l) || sizes[l].constant() == 1) sizes[l] = x->dims[a];
    }
    terms.push_back(t);
  }
  Labels out;
  if (arrow != std::string::npos) {
    out = parse_term(eq.substr(arrow + 2), ellipsis, "the output");
    std::set<int> seen;
    for (int l : out) {
      WEBDNN_CHECK(seen.insert(l).second, "the output repeats an index");
      WEBDNN_CHECK(sizes.count(l), "the output's index '", static_cast<char>(l), "' is in no operand");
    }
  } else {  // implicit: "..." first, then the letters seen once, in alphabetical order
    for (auto& [l, n] : count)
      if (l >= 256) out.insert(out.begin(), l);
      else if (n == 1) out.push_back(l);
  }
  for (Term& t : terms) drop_broadcast(ctx, t, sizes);
  Term acc = terms[0];
  for (size_t i = 1; i < terms.size(); i++) {
    std::set<int> later(out.begin(), out.end());
    for (size_t j = i + 1; j < terms.size(); j++) later.insert(terms[j].labels.begin(), terms[j].labels.end());
    acc = combine(ctx, acc, terms[i], later);
  }
  sum_out(ctx, acc, std::set<int>(out.begin(), out.end()));
  permute(ctx, acc, out);
  DimShape dims;
  for (int l : out) dims.push_back(sizes.at(l));
  ctx.set_output(0, ctx.reshape(acc.x, dims));  // a label of size 1 everywhere may have been dropped
}

}  // namespace webdnn::onnx_frontend
