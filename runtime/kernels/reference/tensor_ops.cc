// Reference Concat, Split, Slice, Pad, Tile and DepthToSpace. They only move elements, so they
// copy bytes and work for every dtype (int64 shape tensors are concatenated and sliced while
// folding constants).
#include <algorithm>
#include <cstring>

#include "runtime/kernels/reference/index_maps.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
// Negative pads crop first, so the other modes repeat, mirror or wrap the kept range [lo, lo + n).
int64_t pad_source(int64_t o, int64_t begin, int64_t end, int64_t dim, params::Pad::Mode mode) {
  int64_t lo = std::max<int64_t>(-begin, 0);
  int64_t n = dim - lo - std::max<int64_t>(-end, 0);
  int64_t i = o - std::max<int64_t>(begin, 0);
  if (i >= 0 && i < n) return lo + i;
  if (mode == params::Pad::Mode::Constant) return -1;
  if (mode == params::Pad::Mode::Edge) return lo + (i < 0 ? 0 : n - 1);
  if (mode == params::Pad::Mode::Wrap) return lo + ((i % n) + n) % n;
  // reflect: mirror about the first and last element (which are not repeated), period 2(n-1).
  if (n == 1) return lo;
  int64_t period = 2 * (n - 1);
  int64_t r = ((i % period) + period) % period;
  return lo + (r < n ? r : period - r);
}

namespace {

int64_t product(const Shape& shape, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t d = from; d < to; d++) n *= shape[d];
  return n;
}

// Concat and Split see a tensor as [outer, axis, inner]: each outer row of the joined tensor is
// the rows of the parts, one after the other.
void concat(const params::Axis& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  size_t axis = static_cast<size_t>(p.axis);
  Tensor& y = out[0];
  int64_t outer = product(y.shape, 0, axis);
  int64_t inner = product(y.shape, axis + 1, y.shape.size()) * static_cast<int64_t>(dtype_size(y.dtype));
  uint8_t* dst = y.bytes.data();
  for (int64_t o = 0; o < outer; o++)
    for (const Tensor& x : in) {
      int64_t n = x.shape[axis] * inner;
      if (n) std::memcpy(dst, x.bytes.data() + o * n, n);
      dst += n;
    }
}

void split(const params::Split& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  size_t axis = static_cast<size_t>(p.axis);
  const Tensor& x = in[0];
  int64_t outer = product(x.shape, 0, axis);
  int64_t inner = product(x.shape, axis + 1, x.shape.size()) * static_cast<int64_t>(dtype_size(x.dtype));
  const uint8_t* src = x.bytes.data();
  for (int64_t o = 0; o < outer; o++)
    for (Tensor& y : out) {
      int64_t n = y.shape[axis] * inner;
      if (n) std::memcpy(y.bytes.data() + o * n, src, n);
      src += n;
    }
}

// Copies element by element: y[index] = x[source(index)], source returning a flat offset.
template <class Source>
void copy_elements(const Tensor& x, Tensor& y, Source&& source) {
  size_t elem = dtype_size(x.dtype);
  int64_t i = 0;
  for_each_index(y.shape, [&](const std::vector<int64_t>& index) {
    std::memcpy(y.bytes.data() + i * elem, x.bytes.data() + source(index) * elem, elem);
    i++;
  });
}

void slice(const params::Slice& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Shape starts = params::numbers_of(p.starts, "parameter 'starts'");
  const std::vector<int64_t>& steps = p.steps;
  Shape strides = contiguous_strides(in[0].shape);
  copy_elements(in[0], out[0], [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += (starts[d] + index[d] * steps[d]) * strides[d];
    return off;
  });
}

void pad(const params::Pad& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  Tensor& y = out[0];
  const std::vector<int64_t>& pads = p.pads;
  params::Pad::Mode mode = p.mode;
  size_t rank = x.shape.size(), elem = dtype_size(x.dtype);
  uint8_t fill[8] = {};
  store(fill, x.dtype, 0, p.value);
  Shape strides = contiguous_strides(x.shape);
  int64_t i = 0;
  for_each_index(y.shape, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    bool inside = true;
    for (size_t d = 0; d < rank && inside; d++) {
      int64_t s = pad_source(index[d], pads[d], pads[d + rank], x.shape[d], mode);
      inside = s >= 0;
      off += s * strides[d];
    }
    std::memcpy(y.bytes.data() + i * elem, inside ? x.bytes.data() + off * elem : fill, elem);
    i++;
  });
}

void tile(const params::Tile&, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  Shape strides = contiguous_strides(x.shape);
  copy_elements(x, out[0], [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += (index[d] % x.shape[d]) * strides[d];
    return off;
  });
}

// Output pixel (h, w) of channel c takes block offset (h % b, w % b) of input pixel (h / b, w / b)
// from the channel that DCR (depth, column, row) or CRD (column, row, depth) assigns to it.
void depth_to_space(const params::DepthToSpace& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  int64_t b = p.blocksize;
  bool dcr = p.dcr;
  int64_t C = x.shape[1], H = x.shape[2], W = x.shape[3], OC = out[0].shape[1];
  copy_elements(x, out[0], [&](const std::vector<int64_t>& i) {
    int64_t bh = i[2] % b, bw = i[3] % b;
    int64_t c = dcr ? (bh * b + bw) * OC + i[1] : (i[1] * b + bh) * b + bw;
    return ((i[0] * C + c) * H + i[2] / b) * W + i[3] / b;
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Concat", params::infer_concat, concat);
WEBDNN_REFERENCE_KERNEL("Split", params::infer_split, split);
WEBDNN_REFERENCE_KERNEL("Slice", params::infer_slice, slice);
WEBDNN_REFERENCE_KERNEL("Pad", params::infer_pad, pad);
WEBDNN_REFERENCE_KERNEL("Tile", params::infer_tile, tile);
WEBDNN_REFERENCE_KERNEL("DepthToSpace", params::infer_depth_to_space, depth_to_space);

}  // namespace webdnn::runtime::reference
