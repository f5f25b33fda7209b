// A wasm descriptor edited the way a corrupt download or a hostile server would: every numeric
// field of every variable and kernel set to huge, negative, zero and non-integer values. The
// runner must refuse it with a message naming the part and the field, or run it, quickly; never
// hang or crash (a crash ends this test binary).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "runtime/core/runner.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/graph_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

// A small net that reaches most wasm kernels: Conv, pooling, Concat, Pad, Gemm, elementwise and
// reference kernels (Softmax, Transpose, Slice).
testing::Lowered small_model() {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 3, 8, 8});
  ir::Variable* c = b.op("Relu", {b.op("Conv", {x, b.constant("w", {4, 3, 3, 3}), b.constant("b", {4})}, {{"pads", Shape{1, 1, 1, 1}}})});
  ir::Variable* p = b.op("MaxPool", {c}, {{"kernel_shape", Shape{2, 2}}, {"strides", Shape{2, 2}}});
  ir::Variable* d = b.op("Conv", {p, b.constant("dw", {4, 1, 3, 3})}, {{"group", 4}, {"pads", Shape{1, 1, 1, 1}}});
  ir::Variable* cat = b.op("Concat", {p, d}, {{"axis", 1}});
  ir::Variable* padded = b.op("Pad", {cat}, {{"pads", Shape{0, 0, 1, 1, 0, 0, 1, 1}}});
  ir::Variable* flat = b.op("Reshape", {padded}, {{"shape", Shape{1, 8 * 6 * 6}}});
  ir::Variable* g = b.op("Gemm", {flat, b.constant("gw", {8 * 6 * 6, 10}), b.constant("gb", {10})});
  b.output(b.op("Softmax", {b.op("Sigmoid", {g})}, {{"axis", 1}}));
  b.output(b.op("Slice", {b.op("Transpose", {d}, {{"perm", Shape{0, 2, 3, 1}}})},
                {{"starts", Shape{0, 1, 0, 0}}, {"ends", Shape{1, 3, 4, 4}}, {"steps", Shape{1, 1, 1, 1}}}));
  return testing::lower(b.graph, "wasm");
}

// Calls f(path, value) for every number in `j`, with a JSON pointer to it.
void for_each_number(const Json& j, const std::string& at, const std::function<void(const std::string&, const Json&)>& f) {
  if (j.is_number()) return f(at, j);
  if (j.is_array())
    for (size_t i = 0; i < j.size(); i++) for_each_number(j[i], at + "/" + std::to_string(i), f);
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) for_each_number(it.value(), at + "/" + it.key(), f);
}

// Fields whose value decides where memory is read or written, or how much: a value out of range
// there must be refused, not run. (The stride of an axis of size 1 is never used.)
bool decides_memory(const Json& d, const std::string& path) {
  if (path.rfind("/variables/", 0) == 0 && path.find("/strides/") != std::string::npos) {
    std::string shape = path.substr(0, path.find("/strides/")) + "/shape/" + path.substr(path.rfind('/') + 1);
    if (d.at(Json::json_pointer(shape)) == 1) return false;
  }
  for (const char* key : {"/shape", "/strides", "/offset", "/bytes", "/arena_bytes", "/inputs/", "/outputs/",
                          "/variable", "/kernel_shape", "/group", "/axis", "/perm", "/starts", "/ends", "/K"})
    if (path.find(key) != std::string::npos) return true;
  return false;
}

TEST(DescriptorValidation, EveryNumericFieldEditedIsRefusedOrRunsQuickly) {
  testing::Lowered model = small_model();
  const Json& original = model.descriptor;
  std::vector<std::pair<std::string, Json>> fields;
  for (const char* part : {"variables", "kernels", "inputs", "outputs", "memory", "weights"})
    for_each_number(original.at(part), std::string("/") + part, [&](const std::string& at, const Json& v) {
      fields.emplace_back(at, v);
    });
  ASSERT_GT(fields.size(), 100u);
  const std::vector<Json> values = {Json(4294967296), Json(29999999999), Json(-1), Json(0), Json(2.5), Json(1e300),
                                    Json(-9.2e18)};
  int refused = 0, ran = 0;
  for (const auto& [at, old] : fields) {
    for (const Json& value : values) {
      if (value == old) continue;
      Json d = original;
      d[Json::json_pointer(at)] = value;
      auto start = std::chrono::steady_clock::now();
      std::string error;
      try {
        runtime::Runner runner(d, model.weights);
        runner.run();
        ran++;
      } catch (const Error& e) {
        error = e.what();
        refused++;
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      EXPECT_LT(seconds, 1.0) << at << " = " << value.dump();
      bool out_of_range = value.is_number_float() || value.get<double>() < 0 || value.get<double>() > 1e9;
      if (decides_memory(original, at) && out_of_range) {
        EXPECT_FALSE(error.empty()) << at << " = " << value.dump() << " was run";
      }
      if (!error.empty()) {
        // Where and what: a kernel, a variable or a part of the descriptor, and the field.
        bool names_where = error.find("kernel ") != std::string::npos || error.find("variable ") != std::string::npos ||
                           error.find("descriptor") != std::string::npos || error.find("inputs ") == 0 ||
                           error.find("outputs ") == 0;
        EXPECT_TRUE(names_where) << at << " = " << value.dump() << ": " << error;
      }
    }
  }
  RecordProperty("refused", refused);
  RecordProperty("ran", ran);
  std::cout << fields.size() << " fields, " << refused << " edits refused, " << ran << " ran\n";
}

// The two edits of the issue that made webdnn-run spin or crash before the runner checked them.
TEST(DescriptorValidation, HugeGroupAndShapeAreRefusedByName) {
  testing::Lowered model = small_model();
  Json d = model.descriptor;
  for (Json& k : d.at("kernels"))
    if (k.at("params").contains("group")) {
      k["params"]["group"] = 4294967296;
      break;
    }
  try {
    runtime::Runner runner(d, model.weights);
    FAIL() << "a group of 4294967296 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("group 4294967296"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("kernel "), std::string::npos) << e.what();
  }
  d = model.descriptor;
  d["variables"][1]["shape"][0] = 29999999999;
  try {
    runtime::Runner runner(d, model.weights);
    FAIL() << "a shape of 29999999999 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("variable 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace webdnn
