#include "src/cli/args.h"

#include <cstdlib>
#include <iostream>

#include "webdnn/error.h"

namespace webdnn::cli {

void usage_error(const char* program, const std::string& message) {
  std::cerr << program << ": " << message << "\n(see " << program << " --help)\n";
  std::exit(2);
}

std::string option_value(const char* program, int argc, char** argv, int& i) {
  if (i + 1 >= argc) usage_error(program, std::string(argv[i]) + " needs a value");
  return argv[++i];
}

namespace {
// A dimension is at most 2^40 (params::kMaxExtent), so that sizes computed from it stay exact.
constexpr int64_t kMaxDim = int64_t{1} << 40;

// Decimal digits only (strtoll would take " 1", "+1" and saturate "99999999999999999999").
bool size_text(const std::string& d, int64_t& v) {
  if (d.empty() || d.size() > 13 || d.find_first_not_of("0123456789") != std::string::npos) return false;
  v = std::stoll(d);
  return v <= kMaxDim;
}
}  // namespace

std::pair<std::string, std::pair<int64_t, int64_t>> parse_dim_range(const std::string& arg) {
  size_t eq = arg.rfind('='), dots = arg.find("..", eq == std::string::npos ? 0 : eq);
  WEBDNN_CHECK(eq != std::string::npos && eq != 0 && dots != std::string::npos, "--dim wants NAME=MIN..MAX; got '", arg, "'");
  int64_t lo = 0, hi = 0;
  std::string min = arg.substr(eq + 1, dots - eq - 1), max = arg.substr(dots + 2);
  WEBDNN_CHECK(size_text(min, lo), "--dim ", arg, ": '", min, "' is not a size (0 to 2^40)");
  WEBDNN_CHECK(size_text(max, hi), "--dim ", arg, ": '", max, "' is not a size (0 to 2^40)");
  WEBDNN_CHECK(lo <= hi, "--dim ", arg, ": the minimum is larger than the maximum");
  return {arg.substr(0, eq), {lo, hi}};
}

std::pair<std::string, Shape> parse_input_shape(const std::string& arg) {
  size_t eq = arg.rfind('=');
  WEBDNN_CHECK(eq != std::string::npos && eq != 0, "--input-shape wants NAME=D1,D2,...; got '", arg, "'");
  Shape shape;
  size_t at = eq + 1;
  while (true) {
    size_t comma = arg.find(',', at);
    std::string d = arg.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    bool digits = !d.empty() && d.size() <= 13 && d.find_first_not_of("0123456789") == std::string::npos;
    int64_t v = digits ? std::stoll(d) : 0;
    WEBDNN_CHECK(digits && v > 0 && v <= kMaxDim, "--input-shape ", arg, ": '", d, "' is not a positive integer",
                 digits && v > kMaxDim ? " of at most 2^40" : "");
    shape.push_back(v);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return {arg.substr(0, eq), shape};
}

}  // namespace webdnn::cli
