// Reference reductions ("Reduce": params axes and reduce = max, min, sum, mean, prod, l1, l2,
// sum_square, log_sum, log_sum_exp) and ArgMax/ArgMin ("ArgReduce": axis, select_last_index,
// reduce = max|min). Any numeric dtype, computed in double.
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// Offsets into the contiguous tensor `shape` of every combination of the axes marked in `which`,
// row-major over those axes.
std::vector<int64_t> offsets(const Shape& shape, const std::vector<bool>& which) {
  Shape strides = contiguous_strides(shape), sub, sub_strides;
  for (size_t a = 0; a < shape.size(); a++)
    if (which[a]) {
      sub.push_back(shape[a]);
      sub_strides.push_back(strides[a]);
    }
  std::vector<int64_t> out;
  for_each_index(sub, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += index[d] * sub_strides[d];
    out.push_back(off);
  });
  return out;
}

enum class Kind { Max, Min, Sum, Mean, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

Kind kind_of(const std::string& name) {
  static const std::pair<const char*, Kind> kinds[] = {
      {"max", Kind::Max}, {"min", Kind::Min}, {"sum", Kind::Sum}, {"mean", Kind::Mean},
      {"prod", Kind::Prod}, {"l1", Kind::L1}, {"l2", Kind::L2}, {"sum_square", Kind::SumSquare},
      {"log_sum", Kind::LogSum}, {"log_sum_exp", Kind::LogSumExp}};
  for (auto& [n, k] : kinds)
    if (name == n) return k;
  fail("unknown reduction '", name, "'");
}

double maximum(const std::vector<double>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (double x : v) m = std::isnan(x) || x > m ? x : m;  // NaN wins, as in MaxPool
  return m;
}

double minimum(const std::vector<double>& v) {
  double m = std::numeric_limits<double>::infinity();
  for (double x : v) m = std::isnan(x) || x < m ? x : m;
  return m;
}

double sum(const std::vector<double>& v, double (*f)(double)) {
  double acc = 0;
  for (double x : v) acc += f(x);
  return acc;
}

double reduce(Kind kind, const std::vector<double>& v) {
  switch (kind) {
    case Kind::Max: return maximum(v);
    case Kind::Min: return minimum(v);
    case Kind::Sum: return sum(v, [](double x) { return x; });
    case Kind::Mean: return sum(v, [](double x) { return x; }) / static_cast<double>(v.size());
    case Kind::Prod: {
      double acc = 1;
      for (double x : v) acc *= x;
      return acc;
    }
    case Kind::L1: return sum(v, [](double x) { return std::fabs(x); });
    case Kind::L2: return std::sqrt(sum(v, [](double x) { return x * x; }));
    case Kind::SumSquare: return sum(v, [](double x) { return x * x; });
    case Kind::LogSum: return std::log(sum(v, [](double x) { return x; }));
    case Kind::LogSumExp: {
      double m = maximum(v);
      if (std::isinf(m)) return m;  // all -inf (or an empty set), or a +inf present
      double acc = 0;
      for (double x : v) acc += std::exp(x - m);  // shifted by the max so exp() cannot overflow
      return m + std::log(acc);
    }
  }
  return 0;
}

void reduce_kernel(const Json& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  std::vector<bool> reduced(x.shape.size(), false), kept(x.shape.size(), true);
  for (int64_t a : ints(p, "axes")) reduced[a] = true, kept[a] = false;
  Kind kind = kind_of(p.at("reduce").get<std::string>());
  // The kept axes keep their order, so the groups come out in the output's row-major order.
  std::vector<int64_t> groups = offsets(x.shape, kept), members = offsets(x.shape, reduced);
  std::vector<double> v(members.size());
  for (size_t g = 0; g < groups.size(); g++) {
    for (size_t m = 0; m < members.size(); m++) v[m] = load(x.bytes.data(), x.dtype, groups[g] + members[m]);
    store(out[0].bytes.data(), out[0].dtype, static_cast<int64_t>(g), reduce(kind, v));
  }
}

void arg_reduce(const Json& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  size_t axis = p.at("axis").get<size_t>();
  bool last = p.value("select_last_index", 0) != 0, max = p.at("reduce").get<std::string>() == "max";
  std::vector<bool> kept(x.shape.size(), true);
  kept[axis] = false;
  std::vector<int64_t> groups = offsets(x.shape, kept);
  int64_t n = x.shape[axis], stride = contiguous_strides(x.shape)[axis];
  int64_t* y = out[0].data<int64_t>();
  for (size_t g = 0; g < groups.size(); g++) {
    int64_t best = 0;
    double best_v = load(x.bytes.data(), x.dtype, groups[g]);
    for (int64_t k = 1; k < n; k++) {
      double v = load(x.bytes.data(), x.dtype, groups[g] + k * stride);
      bool better = max ? (v > best_v || (last && v == best_v)) : (v < best_v || (last && v == best_v));
      if (better) best = k, best_v = v;
    }
    y[g] = best;
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Reduce", reduce_kernel);
WEBDNN_REFERENCE_KERNEL("ArgReduce", arg_reduce);

}  // namespace webdnn::runtime::reference
