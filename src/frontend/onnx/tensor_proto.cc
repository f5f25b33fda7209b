#include "src/frontend/onnx/tensor_proto.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "webdnn/error.h"
#include "webdnn/half.h"

namespace webdnn::onnx_frontend {
namespace {

using TP = onnx::TensorProto;

size_t onnx_element_size(int type) {
  switch (type) {
    case TP::FLOAT: case TP::INT32: case TP::UINT32: return 4;
    case TP::DOUBLE: case TP::INT64: case TP::UINT64: return 8;
    case TP::FLOAT16: case TP::BFLOAT16: case TP::INT16: case TP::UINT16: return 2;
    case TP::INT8: case TP::UINT8: case TP::BOOL: return 1;
  }
  return 0;
}

// Value i of little-endian raw bytes of ONNX type `type`, as a double (int64 kept exact separately).
double raw_value(const uint8_t* p, int type, int64_t i) {
  const uint8_t* e = p + i * onnx_element_size(type);
  auto get = [e](auto v) {
    std::memcpy(&v, e, sizeof(v));
    return v;
  };
  switch (type) {
    case TP::FLOAT: return get(float{});
    case TP::DOUBLE: return get(double{});
    case TP::FLOAT16: return half_to_float(get(uint16_t{}));
    case TP::BFLOAT16: return bfloat16_to_float(get(uint16_t{}));
    case TP::INT8: return get(int8_t{});
    case TP::UINT8: return get(uint8_t{});
    case TP::BOOL: return get(uint8_t{}) != 0;
    case TP::INT16: return get(int16_t{});
    case TP::UINT16: return get(uint16_t{});
    case TP::INT32: return get(int32_t{});
    case TP::UINT32: return get(uint32_t{});
    case TP::UINT64: return static_cast<double>(get(uint64_t{}));
  }
  return 0;
}

// A byte count of external_data: decimal digits, nothing else (std::stoll would take "12abc" and
// throw on overflow without naming the initializer).
int64_t external_number(const TP& proto, const std::string& key, const std::string& text) {
  int64_t v = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text) ok &= c >= '0' && c <= '9';
  if (ok) v = std::stoll(text);
  WEBDNN_CHECK(ok, "initializer '", proto.name(), "' has external data with ", key, " '", text,
               "', which is not a byte count");
  return v;
}

std::string read_external(const TP& proto, const ModelDir& model_dir) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : proto.external_data()) {
    if (kv.key() == "location") location = kv.value();
    else if (kv.key() == "offset") offset = external_number(proto, "offset", kv.value());
    else if (kv.key() == "length") length = external_number(proto, "length", kv.value());
  }
  WEBDNN_CHECK(!location.empty(), "initializer '", proto.name(), "' has external data without a location");
  WEBDNN_CHECK(model_dir, "initializer '", proto.name(), "' keeps its data in the file '", location,
               "', but this model was read from memory, not from a directory");
  // As ONNX says (and onnxruntime checks): a relative path inside the model's directory. A model
  // from a stranger must not make the converter read other files into the weights it ships.
  bool inside = location[0] != '/' && location.find('\\') == std::string::npos;
  for (size_t at = 0; inside && at <= location.size();) {
    size_t end = location.find('/', at);
    if (end == std::string::npos) end = location.size();
    inside = location.compare(at, end - at, "..") != 0;
    at = end + 1;
  }
  WEBDNN_CHECK(inside, "initializer '", proto.name(), "' keeps its data in '", location,
               "', outside the model's directory; external data files must lie beside the model");
  std::string path = model_dir->empty() ? location : *model_dir + "/" + location;
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("initializer '", proto.name(), "' keeps its data in '", path, "', which cannot be opened: ",
               std::strerror(errno), ". Keep external data files next to the model.");
  f.seekg(0, std::ios::end);
  int64_t size = f.tellg();
  if (length < 0) length = size - offset;
  WEBDNN_CHECK(offset <= size && length <= size - offset, "initializer '", proto.name(), "' wants bytes ", offset,
               "..", offset + length, " of '", path, "', which holds only ", size, " bytes");
  std::string bytes(static_cast<size_t>(length), '\0');
  f.seekg(offset);
  f.read(bytes.data(), length);
  WEBDNN_CHECK(f, "cannot read external data of '", proto.name(), "' from '", path, "'");
  return bytes;
}

}  // namespace

const char* onnx_type_name(int t) {
  return TP::DataType_IsValid(t) ? TP::DataType_Name(static_cast<TP::DataType>(t)).c_str() : "UNKNOWN";
}

DType import_dtype(int t, const std::string& what) {
  switch (t) {
    case TP::FLOAT: case TP::DOUBLE: case TP::FLOAT16: case TP::BFLOAT16: return DType::Float32;
    case TP::INT8: case TP::UINT8: case TP::INT16: case TP::UINT16: case TP::INT32: case TP::UINT32:
    case TP::INT64: case TP::UINT64: return DType::Int64;
    case TP::BOOL: return DType::Bool;
  }
  fail(what, " has element type ", onnx_type_name(t), ", which webdnn does not support");
}

Tensor tensor_from_proto(const TP& proto, const ModelDir& model_dir) {
  int type = proto.data_type();
  std::string what = "tensor '" + proto.name() + "'";
  DType dtype = import_dtype(type, what);
  Shape shape(proto.dims().begin(), proto.dims().end());
  int64_t n = num_elements(shape);
  std::string external;
  const std::string* raw = nullptr;
  if (proto.data_location() == TP::EXTERNAL) {
    external = read_external(proto, model_dir);
    raw = &external;
  } else if (proto.has_raw_data()) {
    raw = &proto.raw_data();
  }
  // The data is counted before the tensor is allocated: a few bytes of protobuf may claim any shape.
  if (raw) {
    size_t need = static_cast<size_t>(n) * onnx_element_size(type);
    WEBDNN_CHECK(raw->size() == need, what, " of shape ", shape_to_string(shape), " holds ", raw->size(),
                 " bytes of data; ", need, " are needed");
  } else {
    int count = type == TP::FLOAT    ? proto.float_data_size()
                : type == TP::DOUBLE ? proto.double_data_size()
                : type == TP::INT64  ? proto.int64_data_size()
                : type == TP::UINT32 || type == TP::UINT64 ? proto.uint64_data_size()
                                                           : proto.int32_data_size();
    WEBDNN_CHECK(count == n, what, " of shape ", shape_to_string(shape), " holds ", count, " values; ", n,
                 " are needed");
  }
  Tensor t(dtype, shape);
  auto put = [&](int64_t i, double v) {
    if (dtype == DType::Float32) t.data<float>()[i] = static_cast<float>(v);
    else if (dtype == DType::Bool) t.data<uint8_t>()[i] = v != 0;
    else t.data<int64_t>()[i] = saturate_int64(v);
  };
  if (raw) {
    size_t need = static_cast<size_t>(n) * onnx_element_size(type);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(raw->data());
    if (type == TP::INT64 && need) std::memcpy(t.bytes.data(), p, need);  // exact, not through a double
    else
      for (int64_t i = 0; i < n; i++) put(i, raw_value(p, type, i));
    return t;
  }
  switch (type) {
    case TP::FLOAT:
      for (int64_t i = 0; i < n; i++) put(i, proto.float_data(static_cast<int>(i)));
      break;
    case TP::DOUBLE:
      for (int64_t i = 0; i < n; i++) put(i, proto.double_data(static_cast<int>(i)));
      break;
    case TP::INT64:
      for (int64_t i = 0; i < n; i++) t.data<int64_t>()[i] = proto.int64_data(static_cast<int>(i));
      break;
    case TP::UINT32: case TP::UINT64:
      for (int64_t i = 0; i < n; i++) put(i, static_cast<double>(proto.uint64_data(static_cast<int>(i))));
      break;
    case TP::FLOAT16: case TP::BFLOAT16:
      for (int64_t i = 0; i < n; i++) {
        auto bits = static_cast<uint16_t>(proto.int32_data(static_cast<int>(i)));
        put(i, type == TP::FLOAT16 ? half_to_float(bits) : bfloat16_to_float(bits));
      }
      break;
    default:  // int32, int16, int8, uint16, uint8, bool live in int32_data
      for (int64_t i = 0; i < n; i++) put(i, proto.int32_data(static_cast<int>(i)));
  }
  return t;
}

}  // namespace webdnn::onnx_frontend
