// "wasm.Conv": checks the call against the convolution's parameters and its packed weights, then
// hands it to the algorithm the generator chose (conv.h).
#include "backends/wasm/kernels/conv.h"

#include "backends/wasm/kernels/conv_pack.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

std::unique_ptr<runtime::Kernel> make_conv(const runtime::KernelSpec& spec) {
  params::Conv p = params::Conv::parse(spec.params);
  ConvAlgorithm algorithm = parse_conv_algorithm(params::Reader(spec.params));
  runtime::require_counts(spec, "wasm.Conv", 3, 1, true);
  runtime::require_float32(spec, "wasm.Conv");
  const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
  WEBDNN_CHECK(x.is_channels_last() && y.is_channels_last(), "wasm.Conv needs its input and output NCHW, laid out NHWC");
  // The weight the packed one was made from: [M, C/group, kh, kw].
  const int64_t M = y.shape[1];
  WEBDNN_CHECK(x.shape[1] % p.group == 0, "input channels ", x.shape[1], " are not divisible by group ", p.group);
  Shape w = {M, x.shape[1] / p.group, p.window.kernel[0], p.window.kernel[1]};
  Shape expected = p.output(x.shape, w);
  WEBDNN_CHECK(y.shape == expected, "output ", shape_to_string(y.shape), " is not the convolution's ", shape_to_string(expected));
  ConvShape s{x.shape[1], M, w[2], w[3], p.group};
  WEBDNN_CHECK(conv_algorithm_fits(algorithm, s, p.window), "algorithm '", conv_algorithm_name(algorithm),
               "' cannot compute this convolution");
  const runtime::TensorInfo &packed = spec.inputs[1], &bias = spec.inputs[2];
  WEBDNN_CHECK(packed.size() == packed_conv_size(algorithm, s), "packed weights of ", packed.size(), " values; ",
               packed_conv_size(algorithm, s), " are expected");
  WEBDNN_CHECK(bias.size() == M, "a bias of ", bias.size(), " values; ", M, " are expected");
  Epilogue epilogue = Epilogue::from(spec, 3, algorithm == ConvAlgorithm::Gemm);
  ConvGeometry g = ConvGeometry::of(x.shape, y.shape, p);
  switch (algorithm) {
    case ConvAlgorithm::Winograd: return make_winograd_conv(g, std::move(epilogue));
    case ConvAlgorithm::Depthwise: return make_depthwise_conv(g, std::move(epilogue));
    case ConvAlgorithm::Gemm: break;
  }
  return make_gemm_conv(g, std::move(epilogue));
}

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Conv", make_conv);

}  // namespace webdnn::wasm
