// HNSW core shared by the build (hnsw_build.cc) and the search handle (hnsw.cc): SIMD distance
// kernels with AVX2/FMA runtime dispatch, (distance,row) heaps, an epoch-tagged visited set and
// the layer traversal over the graph layout of docs/hnsw_format.md. Nothing here allocates per
// query except the caller-owned scratch vectors, which are reused.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnemo {
namespace hnsw {

enum MetricCode : uint32_t { kCosine = 0, kL2 = 1, kDot = 2 };

using RawFn = float (*)(const float*, const float*, size_t);

// Raw kernels: dot = Σ aᵢbᵢ, l2 = Σ (aᵢ−bᵢ)². Chosen once (AVX2+FMA when the CPU has it).
struct Kernels {
  RawFn dot;
  RawFn l2;
  const char* level;  // "avx2-fma" | "scalar"
};
const Kernels& ActiveKernels();
const Kernels& ScalarKernels();

// How a raw kernel value becomes a distance (smaller = closer).
enum DistMode : int {
  kModeL2 = 0,         // raw l2
  kModeNegDot = 1,     // −dot
  kModeOneMinus = 2,   // 1 − dot (cosine over normalised vectors: the build)
  kModeCosInv = 3,     // 1 − dot·invNorm[row] (cosine over raw vectors + stored inverse norms)
};

// A distance that overflowed into NaN (finite inputs near the f32 range: +inf + -inf) counts as
// the farthest: Pair's operator< must stay a strict weak order (std::sort, heaps).
inline float NotNaN(float d) { return d != d ? __builtin_inff() : d; }

// Distance from one prepared query to rows of a row-major f32 matrix.
struct QueryDist {
  const float* q;
  const float* base;
  size_t dim;
  RawFn fn;
  DistMode mode;
  const float* inv;  // kModeCosInv only
  inline const float* Row(uint32_t r) const { return base + static_cast<size_t>(r) * dim; }
  // Prefetch a row's bytes (up to 1 KiB) before measuring it.
  inline void Prefetch(uint32_t r) const {
    const char* v = reinterpret_cast<const char*>(Row(r));
    const size_t bytes = std::min<size_t>(dim * sizeof(float), 1024);
    for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(v + off);
  }
  inline float operator()(uint32_t r) const {
    float raw = fn(q, Row(r), dim);
    float d;
    switch (mode) {
      case kModeL2: d = raw; break;
      case kModeNegDot: d = -raw; break;
      case kModeOneMinus: d = 1.0f - raw; break;
      default: d = 1.0f - raw * inv[r]; break;
    }
    return NotNaN(d);
  }
};

struct Pair {
  float d;
  uint32_t id;
};
inline bool operator<(const Pair& a, const Pair& b) { return a.d < b.d || (a.d == b.d && a.id < b.id); }
struct Greater {
  bool operator()(const Pair& a, const Pair& b) const { return b < a; }
};

// Max-heap (farthest on top) and min-heap (closest on top) over a reusable vector.
struct MaxHeap {
  std::vector<Pair> v;
  void clear() { v.clear(); }
  size_t size() const { return v.size(); }
  const Pair& top() const { return v.front(); }
  void push(Pair p) { v.push_back(p); std::push_heap(v.begin(), v.end()); }
  void pop() { std::pop_heap(v.begin(), v.end()); v.pop_back(); }
};
struct MinHeap {
  std::vector<Pair> v;
  void clear() { v.clear(); }
  size_t size() const { return v.size(); }
  const Pair& top() const { return v.front(); }
  void push(Pair p) { v.push_back(p); std::push_heap(v.begin(), v.end(), Greater()); }
  void pop() { std::pop_heap(v.begin(), v.end(), Greater()); v.pop_back(); }
};

// Epoch-tagged visited set: Next() starts a traversal without clearing (cleared every 65535).
struct Visited {
  std::vector<uint16_t> tags;
  uint16_t epoch = 0;
  void Resize(size_t n) { tags.assign(n, 0); epoch = 0; }
  void Next() {
    if (++epoch == 0) {
      std::fill(tags.begin(), tags.end(), 0);
      epoch = 1;
    }
  }
};

// Read-only view of a graph in the file layout (build arrays or a mapped file).
struct GraphView {
  uint32_t count = 0, M = 0, maxM0 = 0, maxLevel = 0, entry = 0;
  const uint32_t* layer0 = nullptr;
  const uint8_t* levels = nullptr;
  const uint32_t* upperOffsets = nullptr;
  const uint32_t* upperLinks = nullptr;
  inline const uint32_t* List(uint32_t row, uint32_t level) const {
    if (level == 0) return layer0 + static_cast<size_t>(row) * (1 + maxM0);
    return upperLinks + upperOffsets[row] + static_cast<size_t>(level - 1) * (1 + M);
  }
};

// Row filter: bit i of byte i>>3 set in `allow` (if any) and clear in `deny` (if any).
struct RowFilter {
  const uint8_t* allow = nullptr;
  const uint8_t* deny = nullptr;
  inline bool Active() const { return allow != nullptr || deny != nullptr; }
  inline bool Ok(uint32_t r) const {
    if (allow && !((allow[r >> 3] >> (r & 7)) & 1)) return false;
    if (deny && ((deny[r >> 3] >> (r & 7)) & 1)) return false;
    return true;
  }
};

// The traversal is a template over the distance: `Dist` has `float operator()(uint32_t row)` and
// `void Prefetch(uint32_t row)` (QueryDist over f32 rows; QuantDist of hnsw_quant.h over u8 codes).

// Greedy descent from `cur` on layers top..stop+1 (ties by lower row).
template <typename Dist>
Pair GreedyDescent(const GraphView& g, const Dist& dist, Pair cur, uint32_t top, uint32_t stop) {
  for (uint32_t level = top; level > stop; level--) {
    bool changed = true;
    while (changed) {
      changed = false;
      const uint32_t* list = g.List(cur.id, level);
      uint32_t n = list[0];
      for (uint32_t j = 1; j <= n; j++) dist.Prefetch(list[j]);
      for (uint32_t j = 1; j <= n; j++) {
        Pair p{dist(list[j]), list[j]};
        if (p < cur) {
          cur = p;
          changed = true;
        }
      }
    }
  }
  return cur;
}

// ef-bounded best-first search of `level` from `entry`; `results` ends as a max-heap of ≤ ef
// pairs that pass `filter` (rows failing it are expanded, never returned).
// Contract: `visited` was not advanced by the caller; `results` and `candidates` are cleared
// here; every neighbour id in the graph is < g.count (checked when the graph was opened/built).
// The unvisited neighbours' rows (and visited tags) are prefetched before any is measured.
template <typename Dist>
void SearchLayer(const GraphView& g, const Dist& dist, Pair entry, size_t ef, uint32_t level,
                 Visited& visited, const RowFilter& filter, MaxHeap& results, MinHeap& candidates,
                 std::vector<uint32_t>& batch) {
  results.clear();
  candidates.clear();
  visited.Next();
  const uint16_t epoch = visited.epoch;
  uint16_t* tags = visited.tags.data();
  tags[entry.id] = epoch;
  candidates.push(entry);
  const bool filtering = filter.Active();
  if (!filtering || filter.Ok(entry.id)) results.push(entry);
  while (candidates.size() > 0) {
    Pair c = candidates.top();
    if (results.size() >= ef && results.top() < c) break;
    candidates.pop();
    const uint32_t* list = g.List(c.id, level);
    uint32_t n = list[0];
    batch.clear();
    for (uint32_t j = 1; j <= n; j++) __builtin_prefetch(tags + list[j]);
    for (uint32_t j = 1; j <= n; j++) {
      uint32_t nb = list[j];
      if (tags[nb] == epoch) continue;
      tags[nb] = epoch;
      batch.push_back(nb);
      dist.Prefetch(nb);
    }
    for (size_t j = 0; j < batch.size(); j++) {
      uint32_t nb = batch[j];
      Pair p{dist(nb), nb};
      if (results.size() < ef || p < results.top()) {
        candidates.push(p);
        if (!filtering || filter.Ok(nb)) {
          results.push(p);
          if (results.size() > ef) results.pop();
        }
      }
    }
    if (candidates.size() > 0) __builtin_prefetch(g.List(candidates.top().id, level));
  }
}

}  // namespace hnsw
}  // namespace mnemo
