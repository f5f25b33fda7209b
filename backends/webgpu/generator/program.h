// The WebGPU program of one graph: GPU buffers (one arena, and weight buffers that each stay
// under the binding limit), WGSL shaders with every shape and offset written in, and the
// dispatches that run them in order. Kernel generators (kernels/*.cc) add one dispatch per
// operator through `Program`.
#pragma once
#include <map>
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
// minStorageBufferOffsetAlignment and a generous default workgroup size.
constexpr int64_t kAlignment = 256;
constexpr int kWorkgroup = 64;

class Program {
 public:
  Program(const ir::Graph& graph, const optimizer::MemoryPlan& plan, emit::WeightsBuilder& weights);

  // WGSL expression reading element `index` (a u32 expression, row-major) of `v` as f32, and
  // the location to write it. Records that the kernel being built uses v's buffer.
  std::string read(const ir::Variable* v, const std::string& index);
  std::string write(const ir::Variable* v, const std::string& index);

  // Adds a dispatch of `body` (WGSL statements using `i`, the invocation's index) over `threads`
  // invocations in workgroups of `workgroup`; the shader's buffer bindings come from the
  // read()/write() calls made since the last dispatch. `extra` goes before the entry point
  // (helper functions, workgroup variables).
  void dispatch(const ir::Operator& op, const std::string& body, int64_t threads, int workgroup = kWorkgroup,
                const std::string& extra = "");
  // A dispatch of a complete shader: `code` holds everything after the binding declarations,
  // with an entry point named `main`; `workgroups` as dispatched.
  void dispatch_raw(const ir::Operator& op, const std::string& code, std::vector<int64_t> workgroups);

  Json to_json(const ir::Graph& graph) const;
  size_t num_dispatches() const { return dispatches_.size(); }

 private:
  struct Place {
    int buffer;
    int64_t offset;  // in floats
  };
  Place place(const ir::Variable* v);
  std::string bindings();

  const optimizer::MemoryPlan& plan_;
  emit::WeightsBuilder& weights_;
  Json buffers_ = Json::array();         // [{name, bytes, weights_offset?}]
  std::map<const ir::Variable*, Place> places_;
  int64_t weight_buffer_bytes_ = -1;     // fill of the weight buffer being packed
  std::set<int> used_;                   // buffers the current kernel uses
  std::map<std::string, int> shader_index_;
  Json shaders_ = Json::array(), dispatches_ = Json::array(), variables_ = Json::array();
  std::map<const ir::Variable*, int> variable_index_;
  int variable(const ir::Variable* v);
};

// Formats a constant for WGSL source: an f32 literal that reads back the same value.
std::string f32(double v);

}  // namespace webdnn::backends::webgpu
