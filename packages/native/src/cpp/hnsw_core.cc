// HNSW core (see hnsw_core.h): the f32 distance kernels of the graph, taken from the distance
// module (scalar, or AVX2/FMA when the CPU has it). The traversal templates live in the header.
// docs/hnsw_format.md.
#include "hnsw_core.h"

#include "distance_kernels.h"

namespace mnemo {
namespace hnsw {

// The f32 kernels are the distance module's (distance_kernels.h): one implementation per ISA.
const Kernels& ScalarKernels() {
  static const Kernels k{kScalarKernels.dot, kScalarKernels.l2, "scalar"};
  return k;
}

const Kernels& ActiveKernels() {
  static const Kernels k = [] {
    const mnemo::Kernels* avx = Avx2Kernels();
    return avx != nullptr ? Kernels{avx->dot, avx->l2, "avx2-fma"} : ScalarKernels();
  }();
  return k;
}

}  // namespace hnsw
}  // namespace mnemo
