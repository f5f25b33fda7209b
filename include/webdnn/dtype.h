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

// A float converted to an integer as WGSL and saturating casts do: toward zero, clamped to the
// type's range, NaN to 0 (C++ leaves out-of-range conversions undefined).
inline int64_t saturate_int64(double v) {
  if (!(v == v)) return 0;
  if (v >= 9223372036854775807.0) return INT64_MAX;
  if (v <= -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace webdnn
