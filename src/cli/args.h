// What the command-line tools share when reading their arguments.
#pragma once
#include <string>
#include <utility>

#include "webdnn/shape.h"

namespace webdnn::cli {

// Prints "PROGRAM: message" and a pointer to --help on stderr, and exits with status 2.
[[noreturn]] void usage_error(const char* program, const std::string& message);
// The value following option argv[i] (advancing i), or a usage error naming the option.
std::string option_value(const char* program, int argc, char** argv, int& i);

// --input-shape NAME=D1,D2,...: the name and the shape, each dimension a positive integer.
// Throws webdnn::Error with the message a usage error shows.
std::pair<std::string, Shape> parse_input_shape(const std::string& arg);
// --dim NAME=MIN..MAX: the name and the range, sizes from 0 to 2^40 with MIN <= MAX; likewise.
std::pair<std::string, std::pair<int64_t, int64_t>> parse_dim_range(const std::string& arg);

}  // namespace webdnn::cli
