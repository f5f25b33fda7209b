#include "backends/wasm/kernels/winograd.h"

namespace webdnn::wasm::winograd {

void transform_kernel(const float* g, float* u) {
  // G = [[1,0,0], [1/2,1/2,1/2], [1/2,-1/2,1/2], [0,0,1]]
  const float G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
  float t[4][3];  // G g
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 3; j++) t[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) u[i * 4 + j] = t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2];
}

}  // namespace webdnn::wasm::winograd
