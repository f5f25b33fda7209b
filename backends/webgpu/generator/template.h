// WGSL written as WGSL: a shader's text with named holes `${name}`, filled in one call.
//
// Strict, so that a template and its caller cannot drift apart unnoticed: a hole without a
// value, a value without a hole, a malformed hole or a name given twice is an error naming it.
// A hole alone on its line is a block: its value's lines are indented as the hole is, and an
// empty value removes the line. Any other hole is replaced as it stands (a value of one line).
#pragma once
#include <initializer_list>
#include <string>
#include <utility>

namespace webdnn::backends::webgpu {

using Holes = std::initializer_list<std::pair<std::string, std::string>>;
std::string fill(const std::string& text, Holes values);

// `lines` with each non-empty line indented by `spaces` more (for blocks built up in C++).
std::string indent(const std::string& lines, int spaces = 2);

}  // namespace webdnn::backends::webgpu
