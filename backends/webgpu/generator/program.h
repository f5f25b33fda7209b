// The WebGPU program of one graph: GPU buffers (one arena, and weight buffers that each stay
// under the binding limit), WGSL shaders with every shape written in, and the dispatches that run
// them in order. Kernel generators (kernels/*.cc) add the dispatches of each operator through
// `Program`.
//
// A kernel declares the tensors a dispatch uses under role names (x, w, y, ...) and writes only
// its body, reading and storing through the accessors of those Operands (`get_x(i)`,
// `set_y(i, v)`); Program writes the binding declarations and the accessor functions. Every
// variable a dispatch touches is bound as its own range of its buffer (buffer, byte offset, byte
// size; offsets aligned to 256 bytes), so that operators of the same kind and shape share one
// shader whatever their place in memory. Ranges of one buffer that overlap (an operator writing
// over its input) are bound once, and so are all ranges of a buffer when a dispatch would need
// more bindings than WebGPU guarantees; the accessors then add the variable's offset in its range.
//
// The f16 program of a graph exported in half precision (Program's second constructor): the graph's float
// tensors, intermediate values and weights alike, are stored as f16 (`enable f16;`, `array<f16,
// N>` bindings), halving their memory and bandwidth, while integer and bool tensors (indices up to
// 30522 in BERT's embedding lookup, shapes, masks) stay f32, exact up to 2^24, in an arena of their
// own: a buffer has one element type, so that a binding never mixes them. The accessors convert to
// and from f32 at the load and the store, so every kernel computes and accumulates in f32 as in the
// f32 program (sums, means, variances and softmax denominators of f16 values past 65504 do not
// overflow); a value is rounded to f16 only where a tensor is stored, as the model's own float16
// tensors are. Buffers the runner makes (scratch, prepared) stay f32: kernels keep bit patterns
// and their own intermediate values there.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "src/emit/weights.h"
#include "src/ir/graph.h"
#include "src/optimizer/memory_plan.h"
#include "webdnn/json.h"

namespace webdnn::backends::webgpu {

// WebGPU's default maxStorageBufferBindingSize; the splitting rule keeps every variable under it.
constexpr int64_t kMaxBinding = int64_t{128} << 20;
// The binding limit a descriptor is made for: kMaxBinding, or WEBDNN_WEBGPU_MAX_BINDING bytes from
// the environment (a smaller limit, so that tests reach the splitting with small models).
int64_t max_binding();
// minStorageBufferOffsetAlignment, for the arena and for the weights.
constexpr int64_t kAlignment = 256;
// WebGPU's default maxStorageBuffersPerShaderStage.
constexpr int kMaxBindings = 8;
constexpr int kWorkgroup = 64;

// A tensor as the shader of one dispatch sees it, under its role name: WGSL that reads its
// elements as f32 and stores them (a value stored into an integer or bool tensor is rounded as a
// cast would round it). Indices and coordinates are u32 WGSL expressions, row-major.
struct Operand {
  std::string name;
  const ir::Variable* variable = nullptr;

  const Shape& shape() const { return variable->shape; }
  // Element `index`.
  std::string get(const std::string& index) const { return "get_" + name + "(" + index + ")"; }
  // The element at `coords`, one per axis (axes of extent 1 may be given as anything).
  std::string at(const std::vector<std::string>& coords) const;
  // The element that output element `index` of shape `target` reads under numpy broadcasting;
  // where the shapes differ, from the target coordinates `prefix`0, `prefix`1, ... (see
  // coordinates()).
  std::string broadcast(const Shape& target, const std::string& index, const std::string& prefix) const;
  // A statement storing f32 `value` as element `index`.
  std::string set(const std::string& index, const std::string& value) const {
    return "set_" + name + "(" + index + ", " + value + ");";
  }
};

// Statements declaring `prefix`0, `prefix`1, ... (u32) as the coordinates of flat `index` in a
// row-major tensor of `shape`.
std::string coordinates(const Shape& shape, const std::string& index, const std::string& prefix);

class Program {
 public:
  Program(const ir::Graph& graph, const optimizer::MemoryPlan& plan, emit::WeightsBuilder& weights,
          int64_t max_binding = kMaxBinding);
  // The f16 program of the same graph (see above), made after `f32`, the f32 program: `plan`
  // places the integer and bool variables (4 bytes each), `halves` the float ones (2 bytes each).
  // Its float weights are the f32 program's f32 copies in the weights blob, which the runner
  // converts to halves at load ("halves" of a buffer), so the weights file holds them once.
  Program(const ir::Graph& graph, const optimizer::MemoryPlan& plan, const optimizer::MemoryPlan& halves,
          emit::WeightsBuilder& weights, const Program& f32, int64_t max_binding = kMaxBinding);

  // Declares a tensor the next dispatch reads (input) or writes (output, which may also be read)
  // under role `name` (a WGSL identifier, unique in the dispatch). Bindings are numbered in the
  // order of declaration, so that kernels of the same kind and shape make the same shader.
  Operand input(const std::string& name, const ir::Variable* v);
  Operand output(const std::string& name, const ir::Variable* v);

  // A constant made by a generator (index maps, interpolation weights), stored with the weights;
  // declare it with input().
  const ir::Variable* table(const std::vector<float>& values);
  // Variables of `shapes` laid out from the start of the scratch buffer, which the runner makes and
  // which every kernel that asks reuses (dispatches run one after another): a kernel's own
  // intermediate values, which the graph does not know (a Winograd convolution's transformed tiles).
  std::vector<const ir::Variable*> scratch(const std::vector<Shape>& shapes);
  // A variable in a buffer the runner makes at load, written once by dispatches of prepare() before
  // any run: weights in a form larger than the compact one the weights file holds.
  const ir::Variable* prepared(const Shape& shape);

  // Whether two variables start at the same place (an in-place handover: a copy is not needed).
  bool same_memory(const ir::Variable* a, const ir::Variable* b);

  // Makes `out` a view of `in` (the memory plan gave it `in`'s memory): an operand declared on
  // `out` reads `in`'s element at `map` of its index, a WGSL expression of a u32 expression (the
  // maps of a view of a view are composed). No dispatch writes `out`.
  void view(const ir::Variable* out, const ir::Variable* in, std::function<std::string(const std::string&)> map);
  bool is_view(const ir::Variable* v) const { return views_.count(v) > 0; }

  // Adds a dispatch of `body` (WGSL statements using `i`, the invocation's index) over `threads`
  // invocations in workgroups of `workgroup`, binding the operands declared since the last
  // dispatch. `extra` goes before the entry point (helper functions, workgroup variables).
  void dispatch(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup = kWorkgroup,
                const std::string& extra = "");
  // Like dispatch(), but run once at load (after the weights are uploaded), not in every run.
  void prepare(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup = kWorkgroup,
               const std::string& extra = "");
  // A dispatch of a complete shader: `code` holds everything after the bindings and accessors,
  // with an entry point named `main`; `workgroups` as dispatched.
  void dispatch_raw(const ir::Operator& op, const std::string& code, std::vector<int64_t> workgroups);
  // A dispatch with two shaders over the same bindings: `gpu` for GPUs, `cpu` for adapters that
  // run compute shaders on the CPU (SwiftShader), where workgroup memory and barriers cost more
  // than they save. The runner compiles and runs only the variant for its adapter.
  struct Variant {
    std::string code;
    std::vector<int64_t> workgroups;
  };
  // `subgroups`, where given, is the GPU shader written with WGSL's subgroup operations (its code
  // starting with `enable subgroups;`), run instead of `gpu` on devices with the 'subgroups'
  // feature; `cpu` may be `gpu` itself (then the dispatch has no CPU shader of its own).
  void dispatch_variants(const ir::Operator& op, const Variant& gpu, const Variant& cpu,
                         const Variant* subgroups = nullptr);
  // Like dispatch_variants() without subgroups, with a second pair, `dot_gpu` and `dot_cpu`,
  // written with WGSL's dot4I8Packed: the runner runs those on devices whose WGSL has the language
  // feature packed_4x8_integer_dot_product, the first pair (an i32 multiply-add) elsewhere.
  void dispatch_packed_dot(const ir::Operator& op, const Variant& gpu, const Variant& cpu, const Variant& dot_gpu,
                           const Variant& dot_cpu);
  // Makes the dispatches added from now on run only with the GPU kernels ("gpu") or only with the
  // CPU kernels ("cpu", where a dispatch of two variants keeps only its CPU shader); "" for both.
  // An operator may so take another algorithm on GPUs (Winograd) than on SwiftShader.
  void only_for(const std::string& kernels) { only_ = kernels; }
  // The shader and workgroups that dispatch() makes of `body` (threads > 0).
  static Variant over_threads(const std::string& body, int64_t threads, int workgroup = kWorkgroup,
                              const std::string& extra = "");

  Json to_json(const ir::Graph& graph) const;
  size_t num_dispatches() const { return dispatches_.size(); }

 private:
  struct Place {
    int buffer;
    int64_t offset;  // in elements of the buffer (f32 or f16)
  };
  Place place(const ir::Variable* v);
  // Whether `v` is stored as f16: a float variable of the graph in the f16 program.
  bool is_half(const ir::Variable* v) const;
  int element_bytes(int buffer) const { return buffers_[buffer].value("element", "f32") == "f16" ? 2 : 4; }
  // Places a float constant in an f16 weights buffer: its f32 copy in the blob, converted at load.
  Place place_half(const ir::Variable* v);
  // A buffer of the runner's own ("scratch" or "prepared": see docs/descriptor.md); its index.
  int own_buffer(const std::string& kind);
  const ir::Variable* made(const Shape& shape, Place p);
  Operand declare(const std::string& name, const ir::Variable* v, bool output);
  int variable(const ir::Variable* v);
  Json add_dispatch(const ir::Operator& op, const Variant& main, const Variant* cpu = nullptr,
                    const Variant* subgroups = nullptr, const Variant* dot = nullptr, const Variant* dot_cpu = nullptr);
  int shader(const std::string& code);

  const optimizer::MemoryPlan& plan_;
  const optimizer::MemoryPlan* halves_ = nullptr;  // the f16 program's plan of its float variables
  const Program* f32_ = nullptr;                   // the f16 program's f32 program
  std::map<const ir::Variable*, int64_t> blob_;    // constant -> byte offset of its f32 data in the weights
  emit::WeightsBuilder& weights_;
  int64_t max_binding_;
  Json buffers_ = Json::array();  // [{name, bytes, weights_offset?}]
  std::map<const ir::Variable*, Place> places_;
  struct Declared {
    Operand operand;
    bool output;
    const ir::Variable* stored;  // where its elements are: operand.variable, or the variable it views
    std::function<std::string(const std::string&)> map;  // index in `stored` of an index; null: the same
  };
  struct View {
    const ir::Variable* in;
    std::function<std::string(const std::string&)> map;
  };
  std::map<const ir::Variable*, View> views_;
  std::vector<Declared> operands_;  // of the dispatch being made, in order of declaration
  std::vector<std::unique_ptr<ir::Variable>> tables_, made_;
  std::string only_;
  int weights_buffer_ = -1, scratch_buffer_ = -1, prepared_buffer_ = -1;
  int half_arena_ = -1, half_weights_ = -1;  // the f16 program's arena of floats and current f16 weights buffer
  std::map<std::string, int> shader_index_;
  Json shaders_ = Json::array(), dispatches_ = Json::array(), prepare_ = Json::array(), variables_ = Json::array();
  std::map<const ir::Variable*, int> variable_index_;
};

// Formats a constant for WGSL source: an f32 literal that reads back the same value.
std::string f32(double v);

}  // namespace webdnn::backends::webgpu
