#include "backends/webgl/generator/layout.h"

#include <algorithm>
#include <cmath>

#include "webdnn/error.h"

namespace webdnn::backends::webgl {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t next_pow2(int64_t v) {
  int64_t p = 1;
  while (p < v) p *= 2;
  return p;
}

int log2_exact(int64_t v) {
  int k = 0;
  while ((int64_t{1} << k) < v) k++;
  return k;
}

int64_t Layout::texels() const {
  int64_t n = 1;
  for (const Dim& d : dims) n = checked_size_mul(n, d.extent);  // padded extents of a huge shape may overflow
  return n;
}

int64_t Layout::stride(int axis) const {
  int64_t s = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    if (dims[i].axis == axis) return s;
    s = checked_size_mul(s, dims[i].extent);
  }
  fail("axis ", axis, " is not in the layout");
}

int64_t Layout::texel_extent(int axis) const {
  for (const Dim& d : dims)
    if (d.axis == axis) return d.extent;
  fail("axis ", axis, " is not in the layout");
}

bool Layout::same_placement(const Layout& o) const {
  if (num_elements(shape) != num_elements(o.shape) || layers != o.layers || width != o.width) return false;
  if (num_elements(shape) <= 1) return texels() == o.texels() || num_elements(shape) == 0;
  // Both must place the row-major element i at texel i / 4, component i % 4 (a row-major order
  // whose packed axis is the last one longer than 1, a multiple of 4 unless it is the only one).
  auto flat = [](const Layout& l) {
    int last = -1, longer = 0;
    for (int a = 0; a < l.rank(); a++)
      if (l.shape[a] > 1) last = a, longer++;
    if (last < 0 || l.packed != last || (longer > 1 && l.shape[last] % 4 != 0)) return false;
    if (l.texel_extent(last) != ceil_div(l.shape[last], 4)) return false;
    int64_t expect = 1;
    for (int a = l.rank(); a-- > 0;) {
      if (l.shape[a] == 1) continue;
      if (l.stride(a) != expect) return false;
      expect *= a == last ? ceil_div(l.shape[a], 4) : l.shape[a];
      if (a != last && l.texel_extent(a) != l.shape[a]) return false;
    }
    return true;
  };
  return flat(*this) && flat(o);
}

Json Layout::to_json() const {
  Json strides = Json::array();
  for (int a = 0; a < rank(); a++) strides.push_back(stride(a));
  return {{"packed", packed}, {"strides", strides}, {"texels", texels()}, {"layers", layers}, {"width", width}};
}

Layout ordered_layout(const Shape& shape, const std::vector<int>& order, int packed) {
  Layout l;
  l.shape = shape;
  l.packed = shape.empty() ? -1 : packed;
  for (int a : order) l.dims.push_back({a, a == packed ? ceil_div(shape[a], 4) : shape[a]});
  return l;
}

Layout flat_layout(const Shape& shape) {
  std::vector<int> order;
  int packed = static_cast<int>(shape.size()) - 1;
  for (int a = 0; a < static_cast<int>(shape.size()); a++) order.push_back(a);
  while (packed > 0 && shape[packed] == 1) packed--;
  return ordered_layout(shape, order, packed);
}

Layout image_layout(const Shape& shape) {
  WEBDNN_CHECK(shape.size() == 4, "an image layout needs 4 axes, not ", shape_to_string(shape));
  Layout l = ordered_layout(shape, {0, 2, 1, 3}, 1);
  l.layers = static_cast<int>(std::min<int64_t>(8, next_pow2(std::max<int64_t>(shape[3], 1))));
  l.dims[3].extent = ceil_div(shape[3], l.layers) * l.layers;
  return l;
}

Layout permuted(const Layout& x, const std::vector<int64_t>& perm) {
  std::vector<int> axis_of(perm.size());
  for (size_t a = 0; a < perm.size(); a++) axis_of[static_cast<size_t>(perm[a])] = static_cast<int>(a);
  Layout l = x;
  for (size_t a = 0; a < perm.size(); a++) l.shape[a] = x.shape[static_cast<size_t>(perm[a])];
  for (Dim& d : l.dims) d.axis = axis_of[static_cast<size_t>(d.axis)];
  if (l.packed >= 0) l.packed = axis_of[static_cast<size_t>(l.packed)];
  return l;
}

void fit(Layout& l, int64_t max_size, const std::string& what) {
  int64_t planes = std::max<int64_t>(l.planes(), 1);
  l.width = std::min(max_size, next_pow2(static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(planes))))));
  WEBDNN_CHECK(l.rows() <= max_size, what, " needs ", l.texels(), " texels in ", l.layers, " layer(s), more than textures of ",
               max_size, "x", max_size, " hold");
}

}  // namespace webdnn::backends::webgl
