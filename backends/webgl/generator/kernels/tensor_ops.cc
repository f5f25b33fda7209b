// Operators that move data: Transpose, Concat, Split, Slice, Pad, Tile, DepthToSpace, Gather,
// GatherElements, Resize. Each output element reads the input element it comes from; four at
// once (one texel) where the output's packed axis maps one to one onto the input's packed axis.
// A Transpose can instead be a view, drawing nothing (transpose_layouts).
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "src/ops/schema.h"
#include "webdnn/params.h"
#include "runtime/kernels/reference/index_maps.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {
namespace {

std::string str(int64_t v) { return glsl_int(v); }

// Readers that find every element through Kernel::element / vec4_along, which follow any layout,
// and gain nothing from a copy in the default one. Not so: Conv (its fast path needs the image
// layout), FusedAttention (steps through texels itself), MatMul (would read rows element by element).
bool reads_any_layout(const ir::Operator& op) {
  return ops::schema_of(op.type).expr || op.type == "LayerNormalization" || op.type == "InstanceNormalization" ||
         op.type == "Softmax" || op.type == "LogSoftmax";
}

// The transposes that exporters put around channels-last blocks (ConvNeXt: to [N, H, W, C] for
// LayerNorm, back for the residual Add) as views: where every reader reads any layout and the
// output is no graph output (those keep a texture of their own, as Reshape's do), the output takes
// the input's texels, its layout the input's with the axes relabelled, and the transpose draws
// nothing. Decided before any producer downstream picks a layout from it (choose_layouts).
void transpose_layouts(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (p.has(yv) || yv->size() == 0 || xv->is_constant() || p.is_output(yv)) return;
  for (const ir::Operator* reader : yv->consumers)
    if (!reads_any_layout(*reader)) return;
  Layout l = permuted(p.at(p.var(xv)).layout, params::Transpose::parse(op.params).perm);
  p.at(p.add(yv, l)).view = true;
}

void transpose(const ir::Operator& op, Program& p) {
  if (op.outputs[0]->size() == 0) return;
  int x = p.var(op.inputs[0]), y = p.var(op.outputs[0]);
  if (p.at(y).view) return p.make_alias(y, x);
  std::vector<int64_t> perm = params::Transpose::parse(op.params).perm;
  int packed = p.at(y).layout.packed;
  texel_kernel(op, p, y, [&](Kernel& k) {
    Coords xc(perm.size());
    for (size_t a = 0; a < perm.size(); a++) xc[perm[a]] = k.out_coord(static_cast<int>(a));
    return "  vec4 r = " + k.vec4_along(x, xc, packed < 0 ? -1 : static_cast<int>(perm[packed])) + ";\n";
  });
}

// Concat: the input holding each output coordinate along the axis, found by comparisons. More
// inputs than a draw can sample are joined in steps, each taking the previous result first.
void concat_draw(const ir::Operator& op, Program& p, const std::vector<int>& xs, int y, int axis) {
  int packed = p.at(y).layout.packed;
  std::vector<int64_t> offsets;
  int64_t offset = 0;
  bool aligned = true;
  for (int x : xs) {
    offsets.push_back(offset);
    aligned &= offset % 4 == 0;
    offset += p.at(x).layout.shape[axis];
  }
  bool vector = packed != axis || aligned;
  auto body = [&](Kernel& k) {
    std::ostringstream s;
    std::string c = k.out_coord(axis);
    for (size_t i = 0; i < xs.size(); i++) {
      Coords xc = k.out_coords();
      xc[axis] = offsets[i] ? "(" + c + " - " + str(offsets[i]) + ")" : c;
      std::string read = vector ? k.vec4_along(xs[i], xc, packed) : k.element(xs[i], xc);
      std::string assign = (vector ? "r = " : "v = ") + read + ";";
      if (i + 1 < xs.size()) s << "  " << (i ? "else " : "") << "if (" << c << " < " << str(offsets[i + 1]) << ") " << assign << "\n";
      else s << "  " << (i ? "else " : "") << assign << "\n";
    }
    return (vector ? "  vec4 r;\n" : "") + s.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void concat(const ir::Operator& op, Program& p) {
  const ir::Variable* yv = op.outputs[0];
  if (yv->size() == 0) return;
  int y = p.var(yv);
  int axis = static_cast<int>(params::Axis::parse(op.params).axis);
  std::vector<int> xs;
  for (const ir::Variable* v : op.inputs)
    if (v->shape[axis] > 0) xs.push_back(p.var(v));
  size_t step = kMaxInputs - 1;
  while (xs.size() > static_cast<size_t>(kMaxInputs)) {
    std::vector<int> part(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(step));
    Shape shape = yv->shape;
    shape[axis] = 0;
    for (int x : part) shape[axis] += p.at(x).layout.shape[axis];
    int joined = p.temp(op.name + ":joined" + std::to_string(xs.size()), shape, default_layout(shape));
    concat_draw(op, p, part, joined, axis);
    xs.erase(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(step));
    xs.insert(xs.begin(), joined);
  }
  concat_draw(op, p, xs, y, axis);
}

// Reads x at `starts[a] + c_a * steps[a]` for each output coordinate c.
void strided_copy(const ir::Operator& op, Program& p, int x, int y, const std::vector<int64_t>& starts,
                  const std::vector<int64_t>& steps) {
  int packed = p.at(y).layout.packed;
  bool vector = packed < 0 || steps[packed] == 1;
  auto coords = [&](Kernel& k) {
    Coords xc;
    for (size_t a = 0; a < starts.size(); a++) {
      std::string c = k.out_coord(static_cast<int>(a));
      std::string e = steps[a] == 1 ? c : "(" + c + ") * " + str(steps[a]);
      if (starts[a]) e = e + " + " + str(starts[a]);
      xc.push_back(e);
    }
    return xc;
  };
  if (vector)
    texel_kernel(op, p, y, [&](Kernel& k) {
      bool aligned = packed < 0 || starts[packed] % 4 == 0;
      return "  vec4 r = " + k.vec4_along(x, coords(k), packed, aligned) + ";\n";
    });
  else
    element_kernel(op, p, y, [&](Kernel& k) { return "  v = " + k.element(x, coords(k)) + ";\n"; });
}

void split(const ir::Operator& op, Program& p) {
  int x = p.var(op.inputs[0]);
  int axis = static_cast<int>(params::Split::parse(op.params).axis);
  int64_t offset = 0;
  for (const ir::Variable* yv : op.outputs) {
    std::vector<int64_t> starts(yv->rank(), 0), steps(yv->rank(), 1);
    starts[axis] = offset;
    offset += yv->shape[axis];
    int y = p.var(yv);
    if (yv->size() > 0) strided_copy(op, p, x, y, starts, steps);
  }
}

void slice(const ir::Operator& op, Program& p) {
  if (op.outputs[0]->size() == 0) return;
  params::Slice s = params::Slice::parse(op.params);
  strided_copy(op, p, p.var(op.inputs[0]), p.var(op.outputs[0]), params::numbers_of(s.starts, "parameter 'starts'"), s.steps);
}

// Pad: per axis the source index (the reference's pad_source), -1 for the constant fill.
void pad(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  params::Pad pad_params = params::Pad::parse(op.params);
  const std::vector<int64_t>& pads = pad_params.pads;
  params::Pad::Mode mode = pad_params.mode;
  double value = pad_params.value;
  int rank = xv->rank(), packed = p.at(y).layout.packed;
  bool vector = packed < 0 || (pads[packed] == 0 && pads[packed + rank] == 0);
  auto body = [&](Kernel& k) {
    std::ostringstream s;
    s << "  bool inside = true;\n";
    Coords xc;
    for (int a = 0; a < rank; a++) {
      int64_t begin = pads[a], end = pads[a + rank], dim = xv->shape[a];
      std::string c = k.out_coord(a), sname = "s" + std::to_string(a);
      if (begin == 0 && end == 0) {
        xc.push_back(c);
        continue;
      }
      int64_t lo = std::max<int64_t>(-begin, 0), n = dim - lo - std::max<int64_t>(-end, 0);
      s << "  int " << sname << ";\n  {\n    int i = " << c << " - " << str(std::max<int64_t>(begin, 0)) << ";\n";
      s << "    if (i >= 0 && i < " << str(n) << ") " << sname << " = " << str(lo) << " + i;\n";
      if (mode == params::Pad::Mode::Constant) {
        s << "    else { " << sname << " = 0; inside = false; }\n";
      } else if (mode == params::Pad::Mode::Edge) {
        s << "    else " << sname << " = " << str(lo) << " + (i < 0 ? 0 : " << str(n - 1) << ");\n";
      } else if (mode == params::Pad::Mode::Wrap) {
        s << "    else " << sname << " = " << str(lo) << " + ((i % " << str(n) << ") + " << str(n) << ") % " << str(n) << ";\n";
      } else if (n == 1) {
        s << "    else " << sname << " = " << str(lo) << ";\n";
      } else {  // reflect, period 2(n-1)
        int64_t period = 2 * (n - 1);
        s << "    else { int r = ((i % " << str(period) << ") + " << str(period) << ") % " << str(period) << "; " << sname
          << " = " << str(lo) << " + (r < " << str(n) << " ? r : " << str(period) << " - r); }\n";
      }
      s << "  }\n";
      xc.push_back(sname);
    }
    if (vector) s << "  vec4 r = inside ? " << k.vec4_along(x, xc, packed) << " : vec4(" << glsl_float(value) << ");\n";
    else s << "  v = inside ? " << k.element(x, xc) << " : " << glsl_float(value) << ";\n";
    return s.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void tile(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  int packed = p.at(y).layout.packed;
  std::vector<int64_t> repeats = params::Tile::parse(op.params).repeats;
  bool vector = packed < 0 || repeats[packed] == 1;
  auto coords = [&](Kernel& k) {
    Coords xc;
    for (int a = 0; a < xv->rank(); a++)
      xc.push_back(repeats[a] == 1 ? k.out_coord(a) : "(" + k.out_coord(a) + ") % " + str(xv->shape[a]));
    return xc;
  };
  if (vector) texel_kernel(op, p, y, [&](Kernel& k) { return "  vec4 r = " + k.vec4_along(x, coords(k), packed) + ";\n"; });
  else element_kernel(op, p, y, [&](Kernel& k) { return "  v = " + k.element(x, coords(k)) + ";\n"; });
}

void depth_to_space(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  params::DepthToSpace d2s = params::DepthToSpace::parse(op.params);
  int64_t b = d2s.blocksize, OC = yv->shape[1];
  bool dcr = d2s.dcr;
  element_kernel(op, p, y, [&](Kernel& k) {
    std::ostringstream s;
    s << "  int bh = c2 % " << b << ", bw = c3 % " << b << ";\n";
    if (dcr) s << "  int ch = (bh * " << b << " + bw) * " << OC << " + c1;\n";
    else s << "  int ch = (c1 * " << b << " + bh) * " << b << " + bw;\n";
    s << "  v = " << k.element(x, {"c0", "ch", "c2 / " + str(b), "c3 / " + str(b)}) << ";\n";
    return s.str();
  });
}

// An index read as float, negative ones counted from the end of an axis of `dim`.
std::string resolve(const std::string& value, int64_t dim) {
  return "int(" + value + ") + (" + value + " < 0.0 ? " + str(dim) + " : 0)";
}

void gather(const ir::Operator& op, Program& p) {
  const ir::Variable *dv = op.inputs[0], *iv = op.inputs[1], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int d = p.var(dv), ix = p.var(iv), y = p.var(yv);
  int axis = static_cast<int>(params::Axis::parse(op.params).axis);
  int ir = iv->rank(), packed = p.at(y).layout.packed;
  // The output's packed axis after the gathered ones reads data along its own axis.
  int data_axis = packed >= axis + ir ? packed - ir + 1 : -1;
  bool vector = packed < 0 || data_axis >= 0;
  auto body = [&](Kernel& k) {
    Coords ic, dc;
    for (int a = 0; a < ir; a++) ic.push_back(k.out_coord(axis + a));
    for (int a = 0; a < axis; a++) dc.push_back(k.out_coord(a));
    dc.push_back("idx");
    for (int a = axis + 1; a < dv->rank(); a++) dc.push_back(k.out_coord(a + ir - 1));
    std::string s = "  float iv = " + k.element(ix, ic) + ";\n  int idx = " + resolve("iv", dv->shape[axis]) + ";\n";
    if (vector) return s + "  vec4 r = " + k.vec4_along(d, dc, data_axis) + ";\n";
    return s + "  v = " + k.element(d, dc) + ";\n";
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void gather_elements(const ir::Operator& op, Program& p) {
  const ir::Variable *dv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int d = p.var(dv), ix = p.var(op.inputs[1]), y = p.var(yv);
  int axis = static_cast<int>(params::Axis::parse(op.params).axis);
  element_kernel(op, p, y, [&](Kernel& k) {
    Coords dc = k.out_coords();
    dc[axis] = "idx";
    return "  float iv = " + k.element(ix, k.out_coords()) + ";\n  int idx = " + resolve("iv", dv->shape[axis]) + ";\n  v = " +
           k.element(d, dc) + ";\n";
  });
}

// Resize: the reference's per-axis maps (each output coordinate's taps: input coordinates and
// weights) computed here and stored as small lookup textures, a texel (index, weight) per tap, so
// that ties round exactly as they do there.
void resize(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  int rank = xv->rank(), packed = p.at(y).layout.packed;
  params::Resize rp = params::Resize::parse(op.params);
  const std::vector<double> scales = rp.scales_for(xv->shape, yv->shape);
  struct Axis {
    int table = -1;  // lookup texture [out * taps, 4]: index, weight
    int taps = 1;
  };
  std::vector<Axis> axes(rank);
  bool vector = true;
  for (int a = 0; a < rank; a++) {
    runtime::reference::AxisMap m =
        runtime::reference::resize_axis_map(rp, xv->shape[a], yv->shape[a], static_cast<float>(scales[a]));
    bool identity = m.trivial() && xv->shape[a] == yv->shape[a];
    for (int64_t o = 0; identity && o < yv->shape[a]; o++) identity = m.index[o] == o;
    if (identity) continue;
    if (a == packed) vector = false;
    std::vector<float> table;
    for (size_t k = 0; k < m.index.size(); k++)
      table.insert(table.end(), {static_cast<float>(m.index[k]), static_cast<float>(m.weight[k]), 0.0f, 0.0f});
    int64_t rows = static_cast<int64_t>(m.index.size());
    axes[a].table = p.constant(op.name + ":axis" + std::to_string(a), Tensor::from_floats({rows, 4}, table),
                               flat_layout({rows, 4}));
    axes[a].taps = m.taps;
  }
  if (packed < 0) vector = true;
  auto body = [&](Kernel& k) {
    std::ostringstream s;
    Coords c;
    std::string weight, close;
    for (int a = 0; a < rank; a++) {
      if (axes[a].table < 0) {
        c.push_back(k.out_coord(a));
        continue;
      }
      std::string m = "m" + std::to_string(a);
      if (axes[a].taps == 1) {
        s << "  vec4 " << m << " = " << k.texel(axes[a].table, k.out_coord(a)) << ";\n";
      } else {
        // A loop over this axis's taps, nested in the previous axes' loops.
        std::string t = "t" + std::to_string(a), taps = std::to_string(axes[a].taps);
        s << "  for (int " << t << " = 0; " << t << " < " << taps << "; " << t << "++) {\n";
        s << "  vec4 " << m << " = " << k.texel(axes[a].table, "(" + k.out_coord(a) + ") * " + taps + " + " + t) << ";\n";
        weight += " * " + m + ".y";
        close += "  }\n";
      }
      c.push_back("int(" + m + ".x)");
    }
    std::string T = vector ? "vec4" : "float";
    std::string read = vector ? k.vec4_along(x, c, packed) : k.element(x, c);
    if (weight.empty()) {
      s << "  " << T << " res = " << read << ";\n";
    } else {
      std::string pre = s.str();
      s.str("");
      s << "  " << T << " res = " << T << "(0.0);\n" << pre << "  res += 1.0" << weight << " * " << read << ";\n" << close;
    }
    if (vector) s << "  vec4 r = " << glsl_store("res", yv->dtype) << ";\n";
    else s << "  v = " << glsl_store("vec4(res)", yv->dtype) << ".x;\n";
    return s.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

}  // namespace

WEBDNN_GLSL_KERNEL(transpose, transpose_layouts, "Transpose");
WEBDNN_GLSL_KERNEL(concat, nullptr, "Concat");
WEBDNN_GLSL_KERNEL(split, nullptr, "Split");
WEBDNN_GLSL_KERNEL(slice, nullptr, "Slice");
WEBDNN_GLSL_KERNEL(pad, nullptr, "Pad");
WEBDNN_GLSL_KERNEL(tile, nullptr, "Tile");
WEBDNN_GLSL_KERNEL(depth_to_space, nullptr, "DepthToSpace");
WEBDNN_GLSL_KERNEL(gather, nullptr, "Gather");
WEBDNN_GLSL_KERNEL(gather_elements, nullptr, "GatherElements");
WEBDNN_GLSL_KERNEL(resize, nullptr, "Resize");

}  // namespace webdnn::backends::webgl
