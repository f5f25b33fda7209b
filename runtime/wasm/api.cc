// The C functions the JavaScript side calls: load a descriptor and its weights chunk by chunk,
// find the inputs and outputs in memory, run. Errors never escape as exceptions: a function that
// fails returns 0 (or -1) and webdnn_last_error() says why.
#include <emscripten.h>

#include <cstring>
#include <memory>
#include <string>

#include "runtime/core/parallel.h"
#include "runtime/core/weights_loader.h"
#include "runtime/wasm/guarded.h"
#include "webdnn/error.h"

using webdnn::runtime::Runner;
using webdnn::runtime::WeightsLoader;

namespace {
using webdnn::wasm_api::guarded;
using webdnn::wasm_api::last_error;

struct Loader {
  std::unique_ptr<WeightsLoader> weights;
  std::string chunk;               // where JavaScript copies the next piece of the weights file
  std::vector<uint8_t> finished;   // the decompressed weights, for GPU backends
};
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* webdnn_last_error() { return last_error().c_str(); }

EMSCRIPTEN_KEEPALIVE void webdnn_set_num_threads(int n) { webdnn::runtime::set_num_threads(n); }
EMSCRIPTEN_KEEPALIVE int webdnn_num_threads() { return webdnn::runtime::num_threads(); }

// `descriptor` is the JSON text of a wasm descriptor (UTF-8, zero-terminated).
EMSCRIPTEN_KEEPALIVE Loader* webdnn_loader_create(const char* descriptor) {
  return guarded(
      [&] {
        webdnn::Json d = webdnn::parse_json(descriptor, "the descriptor");
        auto l = std::make_unique<Loader>();
        l->weights = std::make_unique<WeightsLoader>(std::move(d));
        return l.release();
      },
      static_cast<Loader*>(nullptr));
}

EMSCRIPTEN_KEEPALIVE char* webdnn_loader_chunk(Loader* l, int size) {
  l->chunk.resize(static_cast<size_t>(size));
  return l->chunk.data();
}

EMSCRIPTEN_KEEPALIVE int webdnn_loader_feed(Loader* l, int size) {
  return guarded(
      [&] {
        l->weights->feed(reinterpret_cast<const uint8_t*>(l->chunk.data()), static_cast<size_t>(size));
        return 0;
      },
      -1);
}

// Consumes the loader whether it succeeds or not.
EMSCRIPTEN_KEEPALIVE Runner* webdnn_loader_finish(Loader* l) {
  std::unique_ptr<Loader> owned(l);
  return guarded([&] { return l->weights->finish().release(); }, static_cast<Runner*>(nullptr));
}

// For backends that run elsewhere (WebGPU, WebGL): checks and decompresses the weights, which stay
// readable at webdnn_loader_weights() until webdnn_loader_destroy(). Returns -1 on error.
EMSCRIPTEN_KEEPALIVE int webdnn_loader_finish_weights(Loader* l) {
  return guarded(
      [&] {
        l->finished = l->weights->finish_weights();
        return 0;
      },
      -1);
}

EMSCRIPTEN_KEEPALIVE uint8_t* webdnn_loader_weights(Loader* l) { return l->finished.data(); }
EMSCRIPTEN_KEEPALIVE int webdnn_loader_weights_size(Loader* l) { return static_cast<int>(l->finished.size()); }

EMSCRIPTEN_KEEPALIVE void webdnn_loader_destroy(Loader* l) { delete l; }

EMSCRIPTEN_KEEPALIVE void* webdnn_input_data(Runner* r, int i) { return r->inputs().at(static_cast<size_t>(i)).data; }
EMSCRIPTEN_KEEPALIVE void* webdnn_output_data(Runner* r, int i) { return r->outputs().at(static_cast<size_t>(i)).data; }

// `shapes` is JSON text, a list of every input's shape in order; returns -1 on error (a shape the
// model does not take, named in webdnn_last_error()).
EMSCRIPTEN_KEEPALIVE int webdnn_set_input_shapes(Runner* r, const char* shapes) {
  return guarded(
      [&] {
        webdnn::Json j = webdnn::Json::parse(shapes, nullptr, false);
        WEBDNN_CHECK(j.is_array(), "input shapes must be a JSON list of shapes");
        std::vector<webdnn::Shape> list;
        for (const webdnn::Json& s : j) {
          WEBDNN_CHECK(s.is_array() && s.size() <= 64, "a shape must be a list of at most 64 sizes");
          webdnn::Shape shape;
          for (const webdnn::Json& d : s) {
            WEBDNN_CHECK(d.is_number_integer(), "a size must be an integer, not ", d.dump());
            shape.push_back(d.get<int64_t>());
          }
          list.push_back(shape);
        }
        r->set_input_shapes(list);
        return 0;
      },
      -1);
}

// The current shapes of the inputs and outputs: {"inputs": [[...], ...], "outputs": [...]}, JSON
// text valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* webdnn_port_shapes(Runner* r) {
  static std::string text;
  webdnn::Json j = {{"inputs", webdnn::Json::array()}, {"outputs", webdnn::Json::array()}};
  for (const auto& p : r->inputs()) j["inputs"].push_back(p.info.shape);
  for (const auto& p : r->outputs()) j["outputs"].push_back(p.info.shape);
  text = j.dump();
  return text.c_str();
}

EMSCRIPTEN_KEEPALIVE int webdnn_run(Runner* r) {
  return guarded(
      [&] {
        r->run();
        return 0;
      },
      -1);
}

// Times each kernel of one run; JSON text, valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* webdnn_profile(Runner* r) {
  static std::string text;
  text = guarded([&] { return r->profile().dump(); }, std::string("[]"));
  return text.c_str();
}

EMSCRIPTEN_KEEPALIVE void webdnn_runner_destroy(Runner* r) { delete r; }

}  // extern "C"
