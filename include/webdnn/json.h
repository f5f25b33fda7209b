#pragma once
#include <nlohmann/json.hpp>

namespace webdnn {
// Ordered so that descriptors and dumps keep the order in which fields were written.
using Json = nlohmann::ordered_json;
}  // namespace webdnn
