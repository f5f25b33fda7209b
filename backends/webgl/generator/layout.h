// Texture layouts of the WebGL backend: where each element of a variable lives in its texture.
//
// A variable is a row of RGBA texels, 4 elements per texel. One logical axis is "packed": 4
// consecutive indices of it share a texel (padded with zeros to a multiple of 4); the axes, the
// packed one counted in texels, are laid out outer to inner in `dims`, each possibly padded.
// Texel t of a variable with L layers lies in layer t % L at plane index q = t / L, which is
// (q % width, q / width) in a 2D array texture of `width` (a power of two) by enough rows.
//
// Two layouts are used:
//   image (rank 4, N C H W): dims N, H, C/4, W (W padded to a multiple of L), C packed, L = 8
//     for W >= 8 (smaller powers of two for narrow images). A fragment writes L texels at once
//     (one per layer, through L render targets): L neighbouring pixels of one channel quad. A
//     convolution computing them shares every weight texel between L pixels and every input
//     texel between the kernel taps that overlap: the fewest texel reads per multiply-add.
//   flat (everything else): row-major, the last axis longer than 1 packed, L = 1.
// A transpose whose readers all follow any layout is a view (kernels/tensor_ops.cc): its output
// is its input's texels under the input's layout with the axes relabelled (`permuted`).
// Constants take the layout their consumer reads fastest (convolution weights: output channels
// packed, then kh, kw, input channels; matrix weights: output columns packed, then K).
#pragma once
#include <string>
#include <vector>

#include "webdnn/json.h"
#include "webdnn/shape.h"

namespace webdnn::backends::webgl {

struct Dim {
  int axis;        // logical axis
  int64_t extent;  // in texels along this axis (the packed axis: ceil(n/4)); may be padded
};

struct Layout {
  Shape shape;
  int packed = -1;         // -1 only for scalars (rank 0)
  std::vector<Dim> dims;   // outer to inner, every logical axis once
  int layers = 1;          // L, a power of two
  int64_t width = 1;       // of the texture plane, a power of two

  int rank() const { return static_cast<int>(shape.size()); }
  int64_t texels() const;
  int64_t planes() const { return (texels() + layers - 1) / layers; }
  int64_t rows() const { return (planes() + width - 1) / width; }
  // Texel stride of axis `axis` (of its index / 4 for the packed axis), and its texel extent.
  int64_t stride(int axis) const;
  int64_t texel_extent(int axis) const;
  // Whether every element sits at the same texel, component and layer in both layouts.
  bool same_placement(const Layout& other) const;
  Json to_json() const;
};

int64_t ceil_div(int64_t a, int64_t b);
int64_t next_pow2(int64_t v);
int log2_exact(int64_t v);

// Row-major, the last axis longer than 1 packed.
Layout flat_layout(const Shape& shape);
// N H C/4 W with C packed and W padded to a multiple of the layers.
Layout image_layout(const Shape& shape);
// `shape` with its axes laid out in `order` (outer to inner) and axis `packed` packed; `pad` the
// texel extent of every dim (0: the natural one).
Layout ordered_layout(const Shape& shape, const std::vector<int>& order, int packed);
// The layout of transpose(x, perm) over x's texels: x's dims, each named by the output axis that
// reads it (output axis a is input axis perm[a]).
Layout permuted(const Layout& x, const std::vector<int64_t>& perm);
// Chooses the plane width for textures of at most `max_size` texels a side; throws when the
// variable cannot fit (the splitting rule should have cut it).
void fit(Layout& layout, int64_t max_size, const std::string& what);

}  // namespace webdnn::backends::webgl
