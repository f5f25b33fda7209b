// webdnn-convert: the command line of the transpiler.
#include <cstring>
#include <iostream>
#include <sstream>

#include "src/cli/convert.h"
#include "src/cli/args.h"
#include "src/cli/progress.h"
#include "webdnn/error.h"
#include "webdnn/version.h"

namespace {

const char* kUsage = R"(usage: webdnn-convert MODEL.onnx -o OUT_DIR [options]

Converts an ONNX model into a WebDNN graph descriptor with packed weights for each backend.

options:
  -o, --output DIR           where to write (created if missing; only files of this
                             conversion are replaced, and only once all are written)
  --backend LIST             comma-separated backends to emit (default: wasm);
                             available: webgpu, webgl, wasm (the wasm descriptor also
                             serves the JavaScript fallback)
  --input-shape NAME=D,D,... pin the shape of an input with free dimensions (repeatable);
                             without it a free dimension stays free: the model converts once
                             and runs at any shape on every backend (webgpu and webgl: the
                             page generates each new shape's kernels at its first run)
  --dim NAME=MIN..MAX        the range of the free dimension NAME (its ONNX dim_param, or
                             INPUT_AXIS for an unnamed one); the runtime refuses shapes outside
                             it (repeatable)
  --weights CODING           how the weights files hold the model's float32 weights:
                             fp32 (default, as they are), fp16 (half the size), int8 (blocks
                             of 64 values with a scale each: 0.27x), int4 (blocks of 32: 0.14x);
                             expanded to float32 at load; biases and other small tensors stay
                             float32. Prints (and writes into report.json) what it costs: the
                             largest output difference and top-1/top-5 agreement against the
                             float32 weights on a deterministic input. Whatever the coding,
                             weights that are int8 times a scale exactly (a quantized model's)
                             ship as int8, losslessly (int4 excepted)
  --optimize LEVEL           1 (default): run the optimizer's rules; 0: none of them
  --disable-rule NAME[,...]  switch off single rules or passes (repeatable; see --list-rules)
  --list-rules               print the names of every rule and pass, then exit
  --report                   print what each rule group did, the kernels, the memory plan and
                             the weight sizes (always written to OUT_DIR/report.json)
  --validate                 check the graph after every rewrite (always on in debug builds)
  --dump-ir                  print the graph after the shared rule groups (as imported with
                             --optimize 0); without -o nothing is written
  -h, --help                 show this help
  --version                  show the version

Exit status: 0 on success, 1 when the model cannot be converted, 2 for bad usage.
)";

[[noreturn]] void usage_error(const std::string& message) { webdnn::cli::usage_error("webdnn-convert", message); }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  webdnn::cli::ConvertOptions options;
  options.backends = {"wasm"};
  bool report = false;
  auto value = [&](int& i) { return webdnn::cli::option_value("webdnn-convert", argc, argv, i); };
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "webdnn-convert " << webdnn::kVersion << "\n";
      return 0;
    } else if (a == "-o" || a == "--output") {
      options.output_dir = value(i);
    } else if (a == "--backend") {
      options.backends = split(value(i), ',');
    } else if (a == "--input-shape") {
      try {
        auto [name, shape] = webdnn::cli::parse_input_shape(value(i));
        options.input_shapes[name] = shape;
      } catch (const webdnn::Error& e) {
        usage_error(e.what());
      }
    } else if (a == "--dim") {
      try {
        auto [name, range] = webdnn::cli::parse_dim_range(value(i));
        options.dim_ranges[name] = range;
      } catch (const webdnn::Error& e) {
        usage_error(e.what());
      }
    } else if (a == "--weights") {
      std::string v = value(i);
      if (v == "fp16") options.weights = webdnn::runtime::WeightCoding::Float16;
      else if (v == "int8") options.weights = webdnn::runtime::WeightCoding::Int8;
      else if (v == "int4") options.weights = webdnn::runtime::WeightCoding::Int4;
      else if (v == "fp32") options.weights.reset();
      else usage_error("--weights takes fp32, fp16, int8 or int4, not '" + v + "'");
    } else if (a == "--dump-ir") {
      options.dump_ir = true;
    } else if (a == "--optimize") {
      std::string v = value(i);
      if (v != "0" && v != "1") usage_error("--optimize takes 0 or 1, not '" + v + "'");
      options.optimize.level = std::stoi(v);
    } else if (a == "--disable-rule") {
      for (const std::string& r : split(value(i), ',')) options.optimize.disabled.insert(r);
    } else if (a == "--list-rules") {
      for (const std::string& r : webdnn::cli::rule_names()) std::cout << r << "\n";
      return 0;
    } else if (a == "--report") {
      report = true;
    } else if (a == "--validate") {
      options.optimize.validate = true;
    } else if (!a.empty() && a[0] == '-') {
      usage_error("unknown option '" + a + "'");
    } else if (options.model.empty()) {
      options.model = a;
    } else {
      usage_error("more than one model given ('" + options.model + "' and '" + a + "')");
    }
  }
  if (options.model.empty()) usage_error("no model given");
  if (options.output_dir.empty() && !options.dump_ir) usage_error("no output directory given (-o DIR)");
  webdnn::cli::ProgressDisplay display(std::cerr, webdnn::cli::stderr_is_terminal());
  options.progress = display.callback();
  options.print = [](const std::string& text) { std::cout << text << std::flush; };
  try {
    webdnn::Json result = webdnn::cli::convert(options);
    display.finish();
    if (report && result.contains("backends")) std::cout << webdnn::cli::format_report(result);
  } catch (const std::exception& e) {
    display.finish();
    std::cerr << "webdnn-convert: error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
