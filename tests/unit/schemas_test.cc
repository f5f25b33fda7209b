// What every operator definition must hold, checked over the whole registry.
#include <gtest/gtest.h>

#include "runtime/core/kernel.h"
#include "src/ops/schema.h"

namespace webdnn {
namespace {

// Constant folding and every backend's last resort run an operator on its reference kernel: a
// schema that names one the runtime lacks would fail only when a model reaches it.
TEST(Schemas, EveryReferenceKernelIsRegistered) {
  std::vector<std::string> types = ops::schema_types();
  ASSERT_GT(types.size(), 50u);
  for (const std::string& type : types) {
    const ops::OpSchema& s = ops::schema_of(type);
    EXPECT_FALSE(s.kernel.empty()) << type;
    EXPECT_NE(runtime::find_kernel(s.kernel), nullptr) << type << " names reference kernel '" << s.kernel << "'";
    EXPECT_TRUE(s.infer) << type << " has no shape inference";
  }
}

}  // namespace
}  // namespace webdnn
