// Reading an .onnx file: the protobuf, with errors that say what is wrong with the file.
#pragma once
#include <string>

#include "onnx/onnx_pb.h"

namespace webdnn::onnx_frontend {

// Throws webdnn::Error for a missing or unreadable file, a file that is not ONNX, or a
// truncated one.
onnx::ModelProto read_model(const std::string& path);
// The same for a model already in memory; `name` stands for the file in messages.
onnx::ModelProto parse_model(const std::string& bytes, const std::string& name);

// The opset of the default ONNX domain the model imports.
int64_t default_opset(const onnx::ModelProto& model);

}  // namespace webdnn::onnx_frontend
