// Reading and writing NumPy .npy files (version 1.0/2.0, little-endian, C order).
#pragma once
#include <string>

#include "webdnn/tensor.h"

namespace webdnn::cli {

// Throws webdnn::Error naming the file for anything it cannot read exactly. float16 and float64
// files are read as float32 (what webdnn computes in).
Tensor read_npy(const std::string& path);
// The same for a file's bytes; `name` stands for the file in messages.
Tensor parse_npy(const std::string& bytes, const std::string& name);
// `as` "float16" or "float64" writes a float32 tensor in that type (a model's declared output type).
void write_npy(const std::string& path, const Tensor& t, const std::string& as = "");

}  // namespace webdnn::cli
