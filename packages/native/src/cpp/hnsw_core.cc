// HNSW core (see hnsw_core.h): distance kernels (scalar + AVX2/FMA chosen at first use), greedy
// descent and the layer search with batched prefetch of neighbour vectors. docs/hnsw_format.md.
#include "hnsw_core.h"

#include <immintrin.h>

namespace mnemo {
namespace hnsw {

static float DotScalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

static float L2Scalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; i++) {
    float d = a[i] - b[i];
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__) || defined(__i386__)
#define MNEMO_HNSW_X86 1
__attribute__((target("avx2,fma"))) static inline float HSum(__m256 v) {
  __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
  return _mm_cvtss_f32(lo);
}

// Mask with the first n (0..7) lanes set, for the tail of a row.
__attribute__((target("avx2,fma"))) static inline __m256i TailMask(size_t n) {
  static const int32_t kMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask + 8 - n));
}

__attribute__((target("avx2,fma"))) static float DotAvx2(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  if (i + 8 <= n) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    i += 8;
  }
  if (i < n) {
    __m256i m = TailMask(n - i);
    s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m), s1);
  }
  return HSum(_mm256_add_ps(s0, s1));
}

__attribute__((target("avx2,fma"))) static float L2Avx2(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  if (i + 8 <= n) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    i += 8;
  }
  if (i < n) {
    __m256i m = TailMask(n - i);
    __m256 d = _mm256_sub_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m));
    s1 = _mm256_fmadd_ps(d, d, s1);
  }
  return HSum(_mm256_add_ps(s0, s1));
}
#endif

const Kernels& ScalarKernels() {
  static const Kernels k{DotScalar, L2Scalar, "scalar"};
  return k;
}

const Kernels& ActiveKernels() {
#ifdef MNEMO_HNSW_X86
  static const Kernels avx{DotAvx2, L2Avx2, "avx2-fma"};
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (has) return avx;
#endif
  return ScalarKernels();
}

Pair GreedyDescent(const GraphView& g, const QueryDist& dist, Pair cur, uint32_t top, uint32_t stop) {
  for (uint32_t level = top; level > stop; level--) {
    bool changed = true;
    while (changed) {
      changed = false;
      const uint32_t* list = g.List(cur.id, level);
      uint32_t n = list[0];
      for (uint32_t j = 1; j <= n; j++) __builtin_prefetch(dist.Row(list[j]));
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

// Contract: `visited` was not advanced by the caller; `results` and `candidates` are cleared
// here; every neighbour id in the graph is < g.count (checked when the graph was opened/built).
void SearchLayer(const GraphView& g, const QueryDist& dist, Pair entry, size_t ef, uint32_t level,
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
  // prefetch whole rows (up to 1 KiB each) of the unvisited neighbours before measuring them
  const size_t prefetchBytes = std::min<size_t>(dist.dim * sizeof(float), 1024);
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
      const char* v = reinterpret_cast<const char*>(dist.Row(nb));
      for (size_t off = 0; off < prefetchBytes; off += 64) __builtin_prefetch(v + off);
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
