// Operator parameters: one struct per family, parsed and checked in one place.
//
// Parameters travel as JSON, in the IR and in descriptors. Every reader (shape inference, rules,
// reference kernels, wasm kernels, the GPU generators) goes through these structs instead of
// reading fields itself: parse() takes every field as written, with no defaults (the ONNX
// frontend writes them all, ONNX defaults filled in) and checks its range; to_json() writes
// them all back. What a parameter must satisfy given the operator's input shapes (group divides
// the channels, a window fits its padded input...) is checked by the struct's shape function,
// which both the transpiler's shape inference and the runtime's validation of a descriptor call.
// Every error names the field; callers add the operator.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "webdnn/dim.h"
#include "webdnn/dtype.h"
#include "webdnn/expr.h"
#include "webdnn/json.h"
#include "webdnn/shape.h"

namespace webdnn::params {

// Largest value a size-like parameter may hold: products of a few of them still fit in int64.
constexpr int64_t kMaxExtent = int64_t{1} << 40;

class Reader {
 public:
  // `noun` names the fields in messages: "parameter 'group' is ...".
  explicit Reader(const Json& j, const char* noun = "parameter");
  bool has(const char* key) const;
  // An integer in [lo, hi].
  int64_t integer(const char* key, int64_t lo = -kMaxExtent, int64_t hi = kMaxExtent) const;
  // A list of integers, each in [lo, hi]; `count` of them unless count < 0.
  std::vector<int64_t> integers(const char* key, int count = -1, int64_t lo = -kMaxExtent,
                                int64_t hi = kMaxExtent) const;
  double number(const char* key) const;  // finite
  std::vector<double> numbers(const char* key, int count = -1) const;
  bool flag(const char* key) const;  // 0 / 1 or false / true
  std::string choice(const char* key, std::initializer_list<const char*> options) const;
  // The index of the option the string names, for parameters kept as enums.
  int pick(const char* key, std::initializer_list<const char*> options) const;
  DType dtype(const char* key) const;
  // A dimension: an integer in [lo, hi], or {"dim": "expression"} of the symbols in scope
  // (SymbolScope), as the transpiler writes dims of models with free dimensions.
  Dim dim(const char* key, int64_t lo = -kMaxExtent, int64_t hi = kMaxExtent) const;
  DimShape dims(const char* key, int count = -1, int64_t lo = -kMaxExtent, int64_t hi = kMaxExtent) const;
  Expr expr(const char* key) const;
  std::optional<Expr> optional_expr(const char* key) const;  // absent: none

 private:
  const Json& at(const char* key) const;
  const Json& j_;
  const char* noun_;
};

// How a dim is written in JSON: a number when it is one, else {"dim": "2*batch"}.
Json dim_json(const Dim& d);
Json dims_json(const DimShape& dims);
// The dim a JSON value of that form holds; `what` names it in messages.
Dim dim_from_json(const Json& v, const std::string& what, int64_t lo = -kMaxExtent, int64_t hi = kMaxExtent);
// The numbers of dims that must be numbers (the runtime's kernels); `what` names them in messages.
Shape numbers_of(const DimShape& dims, const std::string& what);

// The epilogue of Conv, ConvTranspose, Gemm and MatMul: an expression applied to each output
// element (x0), the extra inputs after the operator's own (x1...) broadcast to the output.
struct Epilogue {
  std::optional<Expr> expr;
  static Epilogue parse(const Reader& r);
  void write(Json& j) const;
  // The extra inputs' shapes must broadcast to `out`, and the expression must read no other.
  template <class S>
  void check(const std::vector<S>& extras, const S& out) const;
};

// The 2-D window of Conv, ConvTranspose, MaxPool and AveragePool over NCHW tensors
// (1-D windows are lifted to a height of 1 by the frontend).
struct Window {
  std::array<int64_t, 2> kernel{1, 1}, strides{1, 1}, dilations{1, 1};
  std::array<int64_t, 4> pads{0, 0, 0, 0};  // top, left, bottom, right
  static Window parse(const Reader& r);
  void write(Json& j) const;
  // Output extent of spatial axis d (0: H, 1: W) for an input extent `in`.
  template <class D>
  D output(int d, const D& in, bool ceil_mode = false) const;
};

// What a quantized model's Conv, MatMul or Gemm is known to read (rule record_integer_grid): input
// values that are whole multiples of `x_scale` and weights of output channel (column) m that are
// whole multiples of `w_scales[m]`, so that a kernel may compute it in integers, exactly. No
// backend has to.
struct IntegerGrid {
  double x_scale = 0;  // 0: none
  std::vector<double> w_scales;
  // The range of the input's multiples (a QuantizeLinear's [min, max] less its zero point), where
  // known (x_min < x_max; optional in the JSON, which older descriptors lack): what an integer
  // kernel packing them into 8 bits needs.
  int64_t x_min = 0, x_max = 0;
  bool has_range() const { return x_min < x_max; }
  static IntegerGrid parse(const Json& j);  // the operator's parameters
  void write(Json& j) const;
};

struct Conv {
  Window window;
  int64_t group = 1;
  Epilogue epilogue;
  IntegerGrid grid;
  static Conv parse(const Json& j);
  Json to_json() const;
  // X [N,C,H,W], W [M,C/group,kh,kw] -> Y [N,M,OH,OW]; bias, if any, [M].
  template <class S>
  S output(const S& x, const S& w) const;
};

struct ConvTranspose {
  Window window;
  int64_t group = 1;
  std::array<int64_t, 2> output_padding{0, 0};
  Epilogue epilogue;
  static ConvTranspose parse(const Json& j);
  Json to_json() const;
  // X [N,C,H,W], W [C,M/group,kh,kw] -> Y [N,M,OH,OW].
  template <class S>
  S output(const S& x, const S& w) const;
};

struct Pool {
  Window window;
  bool ceil_mode = false;
  bool count_include_pad = false;  // AveragePool
  static Pool parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

struct Gemm {
  double alpha = 1, beta = 1;
  bool trans_a = false, trans_b = false;
  Epilogue epilogue;
  IntegerGrid grid;
  static Gemm parse(const Json& j);
  Json to_json() const;
  // A [M,K] (or [K,M]), B [K,N] (or [N,K]), optional C broadcast to [M,N].
  template <class S>
  S output(const S& a, const S& b, const S* c) const;
};

struct MatMul {
  Epilogue epilogue;
  IntegerGrid grid;
  static MatMul parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& a, const S& b) const;  // numpy matmul
};

// FusedAttention, which the wasm backend's fuse_attention rule makes of MatMul -> Softmax ->
// MatMul: Y = softmax(epilogue(Q . K')) . V, the softmax along the scores' last axis. Q [..., S, D]
// and K' [..., D, T] are the first MatMul's operands (K already transposed), V [..., T, Dv], batch
// axes broadcasting as MatMul's; the epilogue is the first MatMul's, over the scores [..., S, T],
// its extra inputs after V.
struct FusedAttention {
  Epilogue epilogue;
  static FusedAttention parse(const Json& j);
  Json to_json() const;
};

// MatMulInteger: A [..., M, K] times B [..., K, N] (numpy batch axes) of integers (8-bit values,
// in any integer dtype), each less its zero point (A's a scalar or one per row [M], B's a scalar
// or one per column [N]), summed exactly into int32. It has no parameters.
struct MatMulInteger {
  static MatMulInteger parse(const Json& j);
  Json to_json() const;
};

// MatMulNBits (onnxruntime's com.microsoft op): Y [..., N] = A [..., K] times W', W [N, K] held as
// `bits`-bit unsigned integers in blocks of `block_size` along K, each block with its own scale
// and zero point: W[n, k] = (q[n, k] - zero_point[n, b]) * scale[n, b], b = k / block_size.
// Inputs: A (float32), B (uint8 [N, blocks, block_size * bits / 8], the values packed low bits
// first), scales and zero points (float32 [N, blocks]), an optional bias (float32 [N]).
struct MatMulNBits {
  int64_t K = 0, bits = 4, block_size = 32;
  static MatMulNBits parse(const Json& j);
  Json to_json() const;
  int64_t blocks() const { return (K + block_size - 1) / block_size; }
  int64_t block_bytes() const { return block_size * bits / 8; }
};

// ReduceMax, ReduceSum, ...: axes sorted, distinct, non-negative (all axes spelled out).
struct Reduce {
  std::vector<int64_t> axes;
  bool keepdims = true;
  static Reduce parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

// ArgMax / ArgMin.
struct ArgReduce {
  int64_t axis = 0;
  bool keepdims = true, select_last_index = false;
  static ArgReduce parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

// TopK: the k largest (or smallest) elements along `axis`, in order, and their indices.
struct TopK {
  int64_t axis = 0;
  Dim k = 0;  // a number, or a dim of the model's free dimensions
  bool largest = true;
  static TopK parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

// One non-negative axis: Concat, Gather, GatherElements, Softmax, LogSoftmax.
struct Axis {
  int64_t axis = 0;
  static Axis parse(const Json& j);
  Json to_json() const;
  void check(int rank) const;
  template <class S>
  S gather(const S& data, const S& indices) const;
  template <class S>
  S gather_elements(const S& data, const S& indices) const;
};

// GatherND: the first batch_dims axes of data and indices are shared; each row of the indices'
// last axis addresses a slice of data (ONNX GatherND-12/13).
struct GatherND {
  int64_t batch_dims = 0;
  static GatherND parse(const Json& j);
  Json to_json() const;
  // indices[:-1] + data[batch_dims + indices[-1]:] (the tuple length indices[-1] is a number)
  template <class S>
  S output(const S& data, const S& indices) const;
};

// CumSum along a non-negative axis; exclusive leaves the element itself out of its sum, reverse
// sums from the end of the axis.
struct CumSum {
  int64_t axis = 0;
  bool exclusive = false, reverse = false;
  static CumSum parse(const Json& j);
  Json to_json() const;
};

// ScatterND and ScatterElements (implemented in runtime/core/params_sampling.cc): how an update
// combines with the element it lands on (none: replaces it); updates apply in index order.
enum class ScatterReduction { None, Add, Mul, Max, Min };

// ScatterND: data, indices [..., k] (each row of the last axis a coordinate tuple into data's
// first k axes) and updates indices[:-1] + data[k:] -> data's shape.
struct ScatterND {
  ScatterReduction reduction = ScatterReduction::None;
  static ScatterND parse(const Json& j);
  Json to_json() const;
};

// ScatterElements along a non-negative axis: indices and updates of one shape, of data's rank.
struct ScatterElements {
  int64_t axis = 0;
  ScatterReduction reduction = ScatterReduction::None;
  static ScatterElements parse(const Json& j);
  Json to_json() const;
};

// GridSample of X [N, C, H, W] at grid [N, Ho, Wo, 2] (x, y in [-1, 1]) -> [N, C, Ho, Wo].
struct GridSample {
  enum class Mode { Bilinear, Nearest, Bicubic };
  enum class Padding { Zeros, Border, Reflection };
  Mode mode = Mode::Bilinear;
  Padding padding = Padding::Zeros;
  bool align_corners = false;
  static GridSample parse(const Json& j);
  Json to_json() const;
};

// RoiAlign of X [N, C, H, W] over rois [R, 4] (x1, y1, x2, y2) of images batch_indices [R]
// -> [R, C, output_height, output_width]. sampling_ratio 0: ceil(roi extent / output extent)
// samples per bin; half_pixel: the rois' corners shift by -0.5 (opset 16's default).
struct RoiAlign {
  enum class Mode { Avg, Max };
  Mode mode = Mode::Avg;
  int64_t output_height = 1, output_width = 1, sampling_ratio = 0;
  double spatial_scale = 1;
  bool half_pixel = true;
  // sampling_ratio 0 takes at most this many samples per bin along an axis: a bin that wide is
  // no real model's, and an absurd region (1e31 wide) would otherwise loop for ever.
  static constexpr int64_t kMaxAdaptiveSamples = 1024;
  static RoiAlign parse(const Json& j);
  Json to_json() const;
};

// Operators whose output size depends on the input values (NonZero, NonMaxSuppression). The
// converter gives that size a symbol of its own, a *data symbol* (docs/descriptor.md, "Sizes known
// only at run time"), and the output is declared with `count` rows. A runtime runs the kernel with
// `count` at its capacity (the most rows the inputs allow); the kernel writes the rows it finds
// compactly at the front, as if the output held that many, and their number into its last output,
// an int64 [1]; the runner binds the symbol to that number for the operators after it.
struct NonZero {
  Dim count;
  static NonZero parse(const Json& j);
  Json to_json() const;
};

// SizeFromValue: the one value of an integer tensor as the data symbol `count` (TopK's k when a
// model computes it from values). Its output, an int64 [1], receives the value, which must lie in
// [0, most]; the symbol's capacity is `most`.
struct SizeFromValue {
  Dim count, most;
  static SizeFromValue parse(const Json& j);
  Json to_json() const;
};

// NonMaxSuppression of boxes [B, N, 4] with scores [B, C, N] -> selected [count, 3] (batch,
// class, box): for each batch and class, boxes in decreasing score above the score threshold (when
// there is one), each kept unless its IoU with one kept before exceeds iou_threshold, at most
// max_output_boxes_per_class of them. center_point_box: boxes are [x_center, y_center, width,
// height], else two opposite corners [y1, x1, y2, x2].
struct NonMaxSuppression {
  bool center_point_box = false;
  int64_t max_output_boxes_per_class = 0;
  double iou_threshold = 0;
  bool has_score_threshold = false;
  double score_threshold = 0;
  Dim count;
  static NonMaxSuppression parse(const Json& j);
  Json to_json() const;
  template <class S>
  typename S::value_type capacity(const S& boxes, const S& scores) const;
};

// DimValues: a small integer tensor (a scalar, or a list) whose elements are dims: what a shape
// computation of a model with free dimensions (Shape -> Gather -> Concat ...) comes to, evaluated
// once the symbols have values. No inputs.
struct DimValues {
  DType dtype = DType::Int64;
  DimShape values;
  bool scalar = false;  // one value, as a 0-d tensor
  static DimValues parse(const Json& j);
  Json to_json() const;
};

// Range of integers whose bounds are dims: start, start + delta, ... (count values). No inputs.
struct Range {
  DType dtype = DType::Int64;
  Dim start, count;
  int64_t delta = 1;
  static Range parse(const Json& j);
  Json to_json() const;
};

struct Split {
  int64_t axis = 0;
  std::vector<int64_t> split;  // the size of each output along axis
  static Split parse(const Json& j);
  Json to_json() const;
  template <class S>
  std::vector<S> outputs(const S& x) const;
};

// Per axis, clamped as the ONNX spec says: with a positive step 0 <= start, end <= dim; with a
// negative step 0 <= start <= dim-1 and -1 <= end <= dim-1 (end -1: through index 0).
struct Slice {
  DimShape starts, ends;  // numbers, or dims of the model's symbols
  std::vector<int64_t> steps;
  static Slice parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
  bool whole(int axis, const Dim& dim) const;  // the axis is kept as it is
};

struct Pad {
  enum class Mode { Constant, Reflect, Edge, Wrap };
  std::vector<int64_t> pads;  // begins of every axis, then ends; negative ones crop
  Mode mode = Mode::Constant;
  double value = 0;
  static Pad parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

struct Tile {
  std::vector<int64_t> repeats;
  static Tile parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

struct DepthToSpace {
  int64_t blocksize = 1;
  bool dcr = true;  // mode DCR (else CRD)
  static DepthToSpace parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

struct Reshape {
  DimShape shape;  // every dimension given; numbers, or dims of the model's symbols
  static Reshape parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

struct Transpose {
  std::vector<int64_t> perm;
  static Transpose parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
};

// Resize with a static output shape; scales map output coordinates back to input ones.
struct Resize {
  enum class Mode { Nearest, Linear, Cubic };
  enum class Coordinates { HalfPixel, HalfPixelSymmetric, PytorchHalfPixel, AlignCorners, Asymmetric, TfHalfPixelForNn };
  enum class Nearest { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple };
  DimShape shape;              // numbers, or dims of the model's symbols
  std::vector<double> scales;  // 0: output / input of that axis, known once the sizes are
  Mode mode = Mode::Nearest;
  Coordinates coordinates = Coordinates::HalfPixel;
  Nearest nearest = Nearest::RoundPreferFloor;
  double cubic_coeff_a = -0.75;  // the cubic filter's a (Keys' kernel)
  bool exclude_outside = false;  // linear/cubic: taps outside the input get weight 0, the rest renormalized
  bool antialias = false;        // linear/cubic: when shrinking, the filter widens by 1 / scale
  static Resize parse(const Json& j);
  Json to_json() const;
  template <class S>
  S output(const S& x) const;
  // Every axis's scale for these input and output sizes.
  std::vector<double> scales_for(const Shape& in, const Shape& out) const;
};

// BatchNormalization and InstanceNormalization.
struct Normalization {
  double epsilon = 1e-5;
  static Normalization parse(const Json& j);
  Json to_json() const;
};

struct LayerNormalization {
  int64_t axis = -1;
  double epsilon = 1e-5;
  // Statistics about zero instead of the mean: x / sqrt(mean(x^2) + epsilon) * scale + bias
  // (RMSNormalization and onnxruntime's SimplifiedLayerNormalization).
  bool rms = false;
  static LayerNormalization parse(const Json& j);
  Json to_json() const;
};

struct Lrn {
  int64_t size = 1;
  double alpha = 1e-4, beta = 0.75, bias = 1.0;
  static Lrn parse(const Json& j);
  Json to_json() const;
};

// Operator signatures: each function checks an operator's inputs (dtype, shape) against its
// parameters and returns its outputs'. The transpiler's shape inference (src/ops) and the
// runtime's validation of every kernel call in a descriptor both call them, so an operator's
// rules are written once. Inputs are given in the operator's order; optional ones missing are
// absent from the end.
//
// They are written once for both kinds of shape: numbers (Shape: the runtime, and the transpiler
// for static models) and symbolic dimensions (DimShape: the transpiler for models with free
// dimensions, where comparisons of symbols become guards; see webdnn/dim.h).
template <class S>
struct BasicTensorType {
  DType dtype = DType::Float32;
  S shape;
  std::string name;  // for messages; may be empty
  BasicTensorType(DType d = DType::Float32, S s = {}, std::string n = {}) : dtype(d), shape(std::move(s)), name(std::move(n)) {}
  bool operator==(const BasicTensorType& o) const { return dtype == o.dtype && shape == o.shape; }
};
template <class S>
using TypesOf = std::vector<BasicTensorType<S>>;
using TensorType = BasicTensorType<Shape>;
using Types = std::vector<TensorType>;
using SymTensorType = BasicTensorType<DimShape>;
using SymTypes = std::vector<SymTensorType>;

template <class S>
TypesOf<S> infer_conv(const Conv& p, const TypesOf<S>& in);  // X, W, B?, epilogue inputs
template <class S>
TypesOf<S> infer_conv_transpose(const ConvTranspose& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_pool(const Pool& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_gemm(const Gemm& p, const TypesOf<S>& in);  // A, B, C?, epilogue inputs
template <class S>
TypesOf<S> infer_matmul(const MatMul& p, const TypesOf<S>& in);  // A, B, epilogue inputs
template <class S>
TypesOf<S> infer_fused_attention(const FusedAttention& p, const TypesOf<S>& in);  // Q, K', V, extras
template <class S>
TypesOf<S> infer_matmul_integer(const MatMulInteger& p, const TypesOf<S>& in);  // A, B, A's zero point, B's
// ConvInteger: Conv's window and group (no epilogue) over integer X and W less their zero points
// (X's one value, W's one or one per output channel [M]), padding contributing nothing, summed
// exactly into int32.
template <class S>
TypesOf<S> infer_conv_integer(const Conv& p, const TypesOf<S>& in);  // X, W, X's zero point, W's
template <class S>
TypesOf<S> infer_matmul_nbits(const MatMulNBits& p, const TypesOf<S>& in);  // A, B, scales, zero points, bias?
template <class S>
TypesOf<S> infer_reduce(const Reduce& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_arg_reduce(const ArgReduce& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_top_k(const TopK& p, const TypesOf<S>& in);  // values, int64 indices
template <class S>
TypesOf<S> infer_concat(const Axis& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_gather(const Axis& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_gather_elements(const Axis& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_gather_nd(const GatherND& p, const TypesOf<S>& in);  // data, indices
template <class S>
TypesOf<S> infer_scatter_nd(const ScatterND& p, const TypesOf<S>& in);  // data, indices, updates
template <class S>
TypesOf<S> infer_scatter_elements(const ScatterElements& p, const TypesOf<S>& in);  // data, indices, updates
template <class S>
TypesOf<S> infer_grid_sample(const GridSample& p, const TypesOf<S>& in);  // X, grid
template <class S>
TypesOf<S> infer_roi_align(const RoiAlign& p, const TypesOf<S>& in);  // X, rois, batch_indices
template <class S>
TypesOf<S> infer_non_zero(const NonZero& p, const TypesOf<S>& in);  // int64 [rank, count], int64 [1]
template <class S>
TypesOf<S> infer_size_from_value(const SizeFromValue& p, const TypesOf<S>& in);  // int64 [1]
template <class S>
TypesOf<S> infer_non_max_suppression(const NonMaxSuppression& p, const TypesOf<S>& in);  // boxes, scores
template <class S>
TypesOf<S> infer_cum_sum(const CumSum& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_dim_values(const DimValues& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_range(const Range& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_softmax(const Axis& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_split(const Split& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_slice(const Slice& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_pad(const Pad& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_tile(const Tile& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_depth_to_space(const DepthToSpace& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_reshape(const Reshape& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_transpose(const Transpose& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_resize(const Resize& p, const TypesOf<S>& in);
template <class S>
TypesOf<S> infer_batch_norm(const Normalization& p, const TypesOf<S>& in);  // X, scale, B, mean, var
template <class S>
TypesOf<S> infer_instance_norm(const Normalization& p, const TypesOf<S>& in);  // X, scale, B
template <class S>
TypesOf<S> infer_layer_norm(const LayerNormalization& p, const TypesOf<S>& in);  // X, scale, B?
template <class S>
TypesOf<S> infer_lrn(const Lrn& p, const TypesOf<S>& in);
// Elementwise expressions: every input broadcasts to the output `shape` (the inputs' broadcast
// shape, or larger for Expand), each read by the expression at most once per index.
template <class S>
S infer_elementwise(const Expr& e, const TypesOf<S>& in, const S& shape = {});

// "'name' [2,3]" (or "#1 [2,3]" without a name), for messages.
template <class S>
std::string describe(const BasicTensorType<S>& t, size_t index);
// Input-count checks for the functions above.
void require_inputs(size_t count, size_t min, size_t max);
template <class S>
void require_inputs(const TypesOf<S>& in, size_t min, size_t max) {
  require_inputs(in.size(), min, max);
}
template <class S>
void require_dtype(const BasicTensorType<S>& t, DType dtype, const char* what) {
  require_dtype(t.dtype, dtype, what);
}
void require_dtype(DType actual, DType dtype, const char* what);

}  // namespace webdnn::params
