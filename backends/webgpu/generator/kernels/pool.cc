// MaxPool and AveragePool over NCHW: one invocation per output element, the window unrolled
// when small (global pooling is a reduction: see reduce.cc).
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

void pool(const ir::Operator& op, Program& program) {
  const bool is_max = op.type == "MaxPool";
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::Pool pool_params = params::Pool::parse(op.params);
  const params::Window& window = pool_params.window;
  const auto &k = window.kernel, &s = window.strides, &d = window.dilations;
  const auto &p = window.pads;
  bool include_pad = pool_params.count_include_pad;
  int64_t H = x.shape()[2], W = x.shape()[3], OH = y.shape()[2], OW = y.shape()[3];
  // One tap of the window, at row r and column c of it.
  auto tap = [&](const std::string& r, const std::string& c) {
    std::string v = x.get("xb + u32(ih) * " + u32(W) + " + u32(iw)");
    return fill(R"(let ih = ih0 + i32(${r}) * ${dh};
let iw = iw0 + i32(${c}) * ${dw};
${count_padded}
if ((ih >= 0i) & (ih < ${H}) & (iw >= 0i) & (iw < ${W})) { ${take} count = count + 1.0; }
)", {{"r", r}, {"c", c}, {"dh", i32(d[0])}, {"dw", i32(d[1])}, {"H", i32(H)}, {"W", i32(W)},
     {"take", is_max ? "acc = max_n(acc, " + v + ");" : "acc = acc + " + v + ";"},
     {"count_padded", !is_max && include_pad ? "if ((ih < " + i32(H + p[2]) + ") & (iw < " + i32(W + p[3]) +
                                                   ")) { padded = padded + 1.0; }"
                                             : ""}});
  };
  std::string taps;
  if (k[0] * k[1] <= 16) {
    for (int64_t r = 0; r < k[0]; r++)
      for (int64_t c = 0; c < k[1]; c++) taps += "{\n" + indent(tap(u32(r), u32(c))) + "}\n";
  } else {
    taps = "for (var r = 0u; r < " + u32(k[0]) + "; r = r + 1u) {\n  for (var c = 0u; c < " + u32(k[1]) +
           "; c = c + 1u) {\n" + indent(tap("r", "c"), 4) + "  }\n}\n";
  }
  std::string body = fill(R"(let ow = i % ${OW};
let oh = (i / ${OW}) % ${OH};
let xb = (i / ${OHW}) * ${HW};
let ih0 = i32(oh * ${sh}) - ${pt};
let iw0 = i32(ow * ${sw}) - ${pl};
var acc = ${init};
var count = 0.0;
var padded = 0.0;
${taps}
${store}
)", {{"OW", u32(OW)}, {"OH", u32(OH)}, {"OHW", u32(OW * OH)}, {"HW", u32(H * W)}, {"sh", u32(s[0])}, {"sw", u32(s[1])},
     {"pt", i32(p[0])}, {"pl", i32(p[1])}, {"init", is_max ? "-bitcast<f32>(k_inf)" : "0.0"}, {"taps", taps},
     {"store", y.set("i", is_max ? "acc" : include_pad ? "acc / padded" : "acc / count")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(pool, "MaxPool", "AveragePool");

}  // namespace webdnn::backends::webgpu
