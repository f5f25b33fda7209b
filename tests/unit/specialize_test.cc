// A descriptor with free dimensions, written by hand: the runner binds the symbols from the
// inputs' shapes, refuses shapes the model does not take (naming input, axis and what it takes),
// plans memory per shape and keeps a few plans, so alternating shapes reuses them.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/core/runner.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

// y = max(x, 0) + 1 over x [batch, 4] (hidden), then z = reshape(y, [4*batch]); the arena holds
// x, the hidden value and z, whose sizes follow batch.
Json relu_reshape(const Json& guards = Json::array()) {
  auto d = [](const char* e) { return Json{{"dim", e}}; };
  return {
      {"format", "webdnn-graph-descriptor"},
      {"version", runtime::kDescriptorVersion},
      {"backend", "wasm"},
      {"weights", {{"file", "w"}, {"encoding", "zstd"}, {"bytes", 0}, {"compressed_bytes", 0}, {"crc32", "00000000"}}},
      {"symbols", {{{"name", "batch"}, {"min", 1}, {"max", 8}, {"hint", 5}}}},
      {"guards", guards},
      {"memory", {{"arena_bytes", 0}, {"alignment", 64}}},
      {"inputs", {{{"name", "x"}, {"variable", 0}}}},
      {"outputs", {{{"name", "z"}, {"variable", 2}}}},
      {"variables",
       {{{"name", "x"}, {"dtype", "float32"}, {"shape", {d("batch"), 4}}, {"strides", {4, 1}}, {"location", "arena"},
         {"offset", 0}, {"bytes", d("16*batch")}},
        {{"name", "y"}, {"dtype", "float32"}, {"shape", {d("batch"), 4}}, {"strides", {4, 1}}, {"location", "arena"},
         {"offset", 0}, {"bytes", d("16*batch")}},
        {{"name", "z"}, {"dtype", "float32"}, {"shape", {d("4*batch")}}, {"strides", {1}}, {"location", "arena"},
         {"offset", 0}, {"bytes", d("16*batch")}}}},
      {"kernels",
       {{{"kernel", "Elementwise"},
         {"op", "relu_plus_one"},
         {"params", {{"expr", {{"input", 0}, {"const", 0}, {"max", 0, 1}, {"const", 1}, {"add", 2, 3}}}, {"to", "float32"}}},
         {"inputs", {0}},
         {"outputs", {1}}},
        {{"kernel", "Reshape"},
         {"op", "flatten"},
         {"params", {{"shape", {d("4*batch")}}}},
         {"inputs", {1}},
         {"outputs", {2}},
         {"inplace", {{1, 2}}}}}}};
}

std::vector<float> run_at(runtime::Runner& r, int64_t batch) {
  r.set_input_shapes({{batch, 4}});
  EXPECT_EQ(r.inputs()[0].info.shape, (Shape{batch, 4}));
  EXPECT_EQ(r.outputs()[0].info.shape, (Shape{4 * batch}));
  std::vector<float> x(static_cast<size_t>(4 * batch));
  for (size_t i = 0; i < x.size(); i++) x[i] = static_cast<float>(i) - 6.0f;
  std::memcpy(r.inputs()[0].data, x.data(), x.size() * 4);
  r.run();
  std::vector<float> z(x.size());
  std::memcpy(z.data(), r.outputs()[0].data, z.size() * 4);
  return z;
}

std::string error_of(runtime::Runner& r, const std::vector<Shape>& shapes) {
  try {
    r.set_input_shapes(shapes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Specialize, RunsAtEveryShapeWithinTheSymbolsRange) {
  runtime::Runner r(relu_reshape(), {});
  EXPECT_EQ(r.inputs()[0].info.shape, (Shape{5, 4}));  // the converter's sample until told otherwise
  for (int64_t batch : {1, 3, 8, 3}) {
    std::vector<float> z = run_at(r, batch);
    for (size_t i = 0; i < z.size(); i++) EXPECT_EQ(z[i], std::max(static_cast<float>(i) - 6.0f, 0.0f) + 1.0f) << batch << " " << i;
  }
}

// The lower of the input's and the output's places: the arena's start (they are its two blocks;
// see TheArenaIsPlannedForTheShape).
const uint8_t* arena_of(const runtime::Runner& r) {
  return std::min(static_cast<const uint8_t*>(r.inputs()[0].data), static_cast<const uint8_t*>(r.outputs()[0].data));
}

TEST(Specialize, PlansAreKeptPerShapeInOneArena) {
  runtime::Runner r(relu_reshape(), {});
  run_at(r, 7);
  const std::vector<runtime::Port>* plan7 = &r.inputs();
  const uint8_t* arena = arena_of(r);
  run_at(r, 2);
  EXPECT_NE(&r.inputs(), plan7);  // each shape has its own plan...
  EXPECT_EQ(arena_of(r), arena);  // ...in the one arena, which batch 7 made large enough
  run_at(r, 7);
  EXPECT_EQ(&r.inputs(), plan7);  // and coming back to a shape reuses its plan
  // Beyond kCachedPlans shapes the least recently used plan goes.
  for (int64_t b = 3; b < 3 + static_cast<int64_t>(runtime::Runner::kCachedPlans); b++) run_at(r, b);
  run_at(r, 2);
  EXPECT_EQ(run_at(r, 2).size(), 8u);
  // A larger shape grows the arena; the smaller shapes' plans follow it.
  run_at(r, 8);
  EXPECT_EQ(run_at(r, 2).size(), 8u);
}

TEST(Specialize, TheArenaIsPlannedForTheShape) {
  runtime::Runner r(relu_reshape(), {});
  // x stays intact (inputs do), y takes its own place and z takes over y's (in place): two
  // blocks of 16*batch bytes rounded up to 64.
  r.set_input_shapes({{8, 4}});
  const auto& in = r.inputs()[0];
  const auto& out = r.outputs()[0];
  int64_t distance = static_cast<uint8_t*>(out.data) - static_cast<uint8_t*>(in.data);
  EXPECT_EQ(std::abs(distance), 128);
}

TEST(Specialize, ShapesTheModelDoesNotTakeAreRefusedByName) {
  runtime::Runner r(relu_reshape(), {});
  auto has = [](const std::string& text, const char* part) { return text.find(part) != std::string::npos; };
  std::string e = error_of(r, {{3, 4, 1}});
  EXPECT_TRUE(has(e, "input 'x' has shape [3,4,1] of rank 3; the model takes rank 2: [batch,4]")) << e;
  e = error_of(r, {{3, 5}});
  EXPECT_TRUE(has(e, "input 'x' has shape [3,5]: axis 1 is 5 where the model takes 4")) << e;
  e = error_of(r, {{9, 4}});
  EXPECT_TRUE(has(e, "input 'x' axis 0 ('batch') is 9; the model was converted for batch in 1..8")) << e;
  e = error_of(r, {});
  EXPECT_TRUE(has(e, "the model takes 1 inputs")) << e;
  // A refused shape leaves the runner as it was.
  EXPECT_EQ(r.inputs()[0].info.shape, (Shape{5, 4}));

  // What the converter assumed (here: batch >= 2) is checked before anything runs.
  runtime::Runner guarded(relu_reshape({{{"lhs", {{"dim", "batch-2"}}}, {"equal", false}, {"where", "node 'n'"}}}), {});
  e = error_of(guarded, {{1, 4}});
  EXPECT_TRUE(has(e, "the model was converted assuming batch-2 >= 0 (at node 'n'), which batch=1 breaks")) << e;
  EXPECT_EQ(run_at(guarded, 2).size(), 8u);
}

TEST(Specialize, AModelOfFixedShapesTakesOnlyItsOwn) {
  Json d = relu_reshape();
  d.erase("symbols");
  d.erase("guards");
  for (Json& v : d["variables"]) v["bytes"] = 32;
  d["variables"][0]["shape"] = {2, 4};
  d["variables"][1]["shape"] = {2, 4};
  d["variables"][2]["shape"] = {8};
  d["variables"][1]["offset"] = 64;
  d["variables"][2]["offset"] = 64;
  d["memory"]["arena_bytes"] = 128;
  d["kernels"][1]["params"]["shape"] = {8};
  runtime::Runner r(d, {});
  EXPECT_EQ(run_at(r, 2).size(), 8u);
  EXPECT_NE(error_of(r, {{3, 4}}).find("axis 0 is 3 where the model takes 2"), std::string::npos);
}

TEST(Specialize, ADimWithoutItsSymbolIsRefused) {
  Json d = relu_reshape();
  d["kernels"][1]["params"]["shape"] = {{{"dim", "4*rows"}}};
  try {
    runtime::Runner r(d, {});
    FAIL() << "a dim of an undeclared symbol ran";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown symbol 'rows'"), std::string::npos) << e.what();
  }
}

// Found by fuzz.descriptor_run: a location that is not a string came out as a JSON type error
// instead of the runtime's own.
TEST(Specialize, ALocationThatIsNoStringIsRefusedByName) {
  Json d = relu_reshape();
  d["variables"][2]["location"] = {{"dim", "4*batch"}};
  try {
    runtime::Runner r(d, {});
    r.set_input_shapes({{2, 4}});
    FAIL() << "a location that is an object ran";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("location"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace webdnn
