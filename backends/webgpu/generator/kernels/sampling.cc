// GridSample and RoiAlign: one invocation per output element, which computes its sample points
// in f32 as the reference does and reads the pixels around them. Pixels outside the image are
// read at a clamped index and their weight (or padding) decides what they count for.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

using GS = params::GridSample;

// fn pixel(plane: u32, r: i32, c: i32) -> f32: the padded image at row r, column c (zeros: 0
// outside; border: the nearest edge pixel; reflection: the index folded back inside, as a float
// between the borders, then truncated), with the helpers the samples call.
std::string pixel_function(const GS& p, const Operand& x) {
  int64_t h = x.shape()[2], w = x.shape()[3];
  std::string read = x.get("plane + u32(clamp(r, 0i, " + i32(h - 1) + ")) * " + u32(w) + " + u32(clamp(c, 0i, " +
                     i32(w - 1) + "))");
  std::string body = "  return " + read + ";\n";
  if (p.padding == GS::Padding::Zeros) {
    body = "  let inside = (r >= 0i) & (r < " + i32(h) + ") & (c >= 0i) & (c < " + i32(w) + ");\n" +
           "  return select(0.0, " + read + ", inside);\n";
  } else if (p.padding == GS::Padding::Reflection) {
    std::string lo = p.align_corners ? "0.0" : "-0.5";
    body = "  let r = i32(reflect_in(f32(r_in), " + lo + ", " + f32(p.align_corners ? h - 1 : h - 0.5) + "));\n" +
           "  let c = i32(reflect_in(f32(c_in), " + lo + ", " + f32(p.align_corners ? w - 1 : w - 0.5) + "));\n" + body;
  }
  std::string args = p.padding == GS::Padding::Reflection ? "r_in: i32, c_in: i32" : "r: i32, c: i32";
  return R"(fn reflect_in(x: f32, lo: f32, hi: f32) -> f32 {
  let range = hi - lo;
  let d = select(x - hi, lo - x, x < lo);
  let n = floor(d / range);
  let r = d - n * range;
  let from_lo = (x < lo) == (n % 2.0 == 0.0);
  return select(x, select(hi - r, lo + r, from_lo), (x < lo) | (x > hi));
}
fn cubic_near(x: f32) -> f32 { return (1.25 * x - 2.25) * x * x + 1.0; }
fn cubic_far(x: f32) -> f32 { return ((-0.75 * x + 3.75) * x - 6.0) * x + 3.0; }
fn pixel(plane: u32, )" + args + ") -> f32 {\n" + body + "}\n";
}

void grid_sample(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  GS p = GS::parse(op.params);
  Operand x = program.input("x", op.inputs[0]), grid = program.input("grid", op.inputs[1]);
  Operand y = program.output("y", op.outputs[0]);
  const Shape& s = y.shape();  // [N, C, Ho, Wo]
  int64_t h = x.shape()[2], w = x.shape()[3];
  auto denormalize = [&](const std::string& v, int64_t size) {
    return p.align_corners ? "(" + v + " + 1.0) / 2.0 * " + f32(static_cast<double>(size - 1))
                           : "((" + v + " + 1.0) * " + f32(static_cast<double>(size)) + " - 1.0) / 2.0";
  };
  std::string sample;
  if (p.mode == GS::Mode::Nearest) {
    sample = "let v = pixel(plane, i32(round(py)), i32(round(px)));\n";
  } else if (p.mode == GS::Mode::Bilinear) {
    sample = R"(let x0 = floor(px);
let y0 = floor(py);
let fx = px - x0;
let fy = py - y0;
let col = i32(x0);
let row = i32(y0);
let v = (1.0 - fy) * ((1.0 - fx) * pixel(plane, row, col) + fx * pixel(plane, row, col + 1i)) +
        fy * ((1.0 - fx) * pixel(plane, row + 1i, col) + fx * pixel(plane, row + 1i, col + 1i));
)";
  } else {
    sample = R"(let x0 = floor(px);
let y0 = floor(py);
let fx = px - x0;
let fy = py - y0;
let wx = vec4<f32>(cubic_far(fx + 1.0), cubic_near(fx), cubic_near(1.0 - fx), cubic_far(2.0 - fx));
let wy = vec4<f32>(cubic_far(fy + 1.0), cubic_near(fy), cubic_near(1.0 - fy), cubic_far(2.0 - fy));
var v = 0.0;
for (var a = 0; a < 4; a++) {
  let r = i32(y0) - 1i + a;
  let c = i32(x0) - 1i;
  let row = vec4<f32>(pixel(plane, r, c), pixel(plane, r, c + 1i), pixel(plane, r, c + 2i), pixel(plane, r, c + 3i));
  v += wy[a] * dot(wx, row);
}
)";
  }
  std::string body = coordinates(s, "i", "c") + fill(R"(let plane = (c0 * ${channels} + c1) * ${plane};
let g = ((c0 * ${ho} + c2) * ${wo} + c3) * 2u;
let px = ${px};
let py = ${py};
${sample}
${store}
)", {{"channels", u32(s[1])}, {"plane", u32(h * w)}, {"ho", u32(s[2])}, {"wo", u32(s[3])},
     {"px", denormalize(grid.get("g"), w)}, {"py", denormalize(grid.get("g + 1u"), h)}, {"sample", sample},
     {"store", y.set("i", "v")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()), pixel_function(p, x));
}

// Output element (k, c, i, j): bin (i, j) of region k, grid_h x grid_w bilinear samples.
void roi_align(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  params::RoiAlign p = params::RoiAlign::parse(op.params);
  Operand x = program.input("x", op.inputs[0]), rois = program.input("rois", op.inputs[1]);
  Operand batch = program.input("batch", op.inputs[2]), y = program.output("y", op.outputs[0]);
  const Shape& s = y.shape();
  int64_t n = x.shape()[0], h = x.shape()[2], w = x.shape()[3];
  std::string fixed_grid = u32(p.sampling_ratio);
  const std::string most = f32(static_cast<double>(params::RoiAlign::kMaxAdaptiveSamples));
  std::string body = coordinates(s, "i", "c") + fill(R"(let b = u32(clamp(i32(${batch}), 0i, ${last_image}));
let plane = (b * ${channels} + c1) * ${plane};
let x1 = ${rx1} * ${scale} - ${shift};
let y1 = ${ry1} * ${scale} - ${shift};
var rw = ${rx2} * ${scale} - ${shift} - x1;
var rh = ${ry2} * ${scale} - ${shift} - y1;
${clamp_size}
let bh = rh / ${oh};
let bw = rw / ${ow};
let gh = ${gh};
let gw = ${gw};
var acc = 0.0;
var first = true;
for (var sy = 0u; sy < gh; sy++) {
  for (var sx = 0u; sx < gw; sx++) {
    var py = y1 + f32(c2) * bh + (f32(sy) + 0.5) * bh / f32(gh);
    var px = x1 + f32(c3) * bw + (f32(sx) + 0.5) * bw / f32(gw);
    let outside = (py < -1.0) | (py > ${h}) | (px < -1.0) | (px > ${w});
    py = max(py, 0.0);
    px = max(px, 0.0);
    var y0 = u32(py);
    var x0 = u32(px);
    let y_edge = y0 >= ${h_last};
    let x_edge = x0 >= ${w_last};
    y0 = select(y0, ${h_last}, y_edge);
    x0 = select(x0, ${w_last}, x_edge);
    let y1_ = select(y0 + 1u, y0, y_edge);
    let x1_ = select(x0 + 1u, x0, x_edge);
    let ly = select(py - f32(y0), 0.0, y_edge);
    let lx = select(px - f32(x0), 0.0, x_edge);
    let keep = select(1.0, 0.0, outside);
    let w4 = vec4<f32>((1.0 - ly) * (1.0 - lx), (1.0 - ly) * lx, ly * (1.0 - lx), ly * lx) * keep;
    let v4 = vec4<f32>(${p00}, ${p01}, ${p10}, ${p11});
    ${accumulate}
  }
}
${store}
)", {{"batch", batch.get("c0")}, {"last_image", i32(n - 1)}, {"channels", u32(s[1])}, {"plane", u32(h * w)},
     {"rx1", rois.get("c0 * 4u")}, {"ry1", rois.get("c0 * 4u + 1u")}, {"rx2", rois.get("c0 * 4u + 2u")},
     {"ry2", rois.get("c0 * 4u + 3u")}, {"scale", f32(p.spatial_scale)}, {"shift", p.half_pixel ? "0.5" : "0.0"},
     {"clamp_size", p.half_pixel ? "" : "rw = max(rw, 1.0);\nrh = max(rh, 1.0);"},
     {"oh", f32(static_cast<double>(p.output_height))}, {"ow", f32(static_cast<double>(p.output_width))},
     {"gh", p.sampling_ratio > 0 ? fixed_grid : "u32(min(max(ceil(bh), 0.0), " + most + "))"},
     {"gw", p.sampling_ratio > 0 ? fixed_grid : "u32(min(max(ceil(bw), 0.0), " + most + "))"},
     {"h", f32(static_cast<double>(h))}, {"w", f32(static_cast<double>(w))}, {"h_last", u32(h - 1)},
     {"w_last", u32(w - 1)}, {"p00", x.get("plane + y0 * " + u32(w) + " + x0")},
     {"p01", x.get("plane + y0 * " + u32(w) + " + x1_")}, {"p10", x.get("plane + y1_ * " + u32(w) + " + x0")},
     {"p11", x.get("plane + y1_ * " + u32(w) + " + x1_")},
     {"accumulate", p.mode == params::RoiAlign::Mode::Avg
                        ? "acc += dot(w4, v4);"
                        : "let m = max(max(w4.x * v4.x, w4.y * v4.y), max(w4.z * v4.z, w4.w * v4.w));\n"
                          "    acc = select(max(acc, m), m, first);\n    first = false;"},
     {"store", y.set("i", p.mode == params::RoiAlign::Mode::Avg ? "acc / f32(max(gh * gw, 1u))" : "acc")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(grid_sample, "GridSample");
WEBDNN_WGSL_KERNEL(roi_align, "RoiAlign");

}  // namespace webdnn::backends::webgpu
