// One exception type for every user-facing failure, so the CLIs can print it and exit non-zero.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace webdnn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

namespace detail {
inline void append(std::ostringstream&) {}
template <class T, class... Rest>
void append(std::ostringstream& s, const T& v, const Rest&... rest) {
  s << v;
  append(s, rest...);
}
}  // namespace detail

template <class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream s;
  detail::append(s, parts...);
  throw Error(s.str());
}

#define WEBDNN_CHECK(cond, ...) \
  do {                          \
    if (!(cond)) ::webdnn::fail(__VA_ARGS__); \
  } while (0)

}  // namespace webdnn
