#pragma once
namespace webdnn {
constexpr const char* kVersion = "0.1.0";
}
