// webdnn-run: executes a converted model natively with the runtime core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "runtime/kernels/reference/reference.h"
#include "src/cli/load.h"
#include "src/cli/npy.h"
#include "src/cli/args.h"
#include "webdnn/error.h"
#include "webdnn/half.h"
#include "webdnn/version.h"

namespace {

const char* kUsage = R"(usage: webdnn-run OUT_DIR --output-dir DIR [options]

Runs a model converted by webdnn-convert with the native build of the runtime core and writes
each output to DIR/<output name>.npy (characters outside [A-Za-z0-9_.-] become '_').

options:
  --backend NAME           descriptor to run (default: wasm)
  --input NAME=FILE.npy    value of an input (repeatable), of any shape the model takes
                           (a model with free dimensions runs at the shapes given); inputs
                           not given get a deterministic value (floats uniform in [0,1),
                           integers 0) of the shape the model declares, its free dimensions
                           at the converter's sample values. A model exported in half
                           precision (float16 inputs and outputs) reads .npy files of
                           float16 or float32 (rounded to float16) and writes float16
  --save-inputs DIR        also write the inputs used to DIR/<input name>.npy
  --output-dir DIR         where to write the outputs (created if missing)
  --benchmark N            run N more times after the first and print the median and
                           minimum milliseconds per run, and the first run's time and the
                           planning for the inputs' shapes before it (a measurement, not a test)
  --profile                after the runs, time each kernel once and print the slowest
  -h, --help               show this help
  --version                show the version
)";

[[noreturn]] void usage_error(const std::string& message) { webdnn::cli::usage_error("webdnn-run", message); }

}  // namespace

int main(int argc, char** argv) {
  using namespace webdnn;
  std::string dir, backend = "wasm", output_dir, save_inputs;
  int benchmark = 0;
  bool profile = false;
  std::map<std::string, std::string> input_files;
  auto value = [&](int& i) { return webdnn::cli::option_value("webdnn-run", argc, argv, i); };
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "webdnn-run " << kVersion << "\n";
      return 0;
    } else if (a == "--backend") {
      backend = value(i);
    } else if (a == "--input") {
      std::string spec = value(i);
      size_t eq = spec.find('=');
      if (eq == std::string::npos || eq == 0) usage_error("--input wants NAME=FILE.npy; got '" + spec + "'");
      input_files[spec.substr(0, eq)] = spec.substr(eq + 1);
    } else if (a == "--output-dir") {
      output_dir = value(i);
    } else if (a == "--save-inputs") {
      save_inputs = value(i);
    } else if (a == "--profile") {
      profile = true;
    } else if (a == "--benchmark") {
      benchmark = std::atoi(value(i).c_str());
      if (benchmark < 1) usage_error("--benchmark takes a positive number of runs");
    } else if (!a.empty() && a[0] == '-') {
      usage_error("unknown option '" + a + "'");
    } else if (dir.empty()) {
      dir = a;
    } else {
      usage_error("more than one model directory given");
    }
  }
  if (dir.empty()) usage_error("no model directory given");
  if (output_dir.empty()) usage_error("no --output-dir given");
  try {
    auto runner = cli::load_runner(dir, backend);
    const std::map<std::string, std::string> declared = cli::declared_port_types(dir);
    auto declared_type = [&](const std::string& port) {
      auto it = declared.find(port);
      return it == declared.end() ? std::string() : it->second;
    };
    for (auto& [name, file] : input_files) {
      bool known = false;
      for (const auto& p : runner->inputs()) known |= p.name == name;
      WEBDNN_CHECK(known, "--input names '", name, "', which is not an input of the model");
    }
    // A model with free dimensions runs at the shapes of the files given (the others keep the
    // converter's sample shapes); the runner checks them against the model.
    std::vector<std::optional<Tensor>> given(runner->inputs().size());
    std::vector<Shape> shapes;
    for (size_t i = 0; i < runner->inputs().size(); i++) {
      const runtime::Port& port = runner->inputs()[i];
      auto it = input_files.find(port.name);
      if (it != input_files.end()) {
        given[i] = cli::read_npy(it->second);
        WEBDNN_CHECK(given[i]->dtype == port.info.dtype, "'", it->second, "' holds ", dtype_name(given[i]->dtype),
                     " but input '", port.name, "' is ", dtype_name(port.info.dtype));
      }
      shapes.push_back(given[i] ? given[i]->shape : port.info.shape);
    }
    auto planning = std::chrono::steady_clock::now();
    runner->set_input_shapes(shapes);
    double plan_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - planning).count();
    for (size_t i = 0; i < runner->inputs().size(); i++) {
      const runtime::Port& port = runner->inputs()[i];
      Tensor t = given[i] ? std::move(*given[i]) : cli::default_input(port.info, i);
      // A float16 or bfloat16 input holds only what its type can: values given otherwise round to it.
      std::string type = declared_type(port.name);
      if (type == "float16" || type == "bfloat16")
        for (int64_t k = 0; k < t.size() && t.dtype == DType::Float32; k++)
          t.data<float>()[k] = type == "float16" ? half_to_float(float_to_half(t.data<float>()[k]))
                                                : bfloat16_to_float(float_to_bfloat16(t.data<float>()[k]));
      runtime::reference::scatter_contiguous(t, port.data, port.info);
      if (!save_inputs.empty()) {
        std::filesystem::create_directories(save_inputs);
        cli::write_npy(save_inputs + "/" + cli::sanitize_name(port.name) + ".npy", t, type);
      }
    }
    auto first = std::chrono::steady_clock::now();
    runner->run();
    double first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - first).count();
    if (benchmark > 0) {
      std::vector<double> ms;
      for (int i = 0; i < benchmark; i++) {
        auto t0 = std::chrono::steady_clock::now();
        runner->run();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      std::sort(ms.begin(), ms.end());
      std::printf("%s: %d runs, median %.1f ms, min %.1f ms; the first %.1f ms after %.1f ms of planning for its shapes\n",
                  dir.c_str(), benchmark, ms[ms.size() / 2], ms[0], first_ms, plan_ms);
    }
    if (profile)
      for (const Json& k : runner->profile()) std::printf("%8.2f ms  %-20s %s\n", k.at("ms").get<double>(),
                                                         k.at("kernel").get<std::string>().c_str(), k.at("op").get<std::string>().c_str());
    std::filesystem::create_directories(output_dir);
    for (const runtime::Port& port : runner->outputs())
      cli::write_npy(output_dir + "/" + cli::sanitize_name(port.name) + ".npy",
                     runtime::reference::gather_contiguous(port.data, port.info), declared_type(port.name));
  } catch (const std::exception& e) {
    std::cerr << "webdnn-run: error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
