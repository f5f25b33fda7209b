#include "src/cli/args.h"

#include <cstdlib>
#include <iostream>

namespace webdnn::cli {

void usage_error(const char* program, const std::string& message) {
  std::cerr << program << ": " << message << "\n(see " << program << " --help)\n";
  std::exit(2);
}

std::string option_value(const char* program, int argc, char** argv, int& i) {
  if (i + 1 >= argc) usage_error(program, std::string(argv[i]) + " needs a value");
  return argv[++i];
}

}  // namespace webdnn::cli
