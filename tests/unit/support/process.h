// Running the command-line tools from tests.
#pragma once
#include <map>
#include <string>

namespace webdnn::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` through the shell.
CommandResult run_command(const std::string& command);

// Every file under `dir` (relative path -> content), to check that a failed run left it alone.
std::map<std::string, std::string> snapshot(const std::string& dir);

}  // namespace webdnn::testing
