// Which runtime kernel runs each operator on the wasm backend, with what parameters and inputs:
// the fast kernels (backends/wasm/kernels) where the operator fits them, the reference kernel
// otherwise.
#pragma once
#include "src/emit/variable_table.h"
#include "src/ir/graph.h"
#include "webdnn/json.h"

namespace webdnn::backends::wasm_backend {

// {"kernel", "op", "params", "inputs", "outputs"}; packed weights go into `table`.
Json lower(const ir::Operator& op, emit::VariableTable& table);

}  // namespace webdnn::backends::wasm_backend
