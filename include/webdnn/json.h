#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace webdnn {
// Ordered so that descriptors and dumps keep the order in which fields were written.
using Json = nlohmann::ordered_json;

// JSON from a stranger (a manifest, a descriptor): webdnn::Error saying "WHAT is not valid JSON"
// for bad text, and for nesting deeper than kMaxJsonDepth, which no file of WebDNN's has and
// which would overflow the stack of the code that copies, compares or prints the value (the JSON
// library recurses; a WebAssembly stack is small).
constexpr int kMaxJsonDepth = 64;
Json parse_json(const std::string& text, const std::string& what);
}  // namespace webdnn
