// WGSL kernel generators, one per IR operator type (or family), and the WGSL snippets they share.
#pragma once
#include <string>
#include <vector>

#include "backends/webgpu/generator/program.h"
#include "webdnn/expr.h"

namespace webdnn::backends::webgpu {

using Generator = void (*)(const ir::Operator& op, Program& program);
void register_generator(const char* type, Generator generator);
Generator find_generator(const std::string& type);

struct GeneratorRegistration {
  GeneratorRegistration(Generator g, std::initializer_list<const char*> types) {
    for (const char* t : types) register_generator(t, g);
  }
};

#define WEBDNN_WGSL_CONCAT_INNER(a, b) a##b
#define WEBDNN_WGSL_CONCAT(a, b) WEBDNN_WGSL_CONCAT_INNER(a, b)
// WEBDNN_WGSL_KERNEL(generator, "Type1", "Type2", ...)
#define WEBDNN_WGSL_KERNEL(fn, ...) \
  static ::webdnn::backends::webgpu::GeneratorRegistration WEBDNN_WGSL_CONCAT(wgsl_registration_, __LINE__)(fn, {__VA_ARGS__})

// Statements declaring `prefix0..prefixN` (u32) as the row-major coordinates of flat `index` in
// `shape`.
std::string coordinates(const Shape& shape, const std::string& index, const std::string& prefix);
// The flat index into a tensor of `shape` broadcast to `target`, from target coordinates
// `prefix0..` (numpy alignment; broadcast axes contribute nothing).
std::string broadcast_index(const Shape& shape, const Shape& target, const std::string& prefix);
// Statements computing `e` on the WGSL f32 expressions `inputs`; returns the name of the result.
std::string expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix, std::string& code);
// Helper functions some expressions need (erf, pow of negatives), to put before the entry point.
std::string expression_helpers();
std::string u32(int64_t v);

}  // namespace webdnn::backends::webgpu
