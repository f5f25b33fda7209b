// Element types shared by the transpiler and the runtime.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace webdnn {

enum class DType : uint8_t { Float32, Int64, Int32, Bool, UInt8, Int8 };

size_t dtype_size(DType t);
const char* dtype_name(DType t);
// Throws std::invalid_argument for an unknown name.
DType dtype_from_name(const std::string& name);
inline bool is_integer(DType t) { return t != DType::Float32; }

}  // namespace webdnn
