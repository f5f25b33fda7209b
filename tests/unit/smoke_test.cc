#include <gtest/gtest.h>

#include "src/ops/schema.h"

TEST(Smoke, SchemasRegistered) { EXPECT_NE(webdnn::ops::find_schema("Conv"), nullptr); }
