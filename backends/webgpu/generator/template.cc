#include "backends/webgpu/generator/template.h"

#include <map>
#include <set>

#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

int line_of(const std::string& text, size_t at) {
  int line = 1;
  for (size_t i = 0; i < at; i++) line += text[i] == '\n';
  return line;
}

}  // namespace

std::string fill(const std::string& text, Holes values) {
  std::map<std::string, const std::string*> given;
  for (const auto& [name, value] : values)
    WEBDNN_CHECK(given.emplace(name, &value).second, "template value '", name, "' is given twice");
  std::set<std::string> filled;
  std::string out;
  out.reserve(text.size() * 2);
  size_t i = 0;
  while (i < text.size()) {
    size_t hole = text.find("${", i);
    if (hole == std::string::npos) {
      out.append(text, i, std::string::npos);
      break;
    }
    size_t end = hole + 2;
    while (end < text.size() && name_char(text[end], end == hole + 2)) end++;
    std::string name = text.substr(hole + 2, end - hole - 2);
    WEBDNN_CHECK(!name.empty() && end < text.size() && text[end] == '}', "template line ", line_of(text, hole),
                 ": malformed hole '", text.substr(hole, std::min<size_t>(end - hole + 1, 24)), "'");
    auto it = given.find(name);
    WEBDNN_CHECK(it != given.end(), "template line ", line_of(text, hole), ": hole ${", name, "} has no value");
    filled.insert(name);
    const std::string& value = *it->second;
    size_t line_start = text.rfind('\n', hole) == std::string::npos ? 0 : text.rfind('\n', hole) + 1;
    bool alone = text.find_first_not_of(" ", line_start) == hole && (end + 1 == text.size() || text[end + 1] == '\n');
    if (alone && line_start >= i) {
      // A block: drop the indentation already copied, then each line of the value indented.
      out.append(text, i, line_start - i);
      const std::string indent(hole - line_start, ' ');
      size_t p = 0;
      while (p < value.size()) {
        size_t nl = value.find('\n', p);
        std::string line = value.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        if (!line.empty()) out += indent + line;
        out += '\n';
        p = nl == std::string::npos ? value.size() : nl + 1;
      }
      i = end + 1 < text.size() ? end + 2 : end + 1;  // past the hole's newline
    } else {
      WEBDNN_CHECK(value.find('\n') == std::string::npos, "template line ", line_of(text, hole), ": hole ${", name,
                   "} stands within a line, but its value has several lines");
      out.append(text, i, hole - i);
      out += value;
      i = end + 1;
    }
  }
  for (const auto& [name, value] : given)
    WEBDNN_CHECK(filled.count(name), "template value '", name, "' has no hole ${", name, "}");
  return out;
}

std::string indent(const std::string& lines, int spaces) {
  std::string out;
  size_t p = 0;
  while (p < lines.size()) {
    size_t nl = lines.find('\n', p);
    size_t end = nl == std::string::npos ? lines.size() : nl;
    if (end > p) out += std::string(static_cast<size_t>(spaces), ' ');
    out.append(lines, p, end - p);
    if (nl != std::string::npos) out += '\n';
    p = end + 1;
  }
  return out;
}

}  // namespace webdnn::backends::webgpu
