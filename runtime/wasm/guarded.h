// Exceptions stop at the JavaScript boundary: each exported function runs its body through
// guarded(), which keeps the message for the module's *_last_error() and returns `on_error`.
// Shared by the runtime's API (api.cc) and the generator's (generator_api.cc), each built into a
// module of its own, so each has its own last_error().
#pragma once
#include <exception>
#include <string>

namespace webdnn::wasm_api {

inline std::string& last_error() {
  static std::string text;
  return text;
}

template <class F>
auto guarded(F f, decltype(f()) on_error) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    last_error() = e.what();
  } catch (...) {
    last_error() = "unknown error";
  }
  return on_error;
}

}  // namespace webdnn::wasm_api
