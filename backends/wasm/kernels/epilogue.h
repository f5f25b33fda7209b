// The epilogue of a Conv / Gemm / MatMul kernel: a clamp (Relu, Relu6, Clip) applied inside the
// matrix-product tile, and anything else as an elementwise program run over finished rows.
#pragma once
#include <limits>
#include <memory>
#include <vector>

#include "backends/wasm/kernels/elementwise.h"
#include "backends/wasm/kernels/integer_gemm.h"
#include "runtime/core/kernel.h"

namespace webdnn::wasm {

struct Epilogue {
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
  std::unique_ptr<ElementwiseProgram> program;  // x0 = the output itself, then the extra inputs
  size_t first_extra = 0, extras = 0;
  // clamp(x0 + xk) with xk laid out like the output: added in the tile; index into the inputs.
  int residual = -1;
  // Then the value rounded onto a quantization grid as a QDQ model's next QuantizeLinear ->
  // DequantizeLinear pair does (where grid.step > 0); `product_grid` the same done to the product
  // before the residual is added (a QDQ residual block quantizes both operands of its Add).
  Grid grid, product_grid;

  // From params["epilogue"] and the kernel's tensors; extra inputs start at `first_extra`.
  // `residual_in_tile`: the kernel adds `residual` itself (GEMM tiles do; others get a program);
  // `grid_in_tile`: it rounds onto `grid` itself too.
  static Epilogue from(const runtime::KernelSpec& spec, size_t first_extra, bool residual_in_tile = true,
                       bool grid_in_tile = false);
  const float* residual_data(void* const* inputs) const {
    return residual < 0 ? nullptr : static_cast<const float*>(inputs[residual]);
  }
  // Where an integer product's tile writes output rows from `row` on (`ldc` columns each), with
  // this epilogue's clamp, residual and grid (the program then runs over them: finish()).
  IntGemmOutput int_output(void* const* inputs, float* c, int64_t row, int64_t ldc, const float* scale,
                           const float* bias) const {
    const float* r = residual_data(inputs);
    return {c + row * ldc, ldc, scale, bias, lo, hi, r ? r + row * ldc : nullptr, grid, product_grid};
  }
  // Applies the program to output memory [begin, end); `inputs`/`output` as the kernel got them.
  void finish(void* const* inputs, float* output, int64_t begin, int64_t end) const;
};

}  // namespace webdnn::wasm
