// Builds small ONNX models in tests, writes them to a temporary file and imports them.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"
#include "src/frontend/onnx/importer.h"
#include "src/ir/graph.h"
#include "webdnn/tensor.h"

namespace webdnn::testing {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int64_t opset = 17);

  // A graph input; a negative dimension becomes a free dimension named "N<axis>".
  OnnxBuilder& input(const std::string& name, const Shape& shape, int elem_type = onnx::TensorProto::FLOAT);
  // elem_type 0 leaves the output's type undeclared.
  OnnxBuilder& output(const std::string& name, int elem_type = 0);
  OnnxBuilder& initializer(const std::string& name, const Tensor& t);
  // Adds a node; attributes are added on the returned NodeProto with the attr() helpers.
  onnx::NodeProto& node(const std::string& op_type, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");

  onnx::ModelProto& model() { return model_; }
  // Writes the model to a fresh temporary file and returns its path.
  std::string save() const;
  std::unique_ptr<ir::Graph> import(const onnx_frontend::ImportOptions& options = {}) const;

 private:
  onnx::ModelProto model_;
};

// uint8 and int8 tensors (zero points, quantized weights) from integer values.
inline Tensor u8(const Shape& shape, const std::vector<int64_t>& v) { return Tensor::from_ints(shape, v, DType::UInt8); }
inline Tensor i8(const Shape& shape, const std::vector<int64_t>& v) { return Tensor::from_ints(shape, v, DType::Int8); }

void attr(onnx::NodeProto& node, const std::string& name, int64_t v);
void attr(onnx::NodeProto& node, const std::string& name, float v);
void attr(onnx::NodeProto& node, const std::string& name, const std::string& v);
void attr(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& v);
void attr(onnx::NodeProto& node, const std::string& name, const std::vector<float>& v);
void attr(onnx::NodeProto& node, const std::string& name, const Tensor& v);

onnx::TensorProto to_proto(const std::string& name, const Tensor& t);
// A fresh empty directory under the system temp dir.
std::string temp_dir();

// The message of the error importing `b` raises, or "(no error)".
std::string import_error(const OnnxBuilder& b);

// Max |a - b| over all elements (as doubles); shapes must match.
double max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace webdnn::testing
