// Sizes that the input values decide (NonZero, NonMaxSuppression): the reference kernels against
// hand-computed selections, and a runner that runs a model in stages, binding the size found by
// one stage before the next is planned, with the outputs' shapes following it.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/core/kernel.h"
#include "runtime/core/runner.h"
#include "runtime/core/stages.h"
#include "webdnn/error.h"
#include "webdnn/tensor.h"

namespace webdnn {
namespace {

Json dim(const char* e) { return {{"dim", e}}; }

// x [n] -> NonZero -> indices [1, count] -> Reshape -> flat [count]; x is an output too, so that
// it crosses the cut. `count_guard` adds what the converter might have assumed of count.
Json non_zero_model(bool count_guard = false) {
  Json guards = Json::array();
  if (count_guard) guards.push_back({{"lhs", dim("count-2")}, {"equal", false}, {"where", "a test"}});
  auto var = [](const char* name, const char* dtype, Json shape, Json strides, Json bytes) {
    return Json{{"name", name},     {"dtype", dtype},     {"shape", shape}, {"strides", strides},
                {"location", "arena"}, {"offset", 0}, {"bytes", bytes}};
  };
  return {
      {"format", "webdnn-graph-descriptor"},
      {"version", runtime::kDescriptorVersion},
      {"backend", "wasm"},
      {"weights", {{"file", "w"}, {"encoding", "zstd"}, {"bytes", 0}, {"compressed_bytes", 0}, {"crc32", "00000000"}}},
      {"symbols",
       {{{"name", "n"}, {"min", 1}, {"max", 64}, {"hint", 5}},
        {{"name", "count"}, {"min", 0}, {"max", 64}, {"hint", 5}, {"data", {{"variable", 2}, {"capacity", dim("n")}}}}}},
      {"guards", guards},
      {"memory", {{"arena_bytes", 0}, {"alignment", 64}}},
      {"inputs", {{{"name", "x"}, {"variable", 0}}}},
      {"outputs", {{{"name", "flat"}, {"variable", 3}}, {{"name", "x_again"}, {"variable", 0}}}},
      {"variables",
       {var("x", "float32", {dim("n")}, {1}, dim("4*n")), var("indices", "int64", {1, dim("count")}, {dim("count"), 1}, dim("8*count")),
        var("found", "int64", {1}, {1}, 8), var("flat", "int64", {dim("count")}, {1}, dim("8*count"))}},
      {"kernels",
       {{{"kernel", "NonZero"}, {"op", "nz"}, {"params", {{"count", dim("count")}}}, {"inputs", {0}}, {"outputs", {1, 2}}},
        {{"kernel", "Reshape"},
         {"op", "flatten"},
         {"params", {{"shape", {dim("count")}}}},
         {"inputs", {1}},
         {"outputs", {3}}}}}};
}

std::vector<int64_t> run_on(runtime::Runner& r, const std::vector<float>& x) {
  r.set_input_shapes({{static_cast<int64_t>(x.size())}});
  std::memcpy(r.inputs()[0].data, x.data(), x.size() * 4);
  r.run();
  const runtime::Port& flat = r.outputs()[0];
  EXPECT_EQ(r.outputs()[1].info.shape, (Shape{static_cast<int64_t>(x.size())}));
  EXPECT_EQ(std::memcmp(r.outputs()[1].data, x.data(), x.size() * 4), 0) << "x crosses the cut unchanged";
  std::vector<int64_t> out(static_cast<size_t>(flat.info.size()));
  if (!out.empty()) std::memcpy(out.data(), flat.data, out.size() * 8);
  EXPECT_EQ(flat.info.shape, (Shape{static_cast<int64_t>(out.size())}));
  return out;
}

TEST(Selection, ModelRunsInStagesBoundByTheSizeFound) {
  runtime::Runner r(non_zero_model(), {});
  EXPECT_EQ(run_on(r, {0, 3, 0, -1, 2}), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(run_on(r, {0, 0}), (std::vector<int64_t>{}));
  EXPECT_EQ(run_on(r, {7}), (std::vector<int64_t>{0}));
  EXPECT_EQ(run_on(r, {0, 3, 0, -1, 2}), (std::vector<int64_t>{1, 3, 4})) << "a cached plan again";
  EXPECT_EQ(run_on(r, {1, 1, 1, 1, 1, 1, 1, 1}), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7})) << "every element";
}

TEST(Selection, StagesCarryWhatLaterKernelsAndOutputsRead) {
  Json d = non_zero_model();
  std::vector<runtime::Stage> stages = runtime::split_stages(d, runtime::read_signature(d));
  ASSERT_EQ(stages.size(), 2u);
  const Json &first = stages[0].descriptor, &second = stages[1].descriptor;
  EXPECT_EQ(first["kernels"].size(), 1u);
  EXPECT_EQ(second["kernels"].size(), 1u);
  // The first stage leaves x (an output of the model), the indices and their count.
  ASSERT_EQ(first["outputs"].size(), 3u);
  ASSERT_EQ(stages[0].finds.size(), 1u);
  EXPECT_EQ(stages[0].finds[0].first, "count");
  EXPECT_EQ(first["variables"][first["outputs"][stages[0].finds[0].second]["variable"].get<int>()]["name"], "found");
  EXPECT_EQ(second["inputs"].size(), first["outputs"].size());
  ASSERT_EQ(second["outputs"].size(), 2u);
  for (size_t i = 0; i < 2; i++) {
    const Json& port = second["outputs"][i];
    EXPECT_EQ(port["name"], i == 0 ? "flat" : "x_again");
    EXPECT_EQ(second["variables"][port["variable"].get<int>()]["name"], i == 0 ? "flat" : "x");
  }
  EXPECT_FALSE(second.contains("guards"));
  for (const Json& s : second["symbols"]) EXPECT_FALSE(s.contains("data"));
}

TEST(Selection, GuardOnAFoundSizeIsCheckedOnceItIsFound) {
  runtime::Runner r(non_zero_model(true), {});
  EXPECT_EQ(run_on(r, {1, 0, 1}), (std::vector<int64_t>{0, 2}));
  std::vector<float> one = {0, 0, 5};
  r.set_input_shapes({{3}});
  std::memcpy(r.inputs()[0].data, one.data(), 12);
  try {
    r.run();
    FAIL() << "count = 1 breaks the guard";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("count-2 >= 0"), std::string::npos) << e.what();
  }
}

TEST(Selection, DataSymbolOfAVariableThatNoKernelWritesIsRefused) {
  Json d = non_zero_model();
  d["symbols"][1]["data"]["variable"] = 3;  // flat: an int64, but not [1]
  EXPECT_THROW(runtime::Runner r(d), Error);
  d["symbols"][1]["data"]["variable"] = 0;  // x: an input
  EXPECT_THROW(runtime::Runner r(d), Error);
  d["symbols"][1]["data"]["variable"] = 2;
  d["symbols"][1]["data"]["capacity"] = dim("count+1");
  EXPECT_THROW(runtime::Runner r(d), Error);
}

// Runs a registered reference kernel on contiguous tensors.
void run_kernel(const char* name, const Json& params, std::vector<Tensor> in, std::vector<Tensor>& out) {
  runtime::KernelSpec spec;
  spec.params = params;
  std::vector<void*> ins, outs;
  for (Tensor& t : in) {
    spec.inputs.push_back({t.dtype, t.shape, contiguous_strides(t.shape)});
    ins.push_back(t.bytes.data());
  }
  for (Tensor& t : out) {
    spec.outputs.push_back({t.dtype, t.shape, contiguous_strides(t.shape)});
    outs.push_back(t.bytes.data());
  }
  runtime::find_kernel(name)(spec)->run(ins.data(), outs.data());
}

Tensor floats(Shape shape, std::vector<float> v) {
  Tensor t(DType::Float32, std::move(shape));
  std::memcpy(t.bytes.data(), v.data(), v.size() * 4);
  return t;
}

TEST(Selection, NonMaxSuppressionKeepsTheBestOfOverlappingBoxes) {
  // Corner boxes [y1, x1, y2, x2]: 1 lies inside 0 with IoU 0.81 / (1 + 0.81 - 0.81); 2 is apart;
  // 3 has no area, so it suppresses nothing and nothing suppresses it. Class 0 ranks 1, 0, 2, 3 and
  // drops 0; class 1 keeps 2 and 3 (0's score 0.3 is not above the threshold 0.3).
  Tensor boxes = floats({1, 4, 4}, {0, 0, 1, 1, 0.1f, 0.1f, 1, 1, 2, 2, 3, 3, 5, 5, 5, 5});
  Tensor scores = floats({1, 2, 4}, {0.8f, 0.9f, 0.5f, 0.4f, 0.3f, 0.1f, 0.95f, 0.35f});
  Json p = {{"center_point_box", 0}, {"max_output_boxes_per_class", 3}, {"iou_threshold", 0.5},
            {"score_threshold", 0.3}, {"count", 6}};
  std::vector<Tensor> out = {Tensor(DType::Int64, {6, 3}), Tensor(DType::Int64, {1})};
  run_kernel("NonMaxSuppression", p, {boxes, scores}, out);
  ASSERT_EQ(out[1].data<int64_t>()[0], 5);
  std::vector<int64_t> rows(out[0].data<int64_t>(), out[0].data<int64_t>() + 15);
  EXPECT_EQ(rows, (std::vector<int64_t>{0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 1, 2, 0, 1, 3}));
  // At most one box per class.
  p["max_output_boxes_per_class"] = 1;
  run_kernel("NonMaxSuppression", p, {boxes, scores}, out);
  ASSERT_EQ(out[1].data<int64_t>()[0], 2);
  EXPECT_EQ(std::vector<int64_t>(out[0].data<int64_t>(), out[0].data<int64_t>() + 6), (std::vector<int64_t>{0, 0, 1, 0, 1, 2}));
}

TEST(Selection, NonZeroWritesItsColumnsCompactlyBeforeItsCapacity) {
  Tensor x = floats({2, 3}, {0, 1, 0, 2, 0, 3});
  std::vector<Tensor> out = {Tensor(DType::Int64, {2, 6}), Tensor(DType::Int64, {1})};
  run_kernel("NonZero", {{"count", 6}}, {x}, out);
  ASSERT_EQ(out[1].data<int64_t>()[0], 3);
  // [2, 3] at the front: rows (0, 1, 1) and columns (1, 0, 2).
  EXPECT_EQ(std::vector<int64_t>(out[0].data<int64_t>(), out[0].data<int64_t>() + 6), (std::vector<int64_t>{0, 1, 1, 1, 0, 2}));
}

}  // namespace
}  // namespace webdnn
