// webdnn-convert's progress on stderr: on a terminal one line per step, its bar redrawn in place
// ("webdnn-convert: compressing 97 MiB of wasm weights [##########..........]  50%"); otherwise
// (a pipe, a log file) one plain line as each step starts, and nothing in between.
#pragma once
#include <chrono>
#include <ostream>
#include <string>

#include "webdnn/progress.h"

namespace webdnn::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  void update(const std::string& step, double done);
  // Ends the open bar line (before the next output, an error say).
  void finish();
  Progress callback() {
    return [this](const std::string& step, double done) { update(step, done); };
  }

 private:
  std::ostream& out_;
  bool terminal_;
  std::string step_;
  int shown_ = -1;  // percent on the open bar line; -1: none drawn
  std::chrono::steady_clock::time_point drawn_;
};

// Whether stderr is a terminal (and TERM is not "dumb").
bool stderr_is_terminal();

}  // namespace webdnn::cli
