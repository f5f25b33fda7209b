// GridSample and RoiAlign: element by element, each computing its sample points as the reference
// does and reading the pixels around them (pixels outside the image at a clamped coordinate,
// their weight or the padding deciding what they count for).
#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

using GS = params::GridSample;

// float pixel(int n, int ch, int r, int c): the padded image (see the WebGPU kernel).
std::string pixel_function(const GS& g, Kernel& k, int x, const Shape& s) {
  int64_t h = s[2], w = s[3];
  std::string read = "return " + k.element(x, {"n", "ch", "clamp(r, 0, " + glsl_int(h - 1) + ")",
                                               "clamp(c, 0, " + glsl_int(w - 1) + ")"}) + ";\n";
  std::string body = "  " + read;
  if (g.padding == GS::Padding::Zeros) {
    body = "  if (r < 0 || r >= " + glsl_int(h) + " || c < 0 || c >= " + glsl_int(w) + ") return 0.0;\n  " + read;
  } else if (g.padding == GS::Padding::Reflection) {
    std::string lo = g.align_corners ? "0.0" : "-0.5";
    std::string hi_r = glsl_float(g.align_corners ? h - 1 : h - 0.5);
    std::string hi_c = glsl_float(g.align_corners ? w - 1 : w - 0.5);
    body = "  r = int(reflect_in(float(r), " + lo + ", " + hi_r + "));\n" +  //
           "  c = int(reflect_in(float(c), " + lo + ", " + hi_c + "));\n" + body;
  }
  return R"(float reflect_in(float x, float lo, float hi) {
  if (x >= lo && x <= hi) return x;
  float range = hi - lo;
  float d = x < lo ? lo - x : x - hi;
  float n = floor(d / range);
  float r = d - n * range;
  bool from_lo = (x < lo) == (mod(n, 2.0) == 0.0);
  return from_lo ? lo + r : hi - r;
}
float cubic_near(float x) { return (1.25 * x - 2.25) * x * x + 1.0; }
float cubic_far(float x) { return ((-0.75 * x + 3.75) * x - 6.0) * x + 3.0; }
float pixel(int n, int ch, int r, int c) {
)" + body + "}\n";
}

void grid_sample(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *gv = op.inputs[1], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), grid = p.var(gv), y = p.var(yv);
  GS g = GS::parse(op.params);
  auto denormalize = [&](const std::string& v, int64_t size) {
    return g.align_corners ? "(" + v + " + 1.0) / 2.0 * " + glsl_float(static_cast<double>(size - 1))
                           : "((" + v + " + 1.0) * " + glsl_float(static_cast<double>(size)) + " - 1.0) / 2.0";
  };
  element_kernel(op, p, y, [&](Kernel& k) {
    k.helper(pixel_function(g, k, x, xv->shape));
    std::string s = "  float px = " + denormalize(k.element(grid, {"c0", "c2", "c3", "0"}), xv->shape[3]) + ";\n" +
                    "  float py = " + denormalize(k.element(grid, {"c0", "c2", "c3", "1"}), xv->shape[2]) + ";\n";
    if (g.mode == GS::Mode::Nearest) return s + "  v = pixel(c0, c1, int(roundEven(py)), int(roundEven(px)));\n";
    s += "  float x0 = floor(px), y0 = floor(py), fx = px - x0, fy = py - y0;\n"
         "  int c = int(x0), r = int(y0);\n";
    if (g.mode == GS::Mode::Bilinear)
      return s + "  v = (1.0 - fy) * ((1.0 - fx) * pixel(c0, c1, r, c) + fx * pixel(c0, c1, r, c + 1)) +\n"
                 "      fy * ((1.0 - fx) * pixel(c0, c1, r + 1, c) + fx * pixel(c0, c1, r + 1, c + 1));\n";
    return s + R"(  vec4 wx = vec4(cubic_far(fx + 1.0), cubic_near(fx), cubic_near(1.0 - fx), cubic_far(2.0 - fx));
  vec4 wy = vec4(cubic_far(fy + 1.0), cubic_near(fy), cubic_near(1.0 - fy), cubic_far(2.0 - fy));
  for (int a = 0; a < 4; a++) {
    int ra = r - 1 + a;
    vec4 row = vec4(pixel(c0, c1, ra, c - 1), pixel(c0, c1, ra, c), pixel(c0, c1, ra, c + 1), pixel(c0, c1, ra, c + 2));
    v += wy[a] * dot(wx, row);
  }
)";
  });
}

// Output element (k, c, i, j): bin (i, j) of region k, grid_h x grid_w bilinear samples.
void roi_align(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *rv = op.inputs[1], *bv = op.inputs[2], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), rois = p.var(rv), batch = p.var(bv), y = p.var(yv);
  params::RoiAlign ra = params::RoiAlign::parse(op.params);
  int64_t n = xv->shape[0], h = xv->shape[2], w = xv->shape[3];
  bool avg = ra.mode == params::RoiAlign::Mode::Avg;
  element_kernel(op, p, y, [&](Kernel& k) {
    auto corner = [&](int i) {
      return k.element(rois, {"c0", std::to_string(i)}) + " * " + glsl_float(ra.spatial_scale) +
             (ra.half_pixel ? " - 0.5" : "");
    };
    auto pixel = [&](const char* row, const char* col) { return k.element(x, {"b", "c1", row, col}); };
    std::string grid = ra.sampling_ratio > 0 ? glsl_int(ra.sampling_ratio) : "";
    const std::string most = glsl_float(static_cast<double>(params::RoiAlign::kMaxAdaptiveSamples));
    std::string s = "  int b = clamp(int(" + k.element(batch, {"c0"}) + "), 0, " + glsl_int(n - 1) + ");\n" +
                    "  float x1 = " + corner(0) + ", y1 = " + corner(1) + ";\n" +
                    "  float rw = " + corner(2) + " - x1, rh = " + corner(3) + " - y1;\n" +
                    (ra.half_pixel ? "" : "  rw = max(rw, 1.0);\n  rh = max(rh, 1.0);\n") +
                    "  float bh = rh / " + glsl_float(static_cast<double>(ra.output_height)) + ", bw = rw / " +
                    glsl_float(static_cast<double>(ra.output_width)) + ";\n" +
                    "  int gh = " + (grid.empty() ? "int(min(max(ceil(bh), 0.0), " + most + "))" : grid) + ";\n" +
                    "  int gw = " + (grid.empty() ? "int(min(max(ceil(bw), 0.0), " + most + "))" : grid) + ";\n" +
                    "  bool first = true;\n" +
                    "  for (int sy = 0; sy < gh; sy++) {\n    for (int sx = 0; sx < gw; sx++) {\n" +
                    "      float py = y1 + float(c2) * bh + (float(sy) + 0.5) * bh / float(gh);\n" +
                    "      float px = x1 + float(c3) * bw + (float(sx) + 0.5) * bw / float(gw);\n" +
                    "      bool outside = py < -1.0 || py > " + glsl_float(static_cast<double>(h)) +
                    " || px < -1.0 || px > " + glsl_float(static_cast<double>(w)) + ";\n" +
                    "      py = max(py, 0.0);\n      px = max(px, 0.0);\n" +
                    "      int ya = int(py), xa = int(px);\n" +
                    "      bool ye = ya >= " + glsl_int(h - 1) + ", xe = xa >= " + glsl_int(w - 1) + ";\n" +
                    "      ya = ye ? " + glsl_int(h - 1) + " : ya;\n      xa = xe ? " + glsl_int(w - 1) + " : xa;\n" +
                    "      int yb = ye ? ya : ya + 1, xb = xe ? xa : xa + 1;\n" +
                    "      float ly = ye ? 0.0 : py - float(ya), lx = xe ? 0.0 : px - float(xa);\n" +
                    "      vec4 wt = vec4((1.0 - ly) * (1.0 - lx), (1.0 - ly) * lx, ly * (1.0 - lx), ly * lx);\n" +
                    "      wt *= outside ? 0.0 : 1.0;\n" +
                    "      vec4 px4 = vec4(" + pixel("ya", "xa") + ", " + pixel("ya", "xb") + ", " + pixel("yb", "xa") +
                    ", " + pixel("yb", "xb") + ");\n";
    if (avg) {
      s += "      v += dot(wt, px4);\n    }\n  }\n  v /= float(max(gh * gw, 1));\n";
    } else {
      s += "      vec4 m4 = wt * px4;\n      float m = max(max(m4.x, m4.y), max(m4.z, m4.w));\n"
           "      v = first ? m : max(v, m);\n      first = false;\n    }\n  }\n";
    }
    return s;
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(grid_sample, nullptr, "GridSample");
WEBDNN_GLSL_KERNEL(roi_align, nullptr, "RoiAlign");

}  // namespace webdnn::backends::webgl
