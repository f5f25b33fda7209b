// Which runtime kernel runs each operator on the wasm backend, with what parameters and inputs:
// the fast kernels (backends/wasm/kernels) where the operator fits them, the reference kernel
// otherwise.
#pragma once
#include <string>

#include "src/emit/variable_table.h"
#include "src/ir/graph.h"
#include "webdnn/json.h"

namespace webdnn::backends::wasm_backend {

// {"kernel", "op", "params", "inputs", "outputs"}; packed weights go into `table`.
Json lower(const ir::Operator& op, emit::VariableTable& table);

// Whether the fast kernels of operator `type` take row-major tensors only (the layout policy asks
// that order for them, so that they are not left to the reference kernel).
bool row_major_kernel(const std::string& type);

}  // namespace webdnn::backends::wasm_backend
