#include <map>

#include "backends/backend.h"

namespace webdnn::backends {
namespace {
std::map<std::string, BackendRegistration::Factory>& factories() {
  static std::map<std::string, BackendRegistration::Factory> f;
  return f;
}
}  // namespace

BackendRegistration::BackendRegistration(const char* name, Factory factory) { factories()[name] = factory; }

std::unique_ptr<Backend> make_backend(const std::string& name) {
  auto it = factories().find(name);
  return it == factories().end() ? nullptr : it->second();
}

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (auto& [name, f] : factories()) names.push_back(name);
  return names;
}

}  // namespace webdnn::backends
