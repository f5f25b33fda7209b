#include "src/cli/npy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "webdnn/error.h"
#include "webdnn/half.h"

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

// A .npy file of `size` bytes of `data`, elements of the type `descr` names.
void write_npy_bytes(const std::string& path, const char* descr, const Shape& dims, const void* data, size_t size) {
  std::string shape = "(";
  for (size_t i = 0; i < dims.size(); i++) shape += std::to_string(dims[i]) + (dims.size() == 1 || i + 1 < dims.size() ? "," : "");
  shape += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
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
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  WEBDNN_CHECK(f, "cannot write '", path, "'");
}

// The header is a Python dict literal, {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), },
// read by hand: it comes from a file the user names, and a regex over a long header recurses.
class Header {
 public:
  Header(const std::string& text, const std::string& path) : s_(text), path_(path) {}

  void parse(std::string& descr, bool& fortran, Shape& shape) {
    bool seen[3] = {false, false, false};
    expect('{');
    while (!peek('}')) {
      std::string key = quoted();
      expect(':');
      if (key == "descr") {
        descr = quoted();
        seen[0] = true;
      } else if (key == "fortran_order") {
        fortran = word() == "True";
        seen[1] = true;
      } else if (key == "shape") {
        shape = dims();
        seen[2] = true;
      } else {
        bad("an unknown key '" + key + "'");
      }
      if (!peek(',')) break;
      expect(',');
    }
    expect('}');
    WEBDNN_CHECK(seen[0], "'", path_, "' has no dtype in its header");
    WEBDNN_CHECK(seen[2], "'", path_, "' has no shape in its header");
  }

 private:
  [[noreturn]] void bad(const std::string& what) { fail("'", path_, "' has a malformed header: ", what, " at byte ", at_); }
  void space() {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\n' || s_[at_] == '\t')) at_++;
  }
  bool peek(char c) {
    space();
    return at_ < s_.size() && s_[at_] == c;
  }
  void expect(char c) {
    if (!peek(c)) bad(std::string("no '") + c + "'");
    at_++;
  }
  std::string quoted() {
    space();
    if (at_ >= s_.size() || (s_[at_] != '\'' && s_[at_] != '"')) bad("no quoted string");
    size_t end = s_.find(s_[at_], at_ + 1);
    if (end == std::string::npos) bad("an unterminated string");
    std::string v = s_.substr(at_ + 1, end - at_ - 1);
    at_ = end + 1;
    return v;
  }
  std::string word() {
    space();
    size_t start = at_;
    while (at_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[at_]))) at_++;
    std::string w = s_.substr(start, at_ - start);
    if (w != "True" && w != "False") bad("'" + w + "' where True or False belongs");
    return w;
  }
  Shape dims() {
    Shape shape;
    expect('(');
    while (!peek(')')) {
      size_t start = at_;
      int64_t d = 0;
      while (at_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[at_]))) {
        if (d > kMaxDim) bad("a dimension too large");
        d = d * 10 + (s_[at_++] - '0');
      }
      if (at_ == start) bad("a dimension that is not a whole number");
      if (shape.size() == 64) bad("more than 64 dimensions");
      shape.push_back(d);
      if (!peek(',')) break;
      expect(',');
    }
    expect(')');
    return shape;
  }

  static constexpr int64_t kMaxDim = int64_t{1} << 50;
  std::string s_;
  const std::string& path_;
  size_t at_ = 0;
};

}  // namespace

Tensor read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("cannot open '", path, "': ", std::strerror(errno));
  return parse_npy(std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()), path);
}

Tensor parse_npy(const std::string& bytes, const std::string& path) {
  WEBDNN_CHECK(bytes.size() >= 10 && bytes.compare(0, 6, kMagic, 6) == 0, "'", path, "' is not a .npy file");
  int major = static_cast<uint8_t>(bytes[6]);
  WEBDNN_CHECK(major >= 1 && major <= 3, "'", path, "' is a .npy file of version ", major, ", which webdnn does not read");
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
  WEBDNN_CHECK(bytes.size() - header_start >= header_len, "'", path, "' is truncated (in its header)");
  std::string descr;
  bool fortran = false;
  Shape shape;
  Header(bytes.substr(header_start, header_len), path).parse(descr, fortran, shape);
  WEBDNN_CHECK(!fortran, "'", path, "' is in Fortran order; save it in C order (np.ascontiguousarray)");
  DType dtype;
  size_t stored = 0;  // the bytes of an element in the file, where it is widened or narrowed to float32
  if (descr == "<f2" || descr == "<f8") dtype = DType::Float32, stored = descr == "<f2" ? 2 : 8;
  else if (descr == "<f4") dtype = DType::Float32;
  else if (descr == "<i8") dtype = DType::Int64;
  else if (descr == "<i4") dtype = DType::Int32;
  else if (descr == "|b1") dtype = DType::Bool;
  else if (descr == "|u1") dtype = DType::UInt8;
  else if (descr == "|i1") dtype = DType::Int8;
  else fail("'", path, "' holds dtype '", descr, "', which webdnn does not read (use float32, int64 or bool)");
  if (!stored) stored = dtype_size(dtype);
  // Counted before anything is allocated: a header may claim any shape.
  int64_t elements = num_elements(shape);
  size_t data_start = header_start + header_len, held = bytes.size() - data_start;
  WEBDNN_CHECK(elements <= static_cast<int64_t>(held / stored), "'", path, "' is truncated: shape ",
               shape_to_string(shape), " needs ", elements, " elements of ", stored, " bytes but the file holds ", held,
               " bytes of data");
  Tensor t(dtype, shape);
  const char* data = bytes.data() + data_start;
  if (stored == dtype_size(dtype)) {
    if (!t.bytes.empty()) std::memcpy(t.bytes.data(), data, t.bytes.size());
    return t;
  }
  float* out = t.data<float>();
  for (int64_t i = 0; i < elements; i++) {
    if (stored == 2) {
      uint16_t h;
      std::memcpy(&h, data + 2 * i, 2);
      out[i] = half_to_float(h);
    } else {
      double d;
      std::memcpy(&d, data + 8 * i, 8);
      out[i] = static_cast<float>(d);
    }
  }
  return t;
}

void write_npy(const std::string& path, const Tensor& t, const std::string& as) {
  if ((as == "float16" || as == "float64") && t.dtype == DType::Float32) {
    bool half = as == "float16";
    std::string bytes(t.size() * (half ? 2 : 8), '\0');
    const float* v = t.data<float>();
    for (int64_t i = 0; i < t.size(); i++) {
      if (half) {
        uint16_t h = float_to_half(v[i]);
        std::memcpy(&bytes[2 * i], &h, 2);
      } else {
        double d = v[i];
        std::memcpy(&bytes[8 * i], &d, 8);
      }
    }
    write_npy_bytes(path, half ? "<f2" : "<f8", t.shape, bytes.data(), bytes.size());
    return;
  }
  write_npy_bytes(path, descr_of(t.dtype), t.shape, t.bytes.data(), t.bytes.size());
}

}  // namespace webdnn::cli
