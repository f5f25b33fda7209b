// GLSL kernel generators of the WebGL backend, one per IR operator type (or family), and what
// they share. A generator adds one or more draws for an operator through `Kernel`; an optional
// layout hook picks the texture layouts of its outputs and constant inputs before any kernel is
// generated (constants take the layout of their first consumer in schedule order); an optional
// input hook asks layouts for its computed inputs, before any producer chooses.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "backends/webgl/generator/program.h"

namespace webdnn::backends::webgl {

using Generator = void (*)(const ir::Operator& op, Program& program);
using LayoutHook = void (*)(const ir::Operator& op, Program& program);

struct KernelEntry {
  Generator generate = nullptr;
  LayoutHook layouts = nullptr;
  LayoutHook inputs = nullptr;
};
void register_kernel(const char* type, KernelEntry entry);
const KernelEntry* find_kernel(const std::string& type);

struct KernelRegistration {
  KernelRegistration(KernelEntry e, std::initializer_list<const char*> types) {
    for (const char* t : types) register_kernel(t, e);
  }
};

#define WEBDNN_GLSL_CONCAT_INNER(a, b) a##b
#define WEBDNN_GLSL_CONCAT(a, b) WEBDNN_GLSL_CONCAT_INNER(a, b)
// WEBDNN_GLSL_KERNEL(generator, layout_hook_or_nullptr, "Type1", "Type2", ...)
#define WEBDNN_GLSL_KERNEL(fn, hook, ...)                                                             \
  static ::webdnn::backends::webgl::KernelRegistration WEBDNN_GLSL_CONCAT(glsl_registration_, __COUNTER__)( \
      ::webdnn::backends::webgl::KernelEntry{fn, hook}, {__VA_ARGS__})

// Layouts of every variable of `schedule`: hooks first, then the default rules (an elementwise
// output takes the layout of its first input of the same shape that is no view; others their
// default).
void choose_layouts(const std::vector<ir::Operator*>& schedule, Program& program);
// Gives `v` layout `l` unless it already has one (constants shared by several consumers).
void request_layout(Program& program, const ir::Variable* v, Layout l);

// The operator's epilogue (if any) applied to vec4 `value` of the output texel at `coords`;
// extra inputs start at `first_extra`. `scalar`: the value is one element (in .x), extra inputs
// read one element each. Returns the vec4 expression of the result.
std::string epilogue(Kernel& k, const ir::Operator& op, int first_extra, const std::string& value, const Coords& coords,
                     bool scalar, std::string& code, const std::string& prefix = "e");
// A draw writing the output texel by texel: `body` sets `vec4 r` (see Kernel::texel_body).
void texel_kernel(const ir::Operator& op, Program& program, int output, const std::function<std::string(Kernel&)>& body);
// A draw writing the output element by element: `body` sets `float v`.
void element_kernel(const ir::Operator& op, Program& program, int output, const std::function<std::string(Kernel&)>& body);
// Loops over `extents` declaring `int prefix0..`; `inner` is placed inside. GLSL statements.
std::string nested_loops(const std::vector<int64_t>& extents, const std::string& prefix, const std::string& inner);


}  // namespace webdnn::backends::webgl
