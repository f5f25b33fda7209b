// MaxPool and AveragePool over NCHW: one invocation per output element, the window unrolled
// when small (global pooling is a reduction: see reduce.cc).
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

void pool(const ir::Operator& op, Program& program) {
  const bool is_max = op.type == "MaxPool";
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::Pool pool_params = params::Pool::parse(op.params);
  const params::Window& window = pool_params.window;
  const auto &k = window.kernel, &s = window.strides, &d = window.dilations;
  const auto &p = window.pads;
  bool include_pad = pool_params.count_include_pad;
  int64_t H = x->shape[2], W = x->shape[3], OH = y->shape[2], OW = y->shape[3];
  std::ostringstream b;
  b << "  let ow = i % " << u32(OW) << ";\n"
    << "  let oh = (i / " << u32(OW) << ") % " << u32(OH) << ";\n"
    << "  let xb = (i / " << u32(OW * OH) << ") * " << u32(H * W) << ";\n"
    << "  let ih0 = i32(oh * " << u32(s[0]) << ") - " << i32(p[0]) << ";\n"
    << "  let iw0 = i32(ow * " << u32(s[1]) << ") - " << i32(p[1]) << ";\n"
    << "  var acc = " << (is_max ? "-bitcast<f32>(k_inf)" : "0.0") << ";\n"
    << "  var count = 0.0;\n"
    << "  var padded = 0.0;\n";
  std::string v = program.read(x, "xb + u32(ih) * " + u32(W) + " + u32(iw)");
  std::string take = is_max ? "acc = max_n(acc, " + v + ");" : "acc = acc + " + v + ";";
  bool unroll = k[0] * k[1] <= 16;
  auto emit = [&](const std::string& r, const std::string& c, const std::string& indent) {
    b << indent << "let ih = ih0 + i32(" << r << ") * " << i32(d[0]) << ";\n"
      << indent << "let iw = iw0 + i32(" << c << ") * " << i32(d[1]) << ";\n";
    if (!is_max && include_pad)
      b << indent << "if ((ih < " << i32(H + p[2]) << ") & (iw < " << i32(W + p[3]) << ")) { padded = padded + 1.0; }\n";
    b << indent << "if ((ih >= 0i) & (ih < " << i32(H) << ") & (iw >= 0i) & (iw < " << i32(W) << ")) { " << take
      << " count = count + 1.0; }\n";
  };
  if (unroll) {
    for (int64_t r = 0; r < k[0]; r++)
      for (int64_t c = 0; c < k[1]; c++) {
        b << "  {\n";
        emit(u32(r), u32(c), "    ");
        b << "  }\n";
      }
  } else {
    b << "  for (var r = 0u; r < " << u32(k[0]) << "; r = r + 1u) {\n"
      << "    for (var c = 0u; c < " << u32(k[1]) << "; c = c + 1u) {\n";
    emit("r", "c", "      ");
    b << "    }\n  }\n";
  }
  std::string result = is_max ? "acc" : include_pad ? "acc / padded" : "acc / count";
  b << "  " << program.write(y, "i") << " = " << result << ";\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(pool, "MaxPool", "AveragePool");

}  // namespace webdnn::backends::webgpu
