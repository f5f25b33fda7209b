#include "webdnn/json.h"

#include "webdnn/error.h"

namespace webdnn {

Json parse_json(const std::string& text, const std::string& what) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') i++;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      WEBDNN_CHECK(++depth <= kMaxJsonDepth, what, " is not valid JSON for webdnn: it nests deeper than ", kMaxJsonDepth,
                   " levels at byte ", i);
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  Json j = Json::parse(text, nullptr, false);
  WEBDNN_CHECK(!j.is_discarded(), what, " is not valid JSON");
  return j;
}

const Json& json_field(const Json& j, const char* key, const std::string& where) {
  WEBDNN_CHECK(j.is_object(), where, " must be an object");
  auto it = j.find(key);
  WEBDNN_CHECK(it != j.end(), where, ": field '", key, "' is missing");
  return *it;
}

const Json& json_list(const Json& j, const char* key, const std::string& where) {
  const Json& v = json_field(j, key, where);
  WEBDNN_CHECK(v.is_array(), where, ": field '", key, "' must be a list");
  return v;
}

const Json& json_object(const Json& j, const char* key, const std::string& where) {
  const Json& v = json_field(j, key, where);
  WEBDNN_CHECK(v.is_object(), where, ": field '", key, "' must be an object");
  return v;
}

}  // namespace webdnn
