// What a backend can hold, stated and enforced: a model too large for one gets a clear error at
// convert time (naming the model, the backend and what to do), and a descriptor too large for the
// runtime at hand is refused before anything is allocated or downloaded. Sizes never overflow.
#include <gtest/gtest.h>

#include "runtime/core/runner.h"
#include "src/cli/convert.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"
#include "webdnn/tensor.h"

namespace webdnn {
namespace {

// Converts y = Relu(x) for x of `shape` for `backend`; returns the error's message, or "".
std::string convert_error(const Shape& shape, const std::string& backend) {
  testing::OnnxBuilder b;
  b.input("x", shape).output("y");
  b.node("Relu", {"x"}, {"y"}, "relu");
  cli::ConvertOptions options;
  options.model = b.save();
  options.output_dir = testing::temp_dir() + "/out";
  options.backends = {backend};
  try {
    cli::convert(options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Limits, WasmModelLargerThanWebAssemblyMemoryIsRefusedAtConvertTime) {
  // 2^30 floats in and out: 8 GiB of arena, planned, never allocated.
  std::string m = convert_error({1, int64_t{1} << 30}, "wasm");
  EXPECT_NE(m.find("cannot convert '"), std::string::npos) << m;
  EXPECT_NE(m.find("for the wasm backend"), std::string::npos) << m;
  EXPECT_NE(m.find("more than the 4096 MiB a WebAssembly runtime can hold"), std::string::npos) << m;
  EXPECT_NE(m.find("--input-shape"), std::string::npos) << m;
  EXPECT_EQ(convert_error({1, 1024}, "wasm"), "");
}

TEST(Limits, WebGpuArenaOverOneBindingSaysWhatToDo) {
  std::string m = convert_error({1, int64_t{1} << 26}, "webgpu");
  EXPECT_NE(m.find("for the webgpu backend"), std::string::npos) << m;
  EXPECT_NE(m.find("more than one WebGPU binding holds"), std::string::npos) << m;
  EXPECT_NE(m.find("or for the wasm backend"), std::string::npos) << m;
}

TEST(Limits, WebGlTexturesOverTheBudgetAreRefusedBeforeTheModelIsProbed) {
  // 2^30 floats in and out fill 16384x16384 textures past 4 GiB; the half-float probe, which runs
  // the model, would otherwise allocate them first.
  std::string m = convert_error({1, int64_t{1} << 30}, "webgl");
  EXPECT_NE(m.find("for the webgl backend"), std::string::npos) << m;
  EXPECT_NE(m.find("MiB WebGL budget"), std::string::npos) << m;
}

TEST(Limits, RuntimeRefusesADescriptorLargerThanItsMemoryBeforeAllocating) {
  testing::GraphBuilder b;
  b.output(b.op("Relu", {b.input("x", {1, 1024})}));
  testing::Lowered model = testing::lower(b.graph, "wasm");
  Json d = model.descriptor;
  EXPECT_NO_THROW(runtime::Runner r(d));
  runtime::set_memory_limit(1000);
  try {
    runtime::Runner r(d);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("this runtime can hold at most"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--input-shape"), std::string::npos) << e.what();
  }
  runtime::set_memory_limit(0);
  EXPECT_NO_THROW(runtime::Runner r(d));
}

TEST(Limits, TensorsLargerThanAnyBackendHoldsAreErrorsNotAllocations) {
  EXPECT_THROW(Tensor(DType::Float32, {int64_t{1} << 20, int64_t{1} << 11}), Error);  // 8 GiB
  EXPECT_THROW(Tensor(DType::Int64, {int64_t{1} << 49, 4}), Error);                   // 2^51 elements
  EXPECT_NO_THROW(Tensor(DType::Float32, {0, int64_t{1} << 40}));                      // empty
}

TEST(Limits, SizeArithmeticIsChecked) {
  EXPECT_EQ(checked_size_mul(int64_t{1} << 25, int64_t{1} << 25), int64_t{1} << 50);
  EXPECT_THROW(checked_size_mul(int64_t{1} << 25, (int64_t{1} << 25) + 1), Error);
  EXPECT_THROW(checked_size_mul(INT64_MAX, 2), Error);
  EXPECT_THROW(checked_size_mul(-1, 2), Error);
  EXPECT_THROW(contiguous_strides({2, int64_t{1} << 40, int64_t{1} << 40, 2}), Error);
  // A product that wraps to 0 modulo 2^64 is not an empty tensor.
  EXPECT_THROW(num_elements(Shape{int64_t{1} << 32, int64_t{1} << 32}), Error);
  EXPECT_THROW(num_elements(Shape{int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40}), Error);
  EXPECT_EQ(num_elements(Shape{int64_t{1} << 40, int64_t{1} << 40, 0}), 0);
  EXPECT_EQ(contiguous_strides({int64_t{1} << 40, 2, 3}), Shape({6, 3, 1}));
}

}  // namespace
}  // namespace webdnn
