// N-API glue of the f32 distance kernels: pair functions, scoreBatch, topK (bounded heap) and the
// benchmark-only read baseline. Kernels come from distance_scalar.cc / distance_avx2.cc, chosen at
// load: AVX2+FMA when the CPU has it unless MNEMO_SIMD=scalar. Inputs are validated in TypeScript.
// Implements docs/native_api.md "Distances".
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "addon.h"
#include "distance_kernels.h"
#include "sys_error.h"

namespace mnemo {
namespace {


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
  Bound* b = bound[k == &kScalarKernels ? 0 : 1];
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
  const Kernels* avx2k = Avx2Kernels();
  const bool avx2 = avx2k != nullptr && !(force != nullptr && std::strcmp(force, "scalar") == 0);
  const Kernels* best = avx2 ? avx2k : &kScalarKernels;
  AddKernels(env, exports, best);
  Napi::Object scalar = Napi::Object::New(env);
  AddKernels(env, scalar, &kScalarKernels);
  (void)exports.Set("scalar", scalar);
  const char* level = avx2 ? "avx2-fma" : "scalar";
  (void)exports.Set("simdLevel", Napi::Function::New(env, [level](const Napi::CallbackInfo& i) -> Napi::Value {
                      return Napi::String::New(i.Env(), level);
                    }, "simdLevel"));
  // Benchmark only: AVX2 when the CPU has it (regardless of MNEMO_SIMD), the plain read rate.
  void* sum = const_cast<Kernels*>(avx2k != nullptr ? avx2k : &kScalarKernels);
  (void)exports.Set("benchSumF32", Napi::Function::New(env, SumF32, "benchSumF32", sum));
}

}  // namespace mnemo
