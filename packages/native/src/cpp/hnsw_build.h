// HNSW graph build (Malkov & Yashunin, hnswlib's insert and getNeighborsByHeuristic2), single
// thread, deterministic for (vectors, params, seed). Output arrays use the file layout of
// docs/hnsw_format.md; levels come from the same mulberry32 stream as the JS build.
#pragma once
#include <cstdint>
#include <vector>

namespace mnemo {
namespace hnsw {

struct BuildParams {
  const float* vectors;  // count × dim, row-major
  uint32_t count;
  uint32_t dim;
  uint32_t metric;  // MetricCode
  uint32_t M;
  uint32_t efConstruction;
  uint32_t seed;
};

struct BuiltGraph {
  std::vector<uint32_t> layer0;        // count × (1 + 2M)
  std::vector<uint8_t> levels;         // count
  std::vector<uint32_t> upperOffsets;  // count + 1
  std::vector<uint32_t> upperLinks;
  uint32_t maxLevel = 0;
  uint32_t entry = 0xffffffffu;
};

void Build(const BuildParams& p, BuiltGraph& out);

}  // namespace hnsw
}  // namespace mnemo
