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

// The "Reduce" kernel: params::Reduce and which reduction ("reduce").
struct ReduceKernel {
  params::Reduce reduce;
  Kind kind;
  static ReduceKernel parse(const Json& j) {
    int kind = params::Reader(j).pick(
        "reduce", {"max", "min", "sum", "mean", "prod", "l1", "l2", "sum_square", "log_sum", "log_sum_exp"});
    return {params::Reduce::parse(j), static_cast<Kind>(kind)};
  }
};

params::Types reduce_signature(const ReduceKernel& p, const params::Types& in) { return params::infer_reduce(p.reduce, in); }

// The "ArgReduce" kernel: params::ArgReduce and "reduce": max or min.
struct ArgReduceKernel {
  params::ArgReduce arg;
  bool max;
  static ArgReduceKernel parse(const Json& j) {
    return {params::ArgReduce::parse(j), params::Reader(j).choice("reduce", {"max", "min"}) == "max"};
  }
};

params::Types arg_reduce_signature(const ArgReduceKernel& p, const params::Types& in) {
  return params::infer_arg_reduce(p.arg, in);
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

void reduce_kernel(const ReduceKernel& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  std::vector<bool> reduced(x.shape.size(), false), kept(x.shape.size(), true);
  for (int64_t a : p.reduce.axes) reduced[a] = true, kept[a] = false;
  Kind kind = p.kind;
  // The kept axes keep their order, so the groups come out in the output's row-major order.
  std::vector<int64_t> groups = offsets(x.shape, kept), members = offsets(x.shape, reduced);
  std::vector<double> v(members.size());
  for (size_t g = 0; g < groups.size(); g++) {
    for (size_t m = 0; m < members.size(); m++) v[m] = load(x.bytes.data(), x.dtype, groups[g] + members[m]);
    store(out[0].bytes.data(), out[0].dtype, static_cast<int64_t>(g), reduce(kind, v));
  }
}

void arg_reduce(const ArgReduceKernel& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  size_t axis = static_cast<size_t>(p.arg.axis);
  bool last = p.arg.select_last_index, max = p.max;
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

WEBDNN_REFERENCE_KERNEL("Reduce", reduce_signature, reduce_kernel);
WEBDNN_REFERENCE_KERNEL("ArgReduce", arg_reduce_signature, arg_reduce);

}  // namespace webdnn::runtime::reference
