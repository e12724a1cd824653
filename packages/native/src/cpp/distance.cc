// f32 distance kernels: dot, squared L2, cosine for one pair; scoreBatch (one query against N
// contiguous rows) and topK (bounded heap). AVX2+FMA versions chosen at run time (never by
// compiler flags for the whole addon), a portable scalar path, MNEMO_SIMD=scalar to force it.
// Inputs are validated in TypeScript. Implements docs/native_api.md "Distances".
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "addon.h"
#include "sys_error.h"

namespace mnemo {
namespace {

struct Kernels {
  float (*dot)(const float* a, const float* b, size_t n);
  float (*l2)(const float* a, const float* b, size_t n);
  // dot of a·b and ‖b‖² in one pass (cosine against a query whose norm is known).
  void (*dotNorm)(const float* a, const float* b, size_t n, float* dot, float* nb);
  float (*sum)(const float* a, size_t n);  // memory-read baseline for the benchmark only
  // out[i] = score(q, row i) for n contiguous rows; the pair kernel is inlined into the row loop.
  void (*batch)(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm, float* out);
};

// One row loop per ISA, so each pair kernel is inlined into it (same target attribute).
#define MNEMO_DEFINE_BATCH(NAME, ATTR, DOT, L2, DOTNORM)                                          \
  ATTR void NAME(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm, \
                 float* out) {                                                                     \
    if (metric == 0) {                                                                             \
      for (size_t i = 0; i < n; i++) out[i] = DOT(q, rows + i * dim, dim);                         \
    } else if (metric == 1) {                                                                      \
      for (size_t i = 0; i < n; i++) out[i] = L2(q, rows + i * dim, dim);                          \
    } else {                                                                                       \
      for (size_t i = 0; i < n; i++) {                                                             \
        float d, nb;                                                                               \
        DOTNORM(q, rows + i * dim, dim, &d, &nb);                                                  \
        float denom = qNorm * std::sqrt(nb);                                                       \
        out[i] = denom == 0 ? 0.0f : d / denom;                                                    \
      }                                                                                            \
    }                                                                                              \
  }

// ---- scalar path: four independent accumulators, any length ----
float DotScalar(const float* a, const float* b, size_t n) {
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

float L2Scalar(const float* a, const float* b, size_t n) {
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

void DotNormScalar(const float* a, const float* b, size_t n, float* dot, float* nb) {
  float d0 = 0, d1 = 0, n0 = 0, n1 = 0;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    d0 += a[i] * b[i];
    d1 += a[i + 1] * b[i + 1];
    n0 += b[i] * b[i];
    n1 += b[i + 1] * b[i + 1];
  }
  for (; i < n; i++) {
    d0 += a[i] * b[i];
    n0 += b[i] * b[i];
  }
  *dot = d0 + d1;
  *nb = n0 + n1;
}

float SumScalar(const float* a, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; i++) s0 += a[i];
  return (s0 + s1) + (s2 + s3);
}

MNEMO_DEFINE_BATCH(BatchScalar, , DotScalar, L2Scalar, DotNormScalar)

const Kernels kScalar = {DotScalar, L2Scalar, DotNormScalar, SumScalar, BatchScalar};

#if defined(__x86_64__)
// ---- AVX2+FMA path: 4×8 lanes per step, then 8 lanes, then a scalar tail ----
#define MNEMO_AVX2 __attribute__((target("avx2,fma")))

MNEMO_AVX2 inline float Hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

// Rows are scored one at a time (pairs, leftovers) or four at a time (batch): four rows share
// each query load and keep 8 independent accumulators in registers (named variables, not arrays,
// so nothing spills). The per-row summation order is the same in both, so a row's score is
// bit-identical whether computed alone or in a batch.
template <bool kL2>
MNEMO_AVX2 inline __m256 Acc(__m256 acc, __m256 x, __m256 qv) {
  if (kL2) {
    x = _mm256_sub_ps(x, qv);
    return _mm256_fmadd_ps(x, x, acc);
  }
  return _mm256_fmadd_ps(x, qv, acc);
}

// Horizontal sum of the two accumulators, then the scalar tail [i, dim).
template <bool kL2>
MNEMO_AVX2 inline float Finish(__m256 a, __m256 b, const float* q, const float* row, size_t i, size_t dim) {
  float s = Hsum(_mm256_add_ps(a, b));
  for (; i < dim; i++) {
    float x = row[i];
    if (kL2) {
      float d = x - q[i];
      s += d * d;
    } else {
      s += x * q[i];
    }
  }
  return s;
}

template <bool kL2>
MNEMO_AVX2 inline float DotL2Row1(const float* q, const float* r0, size_t dim) {
  __m256 a0 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m256 qa = _mm256_loadu_ps(q + i), qb = _mm256_loadu_ps(q + i + 8);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    b0 = Acc<kL2>(b0, _mm256_loadu_ps(r0 + i + 8), qb);
  }
  if (i + 8 <= dim) {
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), _mm256_loadu_ps(q + i));
    i += 8;
  }
  return Finish<kL2>(a0, b0, q, r0, i, dim);
}

template <bool kL2>
MNEMO_AVX2 inline void DotL2Rows4(const float* q, const float* r0, size_t dim, float* out) {
  const float *r1 = r0 + dim, *r2 = r0 + 2 * dim, *r3 = r0 + 3 * dim;
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m256 qa = _mm256_loadu_ps(q + i), qb = _mm256_loadu_ps(q + i + 8);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    b0 = Acc<kL2>(b0, _mm256_loadu_ps(r0 + i + 8), qb);
    a1 = Acc<kL2>(a1, _mm256_loadu_ps(r1 + i), qa);
    b1 = Acc<kL2>(b1, _mm256_loadu_ps(r1 + i + 8), qb);
    a2 = Acc<kL2>(a2, _mm256_loadu_ps(r2 + i), qa);
    b2 = Acc<kL2>(b2, _mm256_loadu_ps(r2 + i + 8), qb);
    a3 = Acc<kL2>(a3, _mm256_loadu_ps(r3 + i), qa);
    b3 = Acc<kL2>(b3, _mm256_loadu_ps(r3 + i + 8), qb);
  }
  if (i + 8 <= dim) {
    const __m256 qa = _mm256_loadu_ps(q + i);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    a1 = Acc<kL2>(a1, _mm256_loadu_ps(r1 + i), qa);
    a2 = Acc<kL2>(a2, _mm256_loadu_ps(r2 + i), qa);
    a3 = Acc<kL2>(a3, _mm256_loadu_ps(r3 + i), qa);
    i += 8;
  }
  out[0] = Finish<kL2>(a0, b0, q, r0, i, dim);
  out[1] = Finish<kL2>(a1, b1, q, r1, i, dim);
  out[2] = Finish<kL2>(a2, b2, q, r2, i, dim);
  out[3] = Finish<kL2>(a3, b3, q, r3, i, dim);
}

// Cosine parts: q·row and ‖row‖², one accumulator each per row, 8 lanes per step.
MNEMO_AVX2 inline void FinishNorm(__m256 d, __m256 n, const float* q, const float* row, size_t i, size_t dim,
                                  float* dot, float* nb) {
  float sd = Hsum(d), sn = Hsum(n);
  for (; i < dim; i++) {
    float x = row[i];
    sd += x * q[i];
    sn += x * x;
  }
  *dot = sd;
  *nb = sn;
}

MNEMO_AVX2 void DotNormAvx2(const float* q, const float* r0, size_t dim, float* dot, float* nb) {
  __m256 d0 = _mm256_setzero_ps(), n0 = d0;
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 qa = _mm256_loadu_ps(q + i), x0 = _mm256_loadu_ps(r0 + i);
    d0 = _mm256_fmadd_ps(x0, qa, d0);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
  }
  FinishNorm(d0, n0, q, r0, i, dim, dot, nb);
}

MNEMO_AVX2 inline void DotNormRows4(const float* q, const float* r0, size_t dim, float* dot, float* nb) {
  const float *r1 = r0 + dim, *r2 = r0 + 2 * dim, *r3 = r0 + 3 * dim;
  __m256 d0 = _mm256_setzero_ps(), d1 = d0, d2 = d0, d3 = d0, n0 = d0, n1 = d0, n2 = d0, n3 = d0;
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 qa = _mm256_loadu_ps(q + i);
    const __m256 x0 = _mm256_loadu_ps(r0 + i), x1 = _mm256_loadu_ps(r1 + i);
    const __m256 x2 = _mm256_loadu_ps(r2 + i), x3 = _mm256_loadu_ps(r3 + i);
    d0 = _mm256_fmadd_ps(x0, qa, d0);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
    d1 = _mm256_fmadd_ps(x1, qa, d1);
    n1 = _mm256_fmadd_ps(x1, x1, n1);
    d2 = _mm256_fmadd_ps(x2, qa, d2);
    n2 = _mm256_fmadd_ps(x2, x2, n2);
    d3 = _mm256_fmadd_ps(x3, qa, d3);
    n3 = _mm256_fmadd_ps(x3, x3, n3);
  }
  FinishNorm(d0, n0, q, r0, i, dim, dot, nb);
  FinishNorm(d1, n1, q, r1, i, dim, dot + 1, nb + 1);
  FinishNorm(d2, n2, q, r2, i, dim, dot + 2, nb + 2);
  FinishNorm(d3, n3, q, r3, i, dim, dot + 3, nb + 3);
}

MNEMO_AVX2 float DotAvx2(const float* a, const float* b, size_t n) { return DotL2Row1<false>(a, b, n); }

MNEMO_AVX2 float L2Avx2(const float* a, const float* b, size_t n) { return DotL2Row1<true>(a, b, n); }

MNEMO_AVX2 float SumAvx2(const float* a, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(_mm256_loadu_ps(a + i), s0);
    s1 = _mm256_add_ps(_mm256_loadu_ps(a + i + 8), s1);
    s2 = _mm256_add_ps(_mm256_loadu_ps(a + i + 16), s2);
    s3 = _mm256_add_ps(_mm256_loadu_ps(a + i + 24), s3);
  }
  float s = Hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; i++) s += a[i];
  return s;
}

// Batch: four rows per step, then the remaining rows one at a time (same per-row arithmetic).
MNEMO_AVX2 void BatchAvx2(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm,
                          float* out) {
  size_t i = 0;
  if (metric == 2) {
    float d[4], nb[4];
    while (i < n) {
      size_t m = n - i >= 4 ? 4 : 1;
      if (m == 4) DotNormRows4(q, rows + i * dim, dim, d, nb);
      else DotNormAvx2(q, rows + i * dim, dim, d, nb);
      for (size_t r = 0; r < m; r++) {
        float denom = qNorm * std::sqrt(nb[r]);
        out[i + r] = denom == 0 ? 0.0f : d[r] / denom;
      }
      i += m;
    }
  } else if (metric == 1) {
    for (; i + 4 <= n; i += 4) DotL2Rows4<true>(q, rows + i * dim, dim, out + i);
    for (; i < n; i++) out[i] = DotL2Row1<true>(q, rows + i * dim, dim);
  } else {
    for (; i + 4 <= n; i += 4) DotL2Rows4<false>(q, rows + i * dim, dim, out + i);
    for (; i < n; i++) out[i] = DotL2Row1<false>(q, rows + i * dim, dim);
  }
}

const Kernels kAvx2 = {DotAvx2, L2Avx2, DotNormAvx2, SumAvx2, BatchAvx2};

bool HaveAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
const Kernels kAvx2 = kScalar;
bool HaveAvx2() { return false; }
#endif

// ---- N-API glue (arguments already validated by TypeScript) ----

template <typename T>
T* View(napi_env env, napi_value v, size_t* len) {
  napi_typedarray_type type;
  void* data = nullptr;
  *len = 0;
  if (napi_get_typedarray_info(env, v, &type, len, &data, nullptr, nullptr) != napi_ok) return nullptr;
  return static_cast<T*>(data);  // already advanced by the view's byteOffset
}

float Cosine(const Kernels& k, const float* a, const float* b, size_t n, float qNorm) {
  float d, nb;
  k.dotNorm(a, b, n, &d, &nb);
  float denom = qNorm * std::sqrt(nb);
  return denom == 0 ? 0.0f : d / denom;
}

float Score(const Kernels& k, int metric, const float* q, const float* r, size_t dim, float qNorm) {
  if (metric == 0) return k.dot(q, r, dim);
  if (metric == 1) return k.l2(q, r, dim);
  return Cosine(k, q, r, dim, qNorm);
}

// Pair kernels: fn(a, b) → number. metric in info.Data() via the Kernels/metric pair.
struct Bound {
  const Kernels* k;
  int metric;
};

// Raw N-API callback (no node-addon-api wrapper): this is called once per pair, so the call
// overhead matters more than for the batched kernels.
napi_value Pair(napi_env env, napi_callback_info cb) {
  size_t argc = 2;
  napi_value argv[2];
  void* data = nullptr;
  if (napi_get_cb_info(env, cb, &argc, argv, nullptr, &data) != napi_ok || argc < 2) return nullptr;
  const Bound* bd = static_cast<const Bound*>(data);
  size_t na, nb;
  const float* a = View<const float>(env, argv[0], &na);
  const float* b = View<const float>(env, argv[1], &nb);
  size_t n = std::min(na, nb);
  double r;
  if (bd->metric == 2) {
    float qq = bd->k->dot(a, a, n);
    r = Cosine(*bd->k, a, b, n, std::sqrt(qq));
  } else {
    r = Score(*bd->k, bd->metric, a, b, n, 0);
  }
  napi_value out = nullptr;
  napi_create_double(env, r, &out);
  return out;
}

// scoreBatch(metricId, query, rows, out): out[i] = score(query, row i).
Napi::Value ScoreBatch(const Napi::CallbackInfo& info) {
  const Kernels& k = *static_cast<const Kernels*>(info.Data());
  int metric = info[0].As<Napi::Number>().Int32Value();
  size_t dim, nr, no;
  const float* q = View<const float>(info.Env(), info[1], &dim);
  const float* rows = View<const float>(info.Env(), info[2], &nr);
  float* out = View<float>(info.Env(), info[3], &no);
  if (dim == 0) return info.Env().Undefined();
  size_t n = std::min(nr / dim, no);
  float qNorm = metric == 2 ? std::sqrt(k.dot(q, q, dim)) : 0;
  k.batch(metric, q, rows, n, dim, qNorm, out);
  return info.Env().Undefined();
}

struct Entry {
  float s;
  uint32_t i;
};

// True when a ranks before b: higher (dot/cosine) or lower (l2) score, NaN last, ties by index.
inline bool Better(bool higher, const Entry& a, const Entry& b) {
  if (std::isnan(a.s)) return std::isnan(b.s) && a.i < b.i;
  if (std::isnan(b.s)) return true;
  if (a.s != b.s) return higher ? a.s > b.s : a.s < b.s;
  return a.i < b.i;
}

// topK(metricId, query, rows, outIdx, outScores): the k = outIdx.length best rows, best first.
// A heap of k entries with the worst kept entry at the root: O(N log k), no sort of all N.
Napi::Value TopK(const Napi::CallbackInfo& info) {
  const Kernels& k = *static_cast<const Kernels*>(info.Data());
  int metric = info[0].As<Napi::Number>().Int32Value();
  size_t dim, nr, kk, ks;
  const float* q = View<const float>(info.Env(), info[1], &dim);
  const float* rows = View<const float>(info.Env(), info[2], &nr);
  uint32_t* outIdx = View<uint32_t>(info.Env(), info[3], &kk);
  float* outScores = View<float>(info.Env(), info[4], &ks);
  kk = std::min(kk, ks);
  if (dim == 0 || kk == 0) return info.Env().Undefined();
  const bool higher = metric != 1;
  auto worseFirst = [higher](const Entry& a, const Entry& b) { return Better(higher, a, b); };
  float qNorm = metric == 2 ? std::sqrt(k.dot(q, q, dim)) : 0;
  size_t n = nr / dim;
  std::vector<Entry> heap;
  heap.reserve(kk);
  constexpr size_t kBlock = 256;  // score a block of rows with the batch kernel, then feed the heap
  float scores[kBlock];
  for (size_t r0 = 0; r0 < n; r0 += kBlock) {
    size_t m = std::min(kBlock, n - r0);
    k.batch(metric, q, rows + r0 * dim, m, dim, qNorm, scores);
    for (size_t j = 0; j < m; j++) {
      Entry e{scores[j], static_cast<uint32_t>(r0 + j)};
      if (heap.size() < kk) {
        heap.push_back(e);
        std::push_heap(heap.begin(), heap.end(), worseFirst);
      } else if (Better(higher, e, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), worseFirst);
        heap.back() = e;
        std::push_heap(heap.begin(), heap.end(), worseFirst);
      }
    }
  }
  std::sort(heap.begin(), heap.end(), worseFirst);  // k log k: best first
  for (size_t j = 0; j < heap.size() && j < kk; j++) {
    outIdx[j] = heap[j].i;
    outScores[j] = heap[j].s;
  }
  return info.Env().Undefined();
}

Napi::Value SumF32(const Napi::CallbackInfo& info) {
  const Kernels& k = *static_cast<const Kernels*>(info.Data());
  size_t n;
  const float* a = View<const float>(info.Env(), info[0], &n);
  return Napi::Number::New(info.Env(), n == 0 ? 0.0 : k.sum(a, n));
}

void AddKernels(Napi::Env env, Napi::Object target, const Kernels* k) {
  static Bound bound[2][3];
  Bound* b = bound[k == &kScalar ? 0 : 1];
  const char* names[3] = {"dot", "l2sq", "cosine"};
  for (int m = 0; m < 3; m++) {
    b[m] = Bound{k, m};
    napi_value fn;
    if (napi_create_function(env, names[m], NAPI_AUTO_LENGTH, Pair, &b[m], &fn) != napi_ok) return;
    (void)target.Set(names[m], Napi::Value(env, fn));
  }
  void* data = const_cast<Kernels*>(k);
  (void)target.Set("scoreBatch", Napi::Function::New(env, ScoreBatch, "scoreBatch", data));
  (void)target.Set("topK", Napi::Function::New(env, TopK, "topK", data));
}

}  // namespace

void InitDistance(Napi::Env env, Napi::Object exports) {
  const char* force = std::getenv("MNEMO_SIMD");
  const bool avx2 = HaveAvx2() && !(force != nullptr && std::strcmp(force, "scalar") == 0);
  const Kernels* best = avx2 ? &kAvx2 : &kScalar;
  AddKernels(env, exports, best);
  Napi::Object scalar = Napi::Object::New(env);
  AddKernels(env, scalar, &kScalar);
  (void)exports.Set("scalar", scalar);
  const char* level = avx2 ? "avx2-fma" : "scalar";
  (void)exports.Set("simdLevel", Napi::Function::New(env, [level](const Napi::CallbackInfo& i) -> Napi::Value {
                      return Napi::String::New(i.Env(), level);
                    }, "simdLevel"));
  // Benchmark only: AVX2 when the CPU has it (regardless of MNEMO_SIMD), the plain read rate.
  void* sum = const_cast<Kernels*>(HaveAvx2() ? &kAvx2 : &kScalar);
  (void)exports.Set("benchSumF32", Napi::Function::New(env, SumF32, "benchSumF32", sum));
}

}  // namespace mnemo
