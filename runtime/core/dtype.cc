#include "webdnn/dtype.h"

#include <stdexcept>

namespace webdnn {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::Float32: return 4;
    case DType::Int64: return 8;
    case DType::Int32: return 4;
    case DType::Bool: return 1;
    case DType::UInt8: return 1;
    case DType::Int8: return 1;
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::Float32: return "float32";
    case DType::Int64: return "int64";
    case DType::Int32: return "int32";
    case DType::Bool: return "bool";
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
  }
  return "?";
}

DType dtype_from_name(const std::string& name) {
  for (DType t : {DType::Float32, DType::Int64, DType::Int32, DType::Bool, DType::UInt8, DType::Int8})
    if (name == dtype_name(t)) return t;
  throw std::invalid_argument("unknown dtype '" + name + "'");
}

}  // namespace webdnn
