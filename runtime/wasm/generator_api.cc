// The generator built into the JavaScript runtime (webdnn-generator): the transpiler's own rule
// groups and GPU backend generators, built with Emscripten, for models with free dimensions.
// JavaScript gives it a symbolic graph descriptor and its decompressed weights once
// (webdnn_generator_create, webdnn_generator_weights), then asks for the descriptor of each new
// input signature (webdnn_generate), which the webgpu and webgl runners execute as they execute
// a converted one. Errors never escape as exceptions: a function that fails returns 0 (or -1)
// and webdnn_generator_last_error() says why.
#include <emscripten.h>

#include <memory>
#include <string>
#include <vector>

#include "src/cli/convert.h"
#include "runtime/wasm/guarded.h"
#include "webdnn/error.h"
#include "webdnn/version.h"

namespace {
using webdnn::wasm_api::guarded;
using webdnn::wasm_api::last_error;

struct Generator {
  webdnn::Json descriptor;
  std::vector<uint8_t> weights;
};

struct Result {
  std::string descriptor;  // JSON text, envelope included
  std::vector<uint8_t> weights;
};

webdnn::Json parse(const char* text, const char* what) {
  webdnn::Json j = webdnn::Json::parse(text, nullptr, false);
  WEBDNN_CHECK(!j.is_discarded(), what, " is not JSON");
  return j;
}
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* webdnn_generator_last_error() { return last_error().c_str(); }

// `descriptor`: the JSON text of a symbolic graph descriptor; `weights_size`: its decompressed
// weights' size, to be written at webdnn_generator_weights() before the first webdnn_generate.
EMSCRIPTEN_KEEPALIVE Generator* webdnn_generator_create(const char* descriptor, int weights_size) {
  return guarded(
      [&] {
        auto g = std::make_unique<Generator>();
        g->descriptor = parse(descriptor, "the symbolic graph descriptor");
        g->weights.resize(static_cast<size_t>(weights_size));
        return g.release();
      },
      static_cast<Generator*>(nullptr));
}

EMSCRIPTEN_KEEPALIVE uint8_t* webdnn_generator_weights(Generator* g) { return g->weights.data(); }
EMSCRIPTEN_KEEPALIVE void webdnn_generator_destroy(Generator* g) { delete g; }

// `shapes`: JSON, every input's shape in order; `options`: JSON object added to the graph's
// "generate" options (webgl: {"max_texture_size": N}).
EMSCRIPTEN_KEEPALIVE Result* webdnn_generate(Generator* g, const char* shapes, const char* options) {
  return guarded(
      [&] {
        webdnn::Json list = parse(shapes, "the input shapes");
        WEBDNN_CHECK(list.is_array(), "input shapes must be a JSON list of shapes");
        std::vector<webdnn::Shape> parsed;
        for (const webdnn::Json& s : list) {
          WEBDNN_CHECK(s.is_array() && s.size() <= 64, "a shape must be a list of at most 64 sizes");
          webdnn::Shape shape;
          for (const webdnn::Json& d : s) {
            WEBDNN_CHECK(d.is_number_integer(), "a size must be an integer, not ", d.dump());
            shape.push_back(d.get<int64_t>());
          }
          parsed.push_back(shape);
        }
        webdnn::emit::BackendOutput out = webdnn::cli::specialize(g->descriptor, g->weights.data(), g->weights.size(),
                                                                   parsed, parse(options, "the options"));
        webdnn::Json d = {{"format", "webdnn-graph-descriptor"},
                          {"version", webdnn::kFormatVersion},
                          {"backend", out.backend},
                          {"weights", {{"file", "(generated in the page)"}, {"encoding", "none"}, {"bytes", out.weights.size()}}}};
        out.descriptor.erase("variants");
        for (auto& [key, value] : out.descriptor.items()) d[key] = value;
        auto r = std::make_unique<Result>();
        r->descriptor = d.dump();
        r->weights = std::move(out.weights);
        return r.release();
      },
      static_cast<Result*>(nullptr));
}

EMSCRIPTEN_KEEPALIVE const char* webdnn_result_descriptor(Result* r) { return r->descriptor.c_str(); }
EMSCRIPTEN_KEEPALIVE uint8_t* webdnn_result_weights(Result* r) { return r->weights.data(); }
EMSCRIPTEN_KEEPALIVE int webdnn_result_weights_size(Result* r) { return static_cast<int>(r->weights.size()); }
EMSCRIPTEN_KEEPALIVE void webdnn_result_destroy(Result* r) { delete r; }

}  // extern "C"
