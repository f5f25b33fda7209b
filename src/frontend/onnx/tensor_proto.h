// ONNX TensorProto -> Tensor, for initializers, Constant nodes and tensor attributes.
#pragma once
#include <optional>
#include <string>

#include "onnx/onnx_pb.h"
#include "webdnn/dtype.h"
#include "webdnn/tensor.h"

namespace webdnn::onnx_frontend {

// The IR dtype an ONNX element type imports as: floating types as float32, integers as int64,
// bool as bool. Throws webdnn::Error for types the IR does not hold (strings, complex).
DType import_dtype(int onnx_type, const std::string& what);
const char* onnx_type_name(int onnx_type);

// Reads raw_data, the typed fields, or external data (a file inside `model_dir`; a model read
// from memory has no directory, and then external data is refused).
using ModelDir = std::optional<std::string>;
Tensor tensor_from_proto(const onnx::TensorProto& proto, const ModelDir& model_dir);

}  // namespace webdnn::onnx_frontend
