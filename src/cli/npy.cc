#include "src/cli/npy.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "webdnn/error.h"

namespace webdnn::cli {
namespace {

const char kMagic[] = "\x93NUMPY";

const char* descr_of(DType t) {
  switch (t) {
    case DType::Float32: return "<f4";
    case DType::Int64: return "<i8";
    case DType::Int32: return "<i4";
    case DType::Bool: return "|b1";
    case DType::UInt8: return "|u1";
    case DType::Int8: return "|i1";
  }
  return "?";
}

}  // namespace

Tensor read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("cannot open '", path, "': ", std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  WEBDNN_CHECK(bytes.size() >= 10 && bytes.compare(0, 6, kMagic, 6) == 0, "'", path, "' is not a .npy file");
  int major = static_cast<uint8_t>(bytes[6]);
  size_t header_len, header_start;
  if (major == 1) {
    header_len = static_cast<uint8_t>(bytes[8]) | static_cast<uint8_t>(bytes[9]) << 8;
    header_start = 10;
  } else {
    WEBDNN_CHECK(bytes.size() >= 12, "'", path, "' is truncated");
    header_len = 0;
    for (int i = 0; i < 4; i++) header_len |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    header_start = 12;
  }
  WEBDNN_CHECK(bytes.size() >= header_start + header_len, "'", path, "' is truncated (in its header)");
  std::string header = bytes.substr(header_start, header_len);
  std::smatch m;
  WEBDNN_CHECK(std::regex_search(header, m, std::regex("'descr':\\s*'([^']*)'")), "'", path, "' has no dtype in its header");
  std::string descr = m[1];
  WEBDNN_CHECK(!std::regex_search(header, std::regex("'fortran_order':\\s*True")), "'", path,
               "' is in Fortran order; save it in C order (np.ascontiguousarray)");
  WEBDNN_CHECK(std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")), "'", path, "' has no shape in its header");
  Shape shape;
  std::stringstream dims(m[1].str());
  std::string d;
  while (std::getline(dims, d, ','))
    if (d.find_first_not_of(" ") != std::string::npos) shape.push_back(std::stoll(d));
  DType dtype;
  if (descr == "<f4") dtype = DType::Float32;
  else if (descr == "<i8") dtype = DType::Int64;
  else if (descr == "<i4") dtype = DType::Int32;
  else if (descr == "|b1") dtype = DType::Bool;
  else if (descr == "|u1") dtype = DType::UInt8;
  else if (descr == "|i1") dtype = DType::Int8;
  else fail("'", path, "' holds dtype '", descr, "', which webdnn does not read (use float32, int64 or bool)");
  Tensor t(dtype, shape);
  size_t data_start = header_start + header_len;
  WEBDNN_CHECK(bytes.size() - data_start >= t.bytes.size(), "'", path, "' is truncated: shape ", shape_to_string(shape),
               " needs ", t.bytes.size(), " bytes of data but the file holds ", bytes.size() - data_start);
  std::memcpy(t.bytes.data(), bytes.data() + data_start, t.bytes.size());
  return t;
}

void write_npy(const std::string& path, const Tensor& t) {
  std::string shape = "(";
  for (size_t i = 0; i < t.shape.size(); i++) shape += std::to_string(t.shape[i]) + (t.shape.size() == 1 || i + 1 < t.shape.size() ? "," : "");
  shape += ")";
  std::string header = std::string("{'descr': '") + descr_of(t.dtype) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  if (!f) fail("cannot write '", path, "': ", std::strerror(errno));
  f.write(kMagic, 6);
  f.put(1);
  f.put(0);
  f.put(static_cast<char>(header.size() & 0xff));
  f.put(static_cast<char>(header.size() >> 8));
  f << header;
  f.write(reinterpret_cast<const char*>(t.bytes.data()), static_cast<std::streamsize>(t.bytes.size()));
  WEBDNN_CHECK(f, "cannot write '", path, "'");
}

}  // namespace webdnn::cli
