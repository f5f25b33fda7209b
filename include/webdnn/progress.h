// Progress of long work, for webdnn-convert's terminal bar (src/cli/progress.h).
#pragma once
#include <functional>
#include <string>

namespace webdnn {

// Called with the step under way ("reading model.onnx", "compressing 98 MiB of wasm weights") and
// how much of it is done, 0..1, or kStepStarts when the step begins and its extent is unknown.
// A call with another step name starts that step; the same name again moves its bar.
using Progress = std::function<void(const std::string& step, double done)>;
constexpr double kStepStarts = -1;

}  // namespace webdnn
