#include <map>

#include "runtime/core/kernel.h"

namespace webdnn::runtime {
namespace {
std::map<std::string, KernelFactory>& registry() {
  static std::map<std::string, KernelFactory> r;
  return r;
}
}  // namespace

void register_kernel(const std::string& name, KernelFactory factory) { registry()[name] = factory; }

KernelFactory find_kernel(const std::string& name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (auto& [name, f] : registry()) names.push_back(name);
  return names;
}

}  // namespace webdnn::runtime
