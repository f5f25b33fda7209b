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

}  // namespace webdnn
