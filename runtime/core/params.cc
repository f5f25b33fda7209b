#include "webdnn/params.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "webdnn/error.h"

namespace webdnn::params {
namespace {

std::string list(const std::vector<int64_t>& v) { return shape_to_string(v); }

template <class S>
S checked(S s) {
  if constexpr (std::is_same_v<S, Shape>) num_elements(s);  // throws when the product overflows
  return s;
}

template <class S>
void require_rank(const S& s, int rank, const char* what) {
  WEBDNN_CHECK(static_cast<int>(s.size()) == rank, what, " is ", shape_to_string(s), "; rank ", rank, " is expected");
}

}  // namespace

Reader::Reader(const Json& j, const char* noun) : j_(j), noun_(noun) {
  WEBDNN_CHECK(j.is_object(), noun, "s must be a JSON object");
}

bool Reader::has(const char* key) const { return j_.contains(key); }

const Json& Reader::at(const char* key) const {
  auto it = j_.find(key);
  WEBDNN_CHECK(it != j_.end(), noun_, " '", key, "' is missing");
  return *it;
}

namespace {
int64_t as_integer(const Json& v, const char* noun, const char* key, int64_t lo, int64_t hi) {
  // JSON numbers written as 2.0 are integers too; 2.5, strings and huge values are not.
  WEBDNN_CHECK(v.is_number(), noun, " '", key, "' must be an integer, not ", v.dump());
  double d = v.get<double>();
  bool whole = v.is_number_integer() || (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15);
  WEBDNN_CHECK(whole, noun, " '", key, "' must be an integer, not ", v.dump());
  if (v.is_number_unsigned())
    WEBDNN_CHECK(v.get<uint64_t>() <= static_cast<uint64_t>(hi), noun, " '", key, "' is ", v.dump(), "; at most ", hi,
                 " is allowed");
  int64_t i = v.is_number_integer() ? v.get<int64_t>() : static_cast<int64_t>(d);
  WEBDNN_CHECK(i >= lo && i <= hi, noun, " '", key, "' is ", i, "; it must lie in [", lo, ", ", hi, "]");
  return i;
}
}  // namespace

int64_t Reader::integer(const char* key, int64_t lo, int64_t hi) const { return as_integer(at(key), noun_, key, lo, hi); }

std::vector<int64_t> Reader::integers(const char* key, int count, int64_t lo, int64_t hi) const {
  const Json& v = at(key);
  WEBDNN_CHECK(v.is_array(), noun_, " '", key, "' must be a list of integers, not ", v.dump());
  WEBDNN_CHECK(count < 0 || static_cast<int>(v.size()) == count, noun_, " '", key, "' has ", v.size(), " values; ",
               count, " are expected");
  WEBDNN_CHECK(v.size() <= 64, noun_, " '", key, "' has ", v.size(), " values; at most 64 are allowed");
  std::vector<int64_t> out;
  for (const Json& e : v) out.push_back(as_integer(e, noun_, key, lo, hi));
  return out;
}

Json dim_json(const Dim& d) {
  if (auto c = d.constant()) return *c;
  return Json{{"dim", d.to_string()}};
}

Json dims_json(const DimShape& dims) {
  Json j = Json::array();
  for (const Dim& d : dims) j.push_back(dim_json(d));
  return j;
}

Dim dim_from_json(const Json& v, const std::string& what, int64_t lo, int64_t hi) {
  if (v.is_object() && v.size() == 1 && v.contains("dim") && v.at("dim").is_string()) {
    const std::string& text = v.at("dim").get_ref<const std::string&>();
    WEBDNN_CHECK(text.size() <= 4096, what, " holds a dimension expression of ", text.size(), " characters");
    try {
      return Dim::parse(text, SymbolScope::current());
    } catch (const Error& e) {
      fail(what, ": ", e.what());
    }
  }
  WEBDNN_CHECK(v.is_number_integer(), what, " must be an integer or {\"dim\": expression}, not ", v.dump());
  WEBDNN_CHECK(!v.is_number_unsigned() || v.get<uint64_t>() <= static_cast<uint64_t>(hi), what, " is ", v.dump(),
               "; at most ", hi, " is allowed");
  int64_t i = v.get<int64_t>();
  WEBDNN_CHECK(i >= lo && i <= hi, what, " is ", i, "; it must lie in [", lo, ", ", hi, "]");
  return Dim(i);
}

Shape numbers_of(const DimShape& dims, const std::string& what) {
  Shape s;
  for (const Dim& d : dims) {
    auto c = d.constant();
    WEBDNN_CHECK(c, what, " holds the dimension '", d.to_string(), "', which must be a number here");
    s.push_back(*c);
  }
  return s;
}

Dim Reader::dim(const char* key, int64_t lo, int64_t hi) const {
  return dim_from_json(at(key), std::string(noun_) + " '" + key + "'", lo, hi);
}

DimShape Reader::dims(const char* key, int count, int64_t lo, int64_t hi) const {
  const Json& v = at(key);
  WEBDNN_CHECK(v.is_array(), noun_, " '", key, "' must be a list of dimensions, not ", v.dump());
  WEBDNN_CHECK(count < 0 || static_cast<int>(v.size()) == count, noun_, " '", key, "' has ", v.size(), " values; ",
               count, " are expected");
  WEBDNN_CHECK(v.size() <= 64, noun_, " '", key, "' has ", v.size(), " values; at most 64 are allowed");
  DimShape out;
  for (const Json& e : v) out.push_back(dim_from_json(e, std::string(noun_) + " '" + key + "'", lo, hi));
  return out;
}

double Reader::number(const char* key) const {
  const Json& v = at(key);
  WEBDNN_CHECK(v.is_number() && std::isfinite(v.get<double>()), noun_, " '", key, "' must be a finite number, not ",
               v.dump());
  return v.get<double>();
}

std::vector<double> Reader::numbers(const char* key, int count) const {
  const Json& v = at(key);
  WEBDNN_CHECK(v.is_array(), noun_, " '", key, "' must be a list of numbers, not ", v.dump());
  WEBDNN_CHECK(count < 0 || static_cast<int>(v.size()) == count, noun_, " '", key, "' has ", v.size(), " values; ",
               count, " are expected");
  std::vector<double> out;
  for (const Json& e : v) {
    WEBDNN_CHECK(e.is_number() && std::isfinite(e.get<double>()), noun_, " '", key,
                 "' must hold finite numbers, not ", e.dump());
    out.push_back(e.get<double>());
  }
  return out;
}

bool Reader::flag(const char* key) const {
  const Json& v = at(key);
  if (v.is_boolean()) return v.get<bool>();
  return as_integer(v, noun_, key, 0, 1) == 1;
}

int Reader::pick(const char* key, std::initializer_list<const char*> options) const {
  const Json& v = at(key);
  int i = 0;
  if (v.is_string())
    for (const char* o : options) {
      if (v.get_ref<const std::string&>() == o) return i;
      i++;
    }
  std::string names;
  for (const char* o : options) names += std::string(names.empty() ? "" : ", ") + o;
  fail(noun_, " '", key, "' is ", v.dump(), "; one of ", names, " is expected");
}

std::string Reader::choice(const char* key, std::initializer_list<const char*> options) const {
  return options.begin()[pick(key, options)];
}

DType Reader::dtype(const char* key) const {
  const Json& v = at(key);
  WEBDNN_CHECK(v.is_string(), noun_, " '", key, "' must name a dtype, not ", v.dump());
  try {
    return dtype_from_name(v.get<std::string>());
  } catch (const std::invalid_argument&) {
    fail(noun_, " '", key, "' is ", v.dump(), ", which is not a dtype");
  }
}

Expr Reader::expr(const char* key) const {
  try {
    return Expr::from_json(at(key));
  } catch (const Error& e) {
    fail(noun_, " '", key, "': ", e.what());
  }
}

std::optional<Expr> Reader::optional_expr(const char* key) const {
  if (!has(key)) return std::nullopt;
  return expr(key);
}

// Epilogue

Epilogue Epilogue::parse(const Reader& r) { return {r.optional_expr("epilogue")}; }

void Epilogue::write(Json& j) const {
  if (expr) j["epilogue"] = expr->to_json();
}

template <class S>
void Epilogue::check(const std::vector<S>& extras, const S& out) const {
  for (const S& s : extras)
    WEBDNN_CHECK(broadcast(s, out) == out, "epilogue input ", shape_to_string(s), " does not broadcast to the output ",
                 shape_to_string(out));
  if (!expr) {
    WEBDNN_CHECK(extras.empty(), extras.size(), " epilogue inputs but no parameter 'epilogue'");
    return;
  }
  WEBDNN_CHECK(expr->num_inputs() <= static_cast<int>(extras.size()) + 1, "parameter 'epilogue' reads input ",
               expr->num_inputs() - 1, " of ", extras.size(), " epilogue inputs");
}

// Window

Window Window::parse(const Reader& r) {
  Window w;
  auto copy = [](const std::vector<int64_t>& v, auto& to) { std::copy(v.begin(), v.end(), to.begin()); };
  copy(r.integers("kernel_shape", 2, 1, kMaxExtent), w.kernel);
  copy(r.integers("strides", 2, 1, kMaxExtent), w.strides);
  copy(r.integers("dilations", 2, 1, kMaxExtent), w.dilations);
  copy(r.integers("pads", 4, 0, kMaxExtent), w.pads);
  return w;
}

void Window::write(Json& j) const {
  j["kernel_shape"] = kernel;
  j["strides"] = strides;
  j["pads"] = pads;
  j["dilations"] = dilations;
}

template <class D>
D Window::output(int d, const D& in, bool ceil_mode) const {
  int64_t k = kernel[d], stride = strides[d], dilation = dilations[d];
  D span = in + pads[d] + pads[d + 2] - dilation * (k - 1) - 1;
  WEBDNN_CHECK(span >= 0, "window of ", k, " (dilation ", dilation, ") is larger than the padded input ", in);
  D out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window may not start in the end padding (the rule PyTorch and onnxruntime follow).
  if (ceil_mode && (out - 1) * stride >= in + pads[d]) out = out - 1;
  return out;
}

// Conv, ConvTranspose, Pool

IntegerGrid IntegerGrid::parse(const Json& j) {
  IntegerGrid g;
  if (!j.contains("integer_grid")) return g;
  Reader grid(j.at("integer_grid"), "integer_grid field");
  g.x_scale = grid.number("x_scale");
  g.w_scales = grid.numbers("w_scales");
  WEBDNN_CHECK(g.x_scale > 0, "integer_grid's x_scale must be positive");
  if (grid.has("x_min")) {
    g.x_min = grid.integer("x_min", -65536, 65536);
    g.x_max = grid.integer("x_max", g.x_min + 1, 65536);
  }
  return g;
}

void IntegerGrid::write(Json& j) const {
  if (x_scale <= 0) return;
  j["integer_grid"] = {{"x_scale", x_scale}, {"w_scales", w_scales}};
  if (has_range()) j["integer_grid"]["x_min"] = x_min, j["integer_grid"]["x_max"] = x_max;
}

Conv Conv::parse(const Json& j) {
  Reader r(j);
  return {Window::parse(r), r.integer("group", 1, kMaxExtent), Epilogue::parse(r), IntegerGrid::parse(j)};
}

Json Conv::to_json() const {
  Json j;
  window.write(j);
  j["group"] = group;
  epilogue.write(j);
  grid.write(j);
  return j;
}

template <class S>
S Conv::output(const S& x, const S& w) const {
  require_rank(x, 4, "the input");
  require_rank(w, 4, "the weight");
  WEBDNN_CHECK(x[1] == w[1] * group && w[0] % group == 0, "input channels ", x[1], " do not match weight ",
               shape_to_string(w), " with group ", group);
  WEBDNN_CHECK(window.kernel[0] == w[2] && window.kernel[1] == w[3], "kernel_shape ", list({window.kernel[0], window.kernel[1]}),
               " disagrees with weight ", shape_to_string(w));
  return checked(S{x[0], w[0], window.output(0, x[2]), window.output(1, x[3])});
}

ConvTranspose ConvTranspose::parse(const Json& j) {
  Reader r(j);
  ConvTranspose c{Window::parse(r), r.integer("group", 1, kMaxExtent), {}, Epilogue::parse(r)};
  std::vector<int64_t> op = r.integers("output_padding", 2, 0, kMaxExtent);
  c.output_padding = {op[0], op[1]};
  return c;
}

Json ConvTranspose::to_json() const {
  Json j;
  window.write(j);
  j["group"] = group;
  j["output_padding"] = output_padding;
  epilogue.write(j);
  return j;
}

template <class S>
S ConvTranspose::output(const S& x, const S& w) const {
  require_rank(x, 4, "the input");
  require_rank(w, 4, "the weight");
  WEBDNN_CHECK(x[1] == w[0] && w[0] % group == 0, "input channels ", x[1], " do not match weight ", shape_to_string(w),
               " with group ", group);
  WEBDNN_CHECK(window.kernel[0] == w[2] && window.kernel[1] == w[3], "kernel_shape disagrees with weight ", shape_to_string(w));
  S out = {x[0], w[1] * group, 0, 0};
  for (int d = 0; d < 2; d++) {
    out[2 + d] = window.strides[d] * (x[2 + d] - 1) + output_padding[d] + (window.kernel[d] - 1) * window.dilations[d] + 1 -
                 window.pads[d] - window.pads[d + 2];
    WEBDNN_CHECK(out[2 + d] >= 0, "the pads leave no output on spatial axis ", d);
  }
  return checked(out);
}

Pool Pool::parse(const Json& j) {
  Reader r(j);
  return {Window::parse(r), r.flag("ceil_mode"), r.flag("count_include_pad")};
}

Json Pool::to_json() const {
  Json j;
  window.write(j);
  j["ceil_mode"] = ceil_mode ? 1 : 0;
  j["count_include_pad"] = count_include_pad ? 1 : 0;
  return j;
}

template <class S>
S Pool::output(const S& x) const {
  require_rank(x, 4, "the input");
  return checked(S{x[0], x[1], window.output(0, x[2], ceil_mode), window.output(1, x[3], ceil_mode)});
}

// Gemm, MatMul

Gemm Gemm::parse(const Json& j) {
  Reader r(j);
  return {r.number("alpha"), r.number("beta"), r.flag("transA"), r.flag("transB"), Epilogue::parse(r), IntegerGrid::parse(j)};
}

Json Gemm::to_json() const {
  Json j = {{"alpha", alpha}, {"beta", beta}, {"transA", trans_a ? 1 : 0}, {"transB", trans_b ? 1 : 0}};
  epilogue.write(j);
  grid.write(j);
  return j;
}

template <class S>
S Gemm::output(const S& a, const S& b, const S* c) const {
  WEBDNN_CHECK(a.size() == 2 && b.size() == 2, "Gemm needs 2-D inputs, got ", shape_to_string(a), " and ", shape_to_string(b));
  auto m = trans_a ? a[1] : a[0], k = trans_a ? a[0] : a[1];
  auto kb = trans_b ? b[1] : b[0], n = trans_b ? b[0] : b[1];
  WEBDNN_CHECK(k == kb, "inner dimensions differ: A ", shape_to_string(a), " B ", shape_to_string(b));
  if (c)
    WEBDNN_CHECK(broadcast(*c, S{m, n}) == S({m, n}), "C ", shape_to_string(*c), " does not broadcast to [", m,
                 ",", n, "]");
  return {m, n};
}

MatMul MatMul::parse(const Json& j) {
  Reader r(j);
  return {Epilogue::parse(r), IntegerGrid::parse(j)};
}

Json MatMul::to_json() const {
  Json j = Json::object();
  epilogue.write(j);
  grid.write(j);
  return j;
}

FusedAttention FusedAttention::parse(const Json& j) {
  Reader r(j);
  return {Epilogue::parse(r)};
}

Json FusedAttention::to_json() const {
  Json j = Json::object();
  epilogue.write(j);
  return j;
}

template <class S>
S MatMul::output(const S& a, const S& b) const {
  WEBDNN_CHECK(!a.empty() && !b.empty(), "MatMul needs inputs of rank 1 or more");
  // numpy: a 1-D A is a row, a 1-D B a column, and the axes before the last two broadcast.
  size_t ra = a.size(), rb = b.size();
  WEBDNN_CHECK(a[ra - 1] == (rb == 1 ? b[0] : b[rb - 2]), "cannot multiply ", shape_to_string(a), " by ",
               shape_to_string(b));
  S out = broadcast(S(a.begin(), a.end() - std::min<size_t>(ra, 2)), S(b.begin(), b.end() - std::min<size_t>(rb, 2)));
  if (ra > 1) out.push_back(a[ra - 2]);
  if (rb > 1) out.push_back(b[rb - 1]);
  return checked(out);
}

// Reductions

Reduce Reduce::parse(const Json& j) {
  Reader r(j);
  Reduce p{r.integers("axes", -1, 0, 63), r.flag("keepdims")};
  for (size_t i = 1; i < p.axes.size(); i++)
    WEBDNN_CHECK(p.axes[i] > p.axes[i - 1], "parameter axes ", list(p.axes), " must be sorted and distinct");
  return p;
}

Json Reduce::to_json() const { return {{"axes", axes}, {"keepdims", keepdims ? 1 : 0}}; }

template <class S>
S Reduce::output(const S& x) const {
  S out;
  size_t next = 0;
  for (int64_t a = 0; a < static_cast<int64_t>(x.size()); a++) {
    bool reduced = next < axes.size() && axes[next] == a;
    if (reduced) next++;
    if (!reduced) out.push_back(x[a]);
    else if (keepdims) out.push_back(1);
  }
  WEBDNN_CHECK(next == axes.size(), "parameter 'axes' ", list(axes), " is out of range for input ", shape_to_string(x));
  return out;
}

ArgReduce ArgReduce::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), r.flag("keepdims"), r.flag("select_last_index")};
}

Json ArgReduce::to_json() const {
  return {{"axis", axis}, {"keepdims", keepdims ? 1 : 0}, {"select_last_index", select_last_index ? 1 : 0}};
}

template <class S>
S ArgReduce::output(const S& x) const {
  WEBDNN_CHECK(axis < static_cast<int64_t>(x.size()), "parameter 'axis' ", axis, " is out of range for input ",
               shape_to_string(x));
  WEBDNN_CHECK(x[axis] > 0, "axis ", axis, " of input ", shape_to_string(x), " is empty; it has no extreme element");
  return Reduce{{axis}, keepdims}.output(x);
}

// TopK

TopK TopK::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), r.dim("k", 0, kMaxExtent), r.flag("largest")};
}

Json TopK::to_json() const { return {{"axis", axis}, {"k", dim_json(k)}, {"largest", largest ? 1 : 0}}; }

template <class S>
S TopK::output(const S& x) const {
  WEBDNN_CHECK(axis < static_cast<int64_t>(x.size()), "parameter 'axis' ", axis, " is out of range for input ",
               shape_to_string(x));
  S out = x;
  if constexpr (std::is_same_v<S, Shape>) out[axis] = numbers_of({k}, "parameter 'k'")[0];
  else out[axis] = k;
  WEBDNN_CHECK(out[axis] <= x[axis], "k = ", out[axis], " is more than the ", x[axis], " elements along axis ", axis,
               " of input ", shape_to_string(x));
  return out;
}

// Axis

Axis Axis::parse(const Json& j) { return {Reader(j).integer("axis", 0, 63)}; }

Json Axis::to_json() const { return {{"axis", axis}}; }

void Axis::check(int rank) const {
  WEBDNN_CHECK(axis < rank, "parameter 'axis' ", axis, " is out of range for rank ", rank);
}

template <class S>
S Axis::gather(const S& data, const S& indices) const {
  check(static_cast<int>(data.size()));
  S out(data.begin(), data.begin() + axis);
  out.insert(out.end(), indices.begin(), indices.end());
  out.insert(out.end(), data.begin() + axis + 1, data.end());
  return checked(out);
}

template <class S>
S Axis::gather_elements(const S& data, const S& indices) const {
  check(static_cast<int>(data.size()));
  WEBDNN_CHECK(indices.size() == data.size(), "indices ", shape_to_string(indices), " must have the rank of data ",
               shape_to_string(data));
  for (size_t d = 0; d < data.size(); d++)
    WEBDNN_CHECK(static_cast<int64_t>(d) == axis || indices[d] <= data[d], "indices ", shape_to_string(indices),
                 " exceed data ", shape_to_string(data), " on axis ", d);
  return indices;
}

// GatherND, CumSum

GatherND GatherND::parse(const Json& j) { return {Reader(j).integer("batch_dims", 0, 63)}; }

Json GatherND::to_json() const { return {{"batch_dims", batch_dims}}; }

namespace {
int64_t tuple_length(int64_t d) { return d; }
int64_t tuple_length(const Dim& d) { return d.value(); }  // specialized: the output's rank depends on it
}  // namespace

template <class S>
S GatherND::output(const S& data, const S& indices) const {
  int64_t r = static_cast<int64_t>(data.size()), q = static_cast<int64_t>(indices.size());
  WEBDNN_CHECK(r >= 1 && q >= 1, "data ", shape_to_string(data), " and indices ", shape_to_string(indices),
               " must both have rank 1 or more");
  WEBDNN_CHECK(batch_dims < std::min(r, q), "parameter 'batch_dims' ", batch_dims, " must be less than the ranks of data ",
               shape_to_string(data), " and indices ", shape_to_string(indices));
  for (int64_t d = 0; d < batch_dims; d++)
    WEBDNN_CHECK(data[d] == indices[d], "batch axis ", d, " of data ", shape_to_string(data), " and indices ",
                 shape_to_string(indices), " differ");
  int64_t last = tuple_length(indices[q - 1]);
  WEBDNN_CHECK(last >= 1 && last <= r - batch_dims, "the last axis of indices ", shape_to_string(indices),
               " must hold 1 to ", r - batch_dims, " coordinates (data ", shape_to_string(data), ", batch_dims ",
               batch_dims, ")");
  S out(indices.begin(), indices.end() - 1);
  out.insert(out.end(), data.begin() + batch_dims + last, data.end());
  return checked(out);
}

CumSum CumSum::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), r.flag("exclusive"), r.flag("reverse")};
}

Json CumSum::to_json() const {
  return {{"axis", axis}, {"exclusive", exclusive ? 1 : 0}, {"reverse", reverse ? 1 : 0}};
}

Split Split::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), r.integers("split", -1, 0, kMaxExtent)};
}

Json Split::to_json() const { return {{"axis", axis}, {"split", split}}; }

template <class S>
std::vector<S> Split::outputs(const S& x) const {
  WEBDNN_CHECK(axis < static_cast<int64_t>(x.size()), "parameter 'axis' ", axis, " is out of range for input ",
               shape_to_string(x));
  int64_t total = 0;
  std::vector<S> out;
  for (int64_t s : split) {
    total += s;
    S o = x;
    o[axis] = s;
    out.push_back(o);
  }
  WEBDNN_CHECK(total == x[axis], "split ", list(split), " adds up to ", total, ", but axis ", axis, " of ",
               shape_to_string(x), " has ", x[axis]);
  return out;
}

// Slice, Pad, Tile, DepthToSpace

Slice Slice::parse(const Json& j) {
  Reader r(j);
  Slice s{r.dims("starts", -1, -1, kMaxExtent), r.dims("ends", -1, -1, kMaxExtent),
          r.integers("steps", -1, -kMaxExtent, kMaxExtent)};
  WEBDNN_CHECK(s.starts.size() == s.ends.size() && s.ends.size() == s.steps.size(),
               "parameters 'starts', 'ends' and 'steps' must have one value per axis each");
  return s;
}

Json Slice::to_json() const { return {{"starts", dims_json(starts)}, {"ends", dims_json(ends)}, {"steps", steps}}; }

template <class S>
S Slice::output(const S& x) const {
  using D = typename S::value_type;
  WEBDNN_CHECK(starts.size() == x.size(), "Slice parameters give ", starts.size(), " axes for input ", shape_to_string(x));
  S out(x.size());
  for (size_t a = 0; a < x.size(); a++) {
    D dim = x[a], s, e;
    if constexpr (std::is_same_v<D, Dim>) {
      s = starts[a];
      e = ends[a];
    } else {
      s = numbers_of({starts[a]}, "parameter 'starts'")[0];
      e = numbers_of({ends[a]}, "parameter 'ends'")[0];
    }
    int64_t k = steps[a];
    WEBDNN_CHECK(k != 0, "the step of axis ", a, " is 0");
    bool clamped = k > 0 ? s >= 0 && s <= dim && e >= 0 && e <= dim : s >= 0 && s <= dim && e >= -1 && e < dim;
    D span = k > 0 ? e - s : s - e;
    int64_t step = k > 0 ? k : -k;
    out[a] = span <= 0 ? D(0) : D((span + step - 1) / step);
    if (out[a] > 0) clamped &= s < dim && s + (out[a] - 1) * k >= 0 && s + (out[a] - 1) * k < dim;
    WEBDNN_CHECK(clamped, "axis ", a, " of size ", dim, ": start ", s, ", end ", e, ", step ", k,
                 " are not clamped to the axis");
  }
  return out;
}

bool Slice::whole(int axis, const Dim& dim) const {
  return starts[axis].constant() == 0 && identical(ends[axis], dim) && steps[axis] == 1;
}

Pad Pad::parse(const Json& j) {
  Reader r(j);
  Pad p;
  p.pads = r.integers("pads", -1, -kMaxExtent, kMaxExtent);
  p.mode = static_cast<Mode>(r.pick("mode", {"constant", "reflect", "edge", "wrap"}));
  p.value = r.number("value");
  return p;
}

Json Pad::to_json() const {
  const char* names[] = {"constant", "reflect", "edge", "wrap"};
  return {{"pads", pads}, {"mode", names[static_cast<int>(mode)]}, {"value", value}};
}

// Resize's names, in the order of its enums.
const std::initializer_list<const char*> kResizeModes = {"nearest", "linear", "cubic"};
const std::initializer_list<const char*> kCoordinateModes = {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
                                                             "align_corners", "asymmetric", "tf_half_pixel_for_nn"};
const std::initializer_list<const char*> kNearestModes = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil",
                                                          "simple"};

template <class S>
S Pad::output(const S& x) const {
  size_t rank = x.size();
  WEBDNN_CHECK(pads.size() == 2 * rank, "pads ", list(pads), " must give ", 2 * rank,
               " values (begin and end of every axis) for the rank-", rank, " input");
  S out(rank);
  for (size_t a = 0; a < rank; a++) {
    out[a] = x[a] + pads[a] + pads[a + rank];
    WEBDNN_CHECK(out[a] >= 0, "pads ", list(pads), " crop more than axis ", a, " of ", shape_to_string(x), " holds");
    // Negative pads crop before the other side is padded: something must be left to repeat.
    auto kept = x[a] + std::min<int64_t>(pads[a], 0) + std::min<int64_t>(pads[a + rank], 0);
    bool grows = pads[a] > 0 || pads[a + rank] > 0;
    WEBDNN_CHECK(mode == Mode::Constant || kept > 0 || !grows, "cannot pad axis ", a,
                 " by repeating: no element of it is left to repeat");
  }
  return checked(out);
}

Tile Tile::parse(const Json& j) { return {Reader(j).integers("repeats", -1, 0, kMaxExtent)}; }

Json Tile::to_json() const { return {{"repeats", repeats}}; }

template <class S>
S Tile::output(const S& x) const {
  WEBDNN_CHECK(repeats.size() == x.size(), "repeats ", list(repeats), " must give one count per axis of ", shape_to_string(x));
  S out(x.size());
  for (size_t a = 0; a < x.size(); a++) out[a] = x[a] * repeats[a];
  return checked(out);
}

DepthToSpace DepthToSpace::parse(const Json& j) {
  Reader r(j);
  return {r.integer("blocksize", 1, 1 << 16), r.choice("mode", {"DCR", "CRD"}) == "DCR"};
}

Json DepthToSpace::to_json() const { return {{"blocksize", blocksize}, {"mode", dcr ? "DCR" : "CRD"}}; }

template <class S>
S DepthToSpace::output(const S& x) const {
  require_rank(x, 4, "the input");
  int64_t b = blocksize;
  WEBDNN_CHECK(x[1] % (b * b) == 0, "channels ", x[1], " are not a multiple of blocksize ", b, " squared");
  return checked(S{x[0], x[1] / (b * b), x[2] * b, x[3] * b});
}

// Reshape, Transpose, Resize

Reshape Reshape::parse(const Json& j) { return {Reader(j).dims("shape", -1, 0, kMaxExtent)}; }

Json Reshape::to_json() const { return {{"shape", dims_json(shape)}}; }

template <class S>
S Reshape::output(const S& x) const {
  if constexpr (std::is_same_v<S, Shape>) {
    Shape to = numbers_of(shape, "parameter 'shape'");
    WEBDNN_CHECK(num_elements(x) == num_elements(to), "cannot reshape ", shape_to_string(x), " to ", shape_to_string(to));
    return to;
  } else {
    WEBDNN_CHECK(identical(num_elements(x), num_elements(shape)) || num_elements(x) == num_elements(shape),
                 "cannot reshape ", shape_to_string(x), " to ", shape_to_string(shape));
    return shape;
  }
}

Transpose Transpose::parse(const Json& j) { return {Reader(j).integers("perm", -1, 0, 63)}; }

Json Transpose::to_json() const { return {{"perm", perm}}; }

template <class S>
S Transpose::output(const S& x) const {
  WEBDNN_CHECK(perm.size() == x.size(), "perm ", list(perm), " for rank ", x.size());
  S out(perm.size());
  std::vector<bool> seen(perm.size(), false);
  for (size_t i = 0; i < perm.size(); i++) {
    WEBDNN_CHECK(perm[i] < static_cast<int64_t>(x.size()) && !seen[perm[i]], "perm ", list(perm), " is not a permutation");
    seen[perm[i]] = true;
    out[i] = x[perm[i]];
  }
  return out;
}

Resize Resize::parse(const Json& j) {
  Reader r(j);
  Resize p;
  p.shape = r.dims("shape", -1, 0, kMaxExtent);
  p.scales = r.numbers("scales", static_cast<int>(p.shape.size()));
  for (double s : p.scales) WEBDNN_CHECK(s >= 0, "parameter 'scales' holds ", s, "; scales must be positive (or 0)");
  p.mode = static_cast<Mode>(r.pick("mode", kResizeModes));
  p.coordinates = static_cast<Coordinates>(r.pick("coordinate_transformation_mode", kCoordinateModes));
  p.nearest = static_cast<Nearest>(r.pick("nearest_mode", kNearestModes));
  // Optional (absent: ONNX's defaults), so that descriptors written before cubic still read.
  if (r.has("cubic_coeff_a")) p.cubic_coeff_a = r.number("cubic_coeff_a");
  if (r.has("exclude_outside")) p.exclude_outside = r.flag("exclude_outside");
  if (r.has("antialias")) p.antialias = r.flag("antialias");
  return p;
}

Json Resize::to_json() const {
  return {{"shape", dims_json(shape)},
          {"scales", scales},
          {"mode", kResizeModes.begin()[static_cast<int>(mode)]},
          {"coordinate_transformation_mode", kCoordinateModes.begin()[static_cast<int>(coordinates)]},
          {"nearest_mode", kNearestModes.begin()[static_cast<int>(nearest)]},
          {"cubic_coeff_a", cubic_coeff_a},
          {"exclude_outside", exclude_outside},
          {"antialias", antialias}};
}

template <class S>
S Resize::output(const S& x) const {
  WEBDNN_CHECK(shape.size() == x.size(), "shape ", shape_to_string(shape), " must match the rank ", x.size(), " of ",
               shape_to_string(x));
  S out;
  if constexpr (std::is_same_v<S, Shape>) out = numbers_of(shape, "parameter 'shape'");
  else out = shape;
  for (size_t a = 0; a < x.size(); a++)
    WEBDNN_CHECK(x[a] > 0 || out[a] == 0, "cannot resize the empty axis ", a, " to ", out[a]);
  return checked(out);
}

std::vector<double> Resize::scales_for(const Shape& in, const Shape& out) const {
  std::vector<double> s = scales;
  for (size_t a = 0; a < s.size() && a < in.size() && a < out.size(); a++)
    if (s[a] == 0) s[a] = in[a] > 0 ? static_cast<float>(out[a]) / static_cast<float>(in[a]) : 1.0;  // in float, as onnxruntime
  return s;
}

// Normalizations

Normalization Normalization::parse(const Json& j) { return {Reader(j).number("epsilon")}; }

Json Normalization::to_json() const { return {{"epsilon", epsilon}}; }

LayerNormalization LayerNormalization::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), r.number("epsilon"), r.has("rms") && r.flag("rms")};
}

Json LayerNormalization::to_json() const {
  Json j = {{"axis", axis}, {"epsilon", epsilon}};
  if (rms) j["rms"] = true;
  return j;
}

Lrn Lrn::parse(const Json& j) {
  Reader r(j);
  return {r.integer("size", 1, 1 << 16), r.number("alpha"), r.number("beta"), r.number("bias")};
}

Json Lrn::to_json() const { return {{"size", size}, {"alpha", alpha}, {"beta", beta}, {"bias", bias}}; }

// Signatures

template <class S>
std::string describe(const BasicTensorType<S>& t, size_t index) {
  return (t.name.empty() ? "#" + std::to_string(index) : "'" + t.name + "'") + " " + shape_to_string(t.shape);
}

void require_inputs(size_t count, size_t min, size_t max) {
  WEBDNN_CHECK(count >= min && count <= max, count, " inputs; ", min,
               max == min ? "" : max > 64 ? " or more" : " to " + std::to_string(max), " are expected");
}

void require_dtype(DType actual, DType dtype, const char* what) {
  WEBDNN_CHECK(actual == dtype, what, " is ", dtype_name(actual), "; ", dtype_name(dtype), " is expected");
}

namespace {
constexpr size_t kAny = 1 << 20;

template <class S>
void require_floats(const TypesOf<S>& in, size_t from = 0) {
  for (size_t i = from; i < in.size(); i++)
    WEBDNN_CHECK(in[i].dtype == DType::Float32, "input ", i, " is ", dtype_name(in[i].dtype), "; float32 is expected");
}

template <class S>
std::vector<S> shapes_from(const TypesOf<S>& in, size_t first) {
  std::vector<S> out;
  for (size_t i = first; i < in.size(); i++) out.push_back(in[i].shape);
  return out;
}

// The epilogue's extra inputs follow `regular` inputs; without an epilogue there are none.
template <class S>
TypesOf<S> with_epilogue(const Epilogue& e, const TypesOf<S>& in, size_t regular, const S& out) {
  if (e.expr) WEBDNN_CHECK(in.size() >= regular, "an epilogue needs all ", regular, " regular inputs");
  e.check(shapes_from(in, std::min(regular, in.size())), out);
  return {{DType::Float32, out}};
}

template <class S>
TypesOf<S> same_type(const TypesOf<S>& in, const S& shape) {
  return {{in[0].dtype, shape}};
}

template <class S>
void require_per_channel(const TypesOf<S>& in, size_t from, const typename S::value_type& c) {
  for (size_t i = from; i < in.size(); i++)
    WEBDNN_CHECK(in[i].shape == S{c}, "input ", i, " is ", shape_to_string(in[i].shape), "; one value per channel, [", c,
                 "], is expected");
}

template <class S>
void require_integer_indices(const BasicTensorType<S>& t) {
  WEBDNN_CHECK(t.dtype == DType::Int64 || t.dtype == DType::Int32, "indices are ", dtype_name(t.dtype),
               "; int64 or int32 is expected");
}

// Conv and ConvTranspose: X, W, an optional bias of one value per output channel, the epilogue's.
template <class S, class P>
TypesOf<S> infer_windowed(const P& p, const TypesOf<S>& in) {
  require_inputs(in, 2, kAny);
  require_floats(in);
  S y = p.output(in[0].shape, in[1].shape);
  if (in.size() > 2)
    WEBDNN_CHECK(in[2].shape == S{y[1]}, "the bias is ", shape_to_string(in[2].shape), "; [", y[1], "] is expected");
  return with_epilogue(p.epilogue, in, 3, y);
}
}  // namespace

template <class S>
TypesOf<S> infer_conv(const Conv& p, const TypesOf<S>& in) {
  return infer_windowed(p, in);
}

template <class S>
TypesOf<S> infer_conv_transpose(const ConvTranspose& p, const TypesOf<S>& in) {
  return infer_windowed(p, in);
}

template <class S>
TypesOf<S> infer_pool(const Pool& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  require_floats(in);
  return {{DType::Float32, p.output(in[0].shape)}};
}

namespace {
// DimValues' and Range's element type: the integers sizes are computed in.
DType integer_dtype(const Reader& r) {
  DType t = r.dtype("dtype");
  WEBDNN_CHECK(t == DType::Int64 || t == DType::Int32, "parameter 'dtype' must be int64 or int32");
  return t;
}
}  // namespace

DimValues DimValues::parse(const Json& j) {
  Reader r(j);
  DimValues p;
  p.dtype = integer_dtype(r);
  p.values = r.dims("values");
  p.scalar = r.flag("scalar");
  WEBDNN_CHECK(!p.scalar || p.values.size() == 1, "a scalar holds one value, not ", p.values.size());
  return p;
}

Json DimValues::to_json() const { return {{"dtype", dtype_name(dtype)}, {"values", dims_json(values)}, {"scalar", scalar}}; }

Range Range::parse(const Json& j) {
  Reader r(j);
  Range p;
  p.dtype = integer_dtype(r);
  p.start = r.dim("start");
  p.count = r.dim("count", 0, kMaxExtent);
  p.delta = r.integer("delta");
  return p;
}

Json Range::to_json() const {
  return {{"dtype", dtype_name(dtype)}, {"start", dim_json(start)}, {"count", dim_json(count)}, {"delta", delta}};
}

template <class S>
TypesOf<S> infer_dim_values(const DimValues& p, const TypesOf<S>& in) {
  require_inputs(in, 0, 0);
  if (p.scalar) return {{p.dtype, S{}}};
  return {{p.dtype, S{static_cast<int64_t>(p.values.size())}}};
}

template <class S>
TypesOf<S> infer_range(const Range& p, const TypesOf<S>& in) {
  require_inputs(in, 0, 0);
  if constexpr (std::is_same_v<S, Shape>) return {{p.dtype, numbers_of({p.count}, "parameter 'count'")}};
  else return {{p.dtype, S{p.count}}};
}

template <class S>
TypesOf<S> infer_gemm(const Gemm& p, const TypesOf<S>& in) {
  require_inputs(in, 2, kAny);
  require_floats(in);
  S y = p.output(in[0].shape, in[1].shape, in.size() > 2 ? &in[2].shape : nullptr);
  return with_epilogue(p.epilogue, in, 3, y);
}

template <class S>
TypesOf<S> infer_matmul(const MatMul& p, const TypesOf<S>& in) {
  require_inputs(in, 2, kAny);
  require_floats(in);
  return with_epilogue(p.epilogue, in, 2, p.output(in[0].shape, in[1].shape));
}

template <class S>
TypesOf<S> infer_fused_attention(const FusedAttention& p, const TypesOf<S>& in) {
  require_inputs(in, 3, kAny);
  require_floats(in);
  for (size_t i = 0; i < 3; i++)
    WEBDNN_CHECK(in[i].shape.size() >= 2, "FusedAttention needs Q, K' and V of rank 2 or more");
  const MatMul product;
  S scores = product.output(in[0].shape, in[1].shape);
  p.epilogue.check(shapes_from(in, 3), scores);
  return {{DType::Float32, product.output(scores, in[2].shape)}};
}

template <class S>
TypesOf<S> infer_reduce(const Reduce& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  WEBDNN_CHECK(in[0].dtype != DType::Bool, "the input is bool; a numeric type is expected");
  return same_type(in, p.output(in[0].shape));
}

template <class S>
TypesOf<S> infer_arg_reduce(const ArgReduce& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  WEBDNN_CHECK(in[0].dtype != DType::Bool, "the input is bool; a numeric type is expected");
  return {{DType::Int64, p.output(in[0].shape)}};
}

template <class S>
TypesOf<S> infer_top_k(const TopK& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 2);  // input 1: where k is a data symbol, the value it was found in (unread)
  WEBDNN_CHECK(in[0].dtype != DType::Bool, "the input is bool; a numeric type is expected");
  S out = p.output(in[0].shape);
  return {{in[0].dtype, out}, {DType::Int64, out}};
}

template <class S>
TypesOf<S> infer_concat(const Axis& p, const TypesOf<S>& in) {
  require_inputs(in, 1, kAny);
  p.check(static_cast<int>(in[0].shape.size()));
  S out = in[0].shape;
  out[p.axis] = 0;
  for (size_t i = 0; i < in.size(); i++) {
    const BasicTensorType<S>& t = in[i];
    WEBDNN_CHECK(t.dtype == in[0].dtype, "input ", describe(t, i), " is ", dtype_name(t.dtype), " but ", describe(in[0], 0),
                 " is ", dtype_name(in[0].dtype));
    WEBDNN_CHECK(t.shape.size() == out.size(), "input ", describe(t, i), " has another rank than ", describe(in[0], 0));
    for (size_t d = 0; d < out.size(); d++)
      WEBDNN_CHECK(static_cast<int64_t>(d) == p.axis || t.shape[d] == in[0].shape[d], "input ", describe(t, i),
                   " differs from ", describe(in[0], 0), " on axis ", d, ", which is not the concatenation axis ", p.axis);
    out[p.axis] += t.shape[p.axis];
  }
  return same_type(in, checked(out));
}

template <class S>
TypesOf<S> infer_gather(const Axis& p, const TypesOf<S>& in) {
  require_inputs(in, 2, 2);
  require_integer_indices(in[1]);
  return same_type(in, p.gather(in[0].shape, in[1].shape));
}

template <class S>
TypesOf<S> infer_gather_elements(const Axis& p, const TypesOf<S>& in) {
  require_inputs(in, 2, 2);
  require_integer_indices(in[1]);
  return same_type(in, p.gather_elements(in[0].shape, in[1].shape));
}

template <class S>
TypesOf<S> infer_gather_nd(const GatherND& p, const TypesOf<S>& in) {
  require_inputs(in, 2, 2);
  require_integer_indices(in[1]);
  return same_type(in, p.output(in[0].shape, in[1].shape));
}

template <class S>
TypesOf<S> infer_cum_sum(const CumSum& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  DType t = in[0].dtype;
  WEBDNN_CHECK(t == DType::Float32 || t == DType::Int64 || t == DType::Int32, "the input is ", dtype_name(t),
               "; float32, int64 or int32 is expected");
  Axis{p.axis}.check(static_cast<int>(in[0].shape.size()));
  return {in[0]};
}

template <class S>
TypesOf<S> infer_softmax(const Axis& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  require_floats(in);
  p.check(static_cast<int>(in[0].shape.size()));
  return in;
}

template <class S>
TypesOf<S> infer_split(const Split& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  TypesOf<S> out;
  for (const S& s : p.outputs(in[0].shape)) out.push_back({in[0].dtype, s});
  return out;
}

// Operators of one input whose output has its dtype and the shape the parameters' output() gives.
#define WEBDNN_SHAPED_LIKE_INPUT(name, P)                   \
  template <class S>                                        \
  TypesOf<S> name(const P& p, const TypesOf<S>& in) {      \
    require_inputs(in, 1, 1);                               \
    return same_type(in, p.output(in[0].shape));           \
  }
WEBDNN_SHAPED_LIKE_INPUT(infer_slice, Slice)
WEBDNN_SHAPED_LIKE_INPUT(infer_pad, Pad)
WEBDNN_SHAPED_LIKE_INPUT(infer_tile, Tile)
WEBDNN_SHAPED_LIKE_INPUT(infer_depth_to_space, DepthToSpace)
WEBDNN_SHAPED_LIKE_INPUT(infer_reshape, Reshape)
WEBDNN_SHAPED_LIKE_INPUT(infer_transpose, Transpose)
WEBDNN_SHAPED_LIKE_INPUT(infer_resize, Resize)
#undef WEBDNN_SHAPED_LIKE_INPUT

template <class S>
TypesOf<S> infer_batch_norm(const Normalization&, const TypesOf<S>& in) {
  require_inputs(in, 5, 5);
  require_floats(in);
  WEBDNN_CHECK(in[0].shape.size() >= 2, "the input is ", shape_to_string(in[0].shape), "; N C ... is expected");
  require_per_channel(in, 1, in[0].shape[1]);
  return {in[0]};
}

template <class S>
TypesOf<S> infer_instance_norm(const Normalization&, const TypesOf<S>& in) {
  require_inputs(in, 3, 3);
  require_floats(in);
  WEBDNN_CHECK(in[0].shape.size() >= 3, "the input is ", shape_to_string(in[0].shape), "; N C D1 ... is expected");
  require_per_channel(in, 1, in[0].shape[1]);
  return {in[0]};
}

template <class S>
TypesOf<S> infer_layer_norm(const LayerNormalization& p, const TypesOf<S>& in) {
  require_inputs(in, 2, 3);
  require_floats(in);
  const S& x = in[0].shape;
  Axis{p.axis}.check(static_cast<int>(x.size()));
  for (size_t i = 1; i < in.size(); i++) {
    const S& s = in[i].shape;
    bool fits = s.size() <= x.size();
    for (size_t d = 1; fits && d <= s.size(); d++) fits = s[s.size() - d] == x[x.size() - d] || s[s.size() - d] == 1;
    WEBDNN_CHECK(fits, "input ", describe(in[i], i), " does not broadcast to X ", shape_to_string(x));
  }
  return {in[0]};
}

template <class S>
TypesOf<S> infer_lrn(const Lrn&, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  require_floats(in);
  WEBDNN_CHECK(in[0].shape.size() >= 2, "the input is ", shape_to_string(in[0].shape), "; N C ... is expected");
  return in;
}

template <class S>
S infer_elementwise(const Expr& e, const TypesOf<S>& in, const S& shape) {
  WEBDNN_CHECK(e.num_inputs() <= static_cast<int>(in.size()), "the expression reads input ", e.num_inputs() - 1, " of ",
               in.size());
  S out = shape;
  for (const BasicTensorType<S>& t : in) out = broadcast(out, t.shape);
  return checked(out);
}

// Every function above, for shapes of numbers and of symbolic dims.
#define WEBDNN_SIGNATURES(S)                                                                                  \
  template std::string describe(const BasicTensorType<S>&, size_t);                                          \
  template TypesOf<S> infer_conv(const Conv&, const TypesOf<S>&);                                            \
  template TypesOf<S> infer_conv_transpose(const ConvTranspose&, const TypesOf<S>&);                         \
  template TypesOf<S> infer_pool(const Pool&, const TypesOf<S>&);                                            \
  template TypesOf<S> infer_gemm(const Gemm&, const TypesOf<S>&);                                            \
  template TypesOf<S> infer_matmul(const MatMul&, const TypesOf<S>&);                                        \
  template TypesOf<S> infer_fused_attention(const FusedAttention&, const TypesOf<S>&);                      \
  template TypesOf<S> infer_reduce(const Reduce&, const TypesOf<S>&);                                        \
  template TypesOf<S> infer_arg_reduce(const ArgReduce&, const TypesOf<S>&);                                 \
  template TypesOf<S> infer_top_k(const TopK&, const TypesOf<S>&);                                           \
  template TypesOf<S> infer_concat(const Axis&, const TypesOf<S>&);                                          \
  template TypesOf<S> infer_gather(const Axis&, const TypesOf<S>&);                                          \
  template TypesOf<S> infer_gather_elements(const Axis&, const TypesOf<S>&);                                 \
  template TypesOf<S> infer_gather_nd(const GatherND&, const TypesOf<S>&);                                   \
  template TypesOf<S> infer_cum_sum(const CumSum&, const TypesOf<S>&);                                       \
  template TypesOf<S> infer_softmax(const Axis&, const TypesOf<S>&);                                         \
  template TypesOf<S> infer_dim_values(const DimValues&, const TypesOf<S>&);                                 \
  template TypesOf<S> infer_range(const Range&, const TypesOf<S>&);                                          \
  template TypesOf<S> infer_split(const Split&, const TypesOf<S>&);                                          \
  template TypesOf<S> infer_slice(const Slice&, const TypesOf<S>&);                                          \
  template TypesOf<S> infer_pad(const Pad&, const TypesOf<S>&);                                              \
  template TypesOf<S> infer_tile(const Tile&, const TypesOf<S>&);                                            \
  template TypesOf<S> infer_depth_to_space(const DepthToSpace&, const TypesOf<S>&);                          \
  template TypesOf<S> infer_reshape(const Reshape&, const TypesOf<S>&);                                      \
  template TypesOf<S> infer_transpose(const Transpose&, const TypesOf<S>&);                                  \
  template TypesOf<S> infer_resize(const Resize&, const TypesOf<S>&);                                        \
  template TypesOf<S> infer_batch_norm(const Normalization&, const TypesOf<S>&);                             \
  template TypesOf<S> infer_instance_norm(const Normalization&, const TypesOf<S>&);                          \
  template TypesOf<S> infer_layer_norm(const LayerNormalization&, const TypesOf<S>&);                        \
  template TypesOf<S> infer_lrn(const Lrn&, const TypesOf<S>&);                                              \
  template S infer_elementwise(const Expr&, const TypesOf<S>&, const S&);                                    \
  template S Conv::output(const S&, const S&) const;                                                         \
  template S ConvTranspose::output(const S&, const S&) const;                                                \
  template S Pool::output(const S&) const;                                                                   \
  template S Gemm::output(const S&, const S&, const S*) const;                                               \
  template S MatMul::output(const S&, const S&) const;                                                       \
  template S Reduce::output(const S&) const;                                                                 \
  template S ArgReduce::output(const S&) const;                                                              \
  template S TopK::output(const S&) const;                                                                   \
  template S Axis::gather(const S&, const S&) const;                                                         \
  template S Axis::gather_elements(const S&, const S&) const;                                                \
  template S GatherND::output(const S&, const S&) const;                                                     \
  template std::vector<S> Split::outputs(const S&) const;                                                    \
  template S Slice::output(const S&) const;                                                                  \
  template S Pad::output(const S&) const;                                                                    \
  template S Tile::output(const S&) const;                                                                   \
  template S DepthToSpace::output(const S&) const;                                                           \
  template S Reshape::output(const S&) const;                                                                \
  template S Transpose::output(const S&) const;                                                              \
  template S Resize::output(const S&) const;                                                                 \
  template S::value_type Window::output(int, const S::value_type&, bool) const;
WEBDNN_SIGNATURES(Shape)
WEBDNN_SIGNATURES(DimShape)
#undef WEBDNN_SIGNATURES

}  // namespace webdnn::params
