#include "src/cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace webdnn::cli {

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

void ProgressDisplay::update(const std::string& step, double done) {
  const std::string prefix = "webdnn-convert: ";
  if (step != step_) {
    finish();
    step_ = step;
    if (!terminal_) {
      out_ << prefix << step << std::endl;
      return;
    }
    out_ << prefix << step << std::flush;
    shown_ = -2;  // the step's line is open, without a bar yet
  }
  if (!terminal_ || done < 0) return;
  int percent = static_cast<int>(std::clamp(done, 0.0, 1.0) * 100);
  auto now = std::chrono::steady_clock::now();
  // Redrawn when the figure changes, at most 20 times a second (and always at 100%).
  if (percent == shown_ || (percent < 100 && shown_ >= 0 && now - drawn_ < std::chrono::milliseconds(50))) return;
  constexpr int kWidth = 30;
  int filled = percent * kWidth / 100;
  out_ << "\r\x1b[K" << prefix << step << " [" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
       << (percent < 10 ? "  " : percent < 100 ? " " : "") << percent << "%" << std::flush;
  shown_ = percent;
  drawn_ = now;
}

void ProgressDisplay::finish() {
  if (terminal_ && !step_.empty()) out_ << std::endl;
  step_.clear();
  shown_ = -1;
}

}  // namespace webdnn::cli
