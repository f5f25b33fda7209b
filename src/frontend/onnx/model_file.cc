#include "src/frontend/onnx/model_file.h"

#include <google/protobuf/io/coded_stream.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

std::string read_bytes(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail("'", path, "' is a directory, not an ONNX model file");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) fail("cannot open '", path, "': ", std::strerror(errno));
  // One read into a buffer of the file's size: VGG16 is half a gigabyte, and a stringstream copies
  // it several times over.
  std::streamoff size = f.tellg();
  if (size < 0) fail("cannot read '", path, "': ", std::strerror(errno));
  std::string bytes(static_cast<size_t>(size), '\0');
  f.seekg(0);
  if (!f.read(bytes.data(), size)) fail("cannot read '", path, "': ", std::strerror(errno));
  return bytes;
}

// Walks the top-level fields of a ModelProto without parsing them, so that a file that ends in
// the middle of a field is told apart from a file that is not ONNX at all.
void check_top_level(const std::string& path, const std::string& bytes) {
  // field number -> expected wire type (ModelProto in onnx.proto)
  const std::pair<int, int> known[] = {{1, 0}, {2, 2}, {3, 2}, {4, 2}, {5, 0}, {6, 2}, {7, 2},
                                       {8, 2}, {14, 2}, {20, 2}, {25, 2}};
  const std::string not_onnx = "'" + path + "' is not an ONNX model";
  if (bytes.empty()) fail(not_onnx, ": the file is empty");
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    fail("'", path, "' is larger than 2 GiB, the most a protobuf file can hold; save the model with its weights as "
         "external data (onnx.save_model(..., save_as_external_data=True))");
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(INT32_MAX);
  bool seen_graph = false;
  while (true) {
    int position = in.CurrentPosition();
    uint32_t tag = in.ReadTag();
    if (tag == 0) {
      if (position != static_cast<int>(bytes.size()))
        fail(not_onnx, ": invalid protobuf data at byte ", position);
      break;
    }
    int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    int wire = static_cast<int>(WireFormatLite::GetTagWireType(tag));
    bool ok = false;
    for (auto [f, w] : known) ok |= f == field && w == wire;
    if (!ok)
      fail(not_onnx, ": byte ", position, " holds field ", field, " (wire type ", wire,
           "), which an ONNX ModelProto does not have");
    if (wire == 0) {
      uint64_t v;
      if (!in.ReadVarint64(&v)) fail("'", path, "' is truncated: it ends inside field ", field);
    } else {
      uint32_t length;
      if (!in.ReadVarint32(&length)) fail("'", path, "' is truncated: it ends inside field ", field);
      int left = static_cast<int>(bytes.size()) - in.CurrentPosition();
      if (static_cast<int64_t>(length) > left)
        fail("'", path, "' is truncated: field ", field, field == 7 ? " (the graph)" : "", " needs ", length,
             " bytes but only ", left, " remain; the file may have been cut short while copying");
      in.Skip(static_cast<int>(length));
      seen_graph |= field == 7;
    }
  }
  if (!seen_graph) fail(not_onnx, ": it holds no graph");
}

}  // namespace

onnx::ModelProto read_model(const std::string& path) { return parse_model(read_bytes(path), path); }

onnx::ModelProto parse_model(const std::string& bytes, const std::string& path) {
  check_top_level(path, bytes);
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    fail("'", path, "' is not a valid ONNX model: its protobuf data is malformed");
  if (model.opset_import_size() == 0)
    fail("'", path, "' declares no opset_import; the file may be truncated or not an ONNX model");
  return model;
}

int64_t default_opset(const onnx::ModelProto& model) {
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
  fail("the model imports no opset of the default ONNX domain");
}

}  // namespace webdnn::onnx_frontend
