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

// Reading what WebDNN writes (descriptors, symbolic graphs) from a stranger: field `key` of `j`,
// or a webdnn::Error "WHERE: field 'KEY' is missing" ("WHERE must be an object" when j is not one).
const Json& json_field(const Json& j, const char* key, const std::string& where);
// The same, for a field that must be a list ("WHERE: field 'KEY' must be a list"), or an object.
const Json& json_list(const Json& j, const char* key, const std::string& where);
const Json& json_object(const Json& j, const char* key, const std::string& where);
}  // namespace webdnn
