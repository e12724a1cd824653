// N-API surface of the HNSW kernels (docs/hnsw_format.md): `hnswBuild` (graph arrays from a
// Float32Array) and the `HnswHandle` class, a search handle over a checked graph file image and a
// vectors view. The handle holds references to both ArrayBuffers and re-checks them on every
// call: a detached buffer (its mapping released) throws RELEASED instead of reading freed memory.
#include <napi.h>

#include <cmath>
#include <cstring>
#include <string>

#include "addon.h"
#include "hnsw_build.h"
#include "hnsw_core.h"
#include "hnsw_quant.h"

namespace mnemo {
namespace {

using hnsw::Pair;

Napi::Value Fail(Napi::Env env, const std::string& code, const std::string& msg) {
  Napi::Error::New(env, code + ": " + msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

template <typename T>
Napi::TypedArrayOf<T> CopyOut(Napi::Env env, const std::vector<T>& v) {
  auto a = Napi::TypedArrayOf<T>::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(T));
  return a;
}

bool IsUint(const Napi::Value& v, uint32_t lo, uint32_t hi, uint32_t* out) {
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= lo && d <= hi) || std::floor(d) != d) return false;
  *out = static_cast<uint32_t>(d);
  return true;
}

// hnswBuild(vectors: Float32Array, dim, metricCode, M, efConstruction, seed)
Napi::Value HnswBuild(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    return Fail(env, "INVALID_ARGUMENT", "hnswBuild(vectors: Float32Array, dim, metric, M, efConstruction, seed)");
  }
  auto vec = info[0].As<Napi::Float32Array>();
  hnsw::BuildParams p{};
  if (!IsUint(info[1], 1, 4096, &p.dim) || !IsUint(info[2], 0, 2, &p.metric) || !IsUint(info[3], 2, 256, &p.M) ||
      !IsUint(info[4], 1, 100000, &p.efConstruction) || !IsUint(info[5], 0, 0xffffffffu, &p.seed)) {
    return Fail(env, "INVALID_ARGUMENT", "hnswBuild: dim 1..4096, metric 0..2, M 2..256, efConstruction 1..100000, seed u32");
  }
  if (vec.ElementLength() % p.dim != 0 || vec.ElementLength() / p.dim >= 0xffffffffu) {
    return Fail(env, "DIMENSION_MISMATCH", "hnswBuild: vector count is not rows × dim");
  }
  p.count = static_cast<uint32_t>(vec.ElementLength() / p.dim);
  p.vectors = vec.Data();
  hnsw::BuiltGraph g;
  hnsw::Build(p, g);
  Napi::Object out = Napi::Object::New(env);
  out.Set("layer0", CopyOut(env, g.layer0));
  out.Set("levels", CopyOut(env, g.levels));
  out.Set("upperOffsets", CopyOut(env, g.upperOffsets));
  out.Set("upperLinks", CopyOut(env, g.upperLinks));
  out.Set("maxLevel", Napi::Number::New(env, g.maxLevel));
  out.Set("entryPoint", Napi::Number::New(env, g.entry));
  return out;
}

// Little-endian reads from the header (the file was written little-endian; x86/ARM hosts are LE).
uint32_t U32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
uint64_t U64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }

struct Section {
  uint64_t offset, length;
};

constexpr int kSections = 6;

// Header fields and section pointers of a file image; Parse() checks every bound it relies on
// and the structural rules of docs/hnsw_format.md. Returns an error message or "".
struct Parsed {
  uint32_t dim = 0, metric = 0;
  hnsw::GraphView g;
  Section sec[kSections]{};
  const float* qOffset = nullptr;  // section 5: dim f32 offsets, dim f32 scales, then the codes
  const float* qScale = nullptr;
  const uint8_t* qCodes = nullptr;
  std::string Parse(const uint8_t* b, size_t len);
  std::string ParseQuant(const uint8_t* b);
  std::string CheckList(const uint32_t* list, uint32_t max, uint32_t row, uint32_t minLevel) const;
};

std::string Parsed::Parse(const uint8_t* b, size_t len) {
  if (len < 256 || std::memcmp(b, "MNEMOHNS", 8) != 0 || U32(b + 8) != 2) return "bad header";
  if ((reinterpret_cast<uintptr_t>(b) & 3) != 0) return "file image is not 4-byte aligned";
  dim = U32(b + 16), metric = U32(b + 20);
  g.M = U32(b + 24), g.maxM0 = U32(b + 28), g.count = U32(b + 32), g.maxLevel = U32(b + 36), g.entry = U32(b + 40);
  if (dim < 1 || dim > 4096 || metric > 2 || g.M < 2 || g.M > 256 || g.maxM0 != 2 * g.M || g.maxLevel > 31) return "bad header fields";
  if (g.count >= 0xffffffffu || (g.count > 0 && g.entry >= g.count)) return "bad entry point";
  const uint64_t n = g.count;
  for (int i = 0; i < kSections; i++) {
    sec[i] = Section{U64(b + 96 + i * 24), U64(b + 96 + i * 24 + 8)};
    if (sec[i].offset % 64 != 0 || sec[i].offset > len || sec[i].length > len - sec[i].offset) return "section outside the file";
  }
  if (sec[0].length != n * (1 + g.maxM0) * 4 || sec[1].length != n || sec[2].length != (n + 1) * 4 ||
      sec[3].length % 4 != 0 || sec[4].length != (metric == hnsw::kCosine ? n * 4 : 0)) {
    return "section lengths do not match the header";
  }
  std::string qe = ParseQuant(b);
  if (!qe.empty()) return qe;
  g.layer0 = reinterpret_cast<const uint32_t*>(b + sec[0].offset);
  g.levels = b + sec[1].offset;
  g.upperOffsets = reinterpret_cast<const uint32_t*>(b + sec[2].offset);
  g.upperLinks = reinterpret_cast<const uint32_t*>(b + sec[3].offset);
  const uint64_t words = sec[3].length / 4;
  uint32_t top = 0;
  for (uint32_t i = 0; i < g.count; i++) {
    uint32_t lv = g.levels[i];
    if (lv > g.maxLevel) return "a row's level exceeds maxLevel";
    top = lv > top ? lv : top;
    uint64_t off = g.upperOffsets[i];
    if (static_cast<uint64_t>(g.upperOffsets[i + 1]) != off + static_cast<uint64_t>(lv) * (1 + g.M) || g.upperOffsets[i + 1] > words) {
      return "upper offsets are inconsistent";
    }
    std::string e = CheckList(g.List(i, 0), g.maxM0, i, 0);
    for (uint32_t l = 1; e.empty() && l <= lv; l++) e = CheckList(g.List(i, l), g.M, i, l);
    if (!e.empty()) return e;
  }
  if (g.count > 0 && (g.upperOffsets[0] != 0 || g.upperOffsets[g.count] != words)) return "upper offsets do not cover the links";
  if (g.count > 0 && (top != g.maxLevel || g.levels[g.entry] != g.maxLevel)) return "entry point is not on the top layer";
  return "";
}

// Section 5 (quantized vectors): exact length, finite offsets, finite non-negative scales.
std::string Parsed::ParseQuant(const uint8_t* b) {
  const uint64_t params = (static_cast<uint64_t>(dim) * 8 + 63) / 64 * 64;
  if (sec[5].length != params + static_cast<uint64_t>(g.count) * hnsw::QuantStride(dim)) return "quantized section length does not match the header";
  qOffset = reinterpret_cast<const float*>(b + sec[5].offset);
  qScale = qOffset + dim;
  qCodes = b + sec[5].offset + params;
  for (uint32_t i = 0; i < dim; i++) {
    if (!std::isfinite(qOffset[i]) || !std::isfinite(qScale[i]) || qScale[i] < 0) return "quantization parameters are not finite";
  }
  return "";
}

std::string Parsed::CheckList(const uint32_t* list, uint32_t max, uint32_t row, uint32_t minLevel) const {
  uint32_t n = list[0];
  if (n > max) return "row " + std::to_string(row) + " has too many neighbours";
  // branch-free pass first (vectorises; the common case), the messages only on a failure
  uint32_t bad = 0;
  for (uint32_t j = 1; j <= n; j++) bad |= static_cast<uint32_t>(list[j] >= g.count) | static_cast<uint32_t>(list[j] == row);
  if (bad) return "row " + std::to_string(row) + " has an invalid neighbour";
  if (minLevel > 0) {
    for (uint32_t j = 1; j <= n; j++) {
      if (g.levels[list[j]] < minLevel) return "row " + std::to_string(row) + " links to a row missing from its layer";
    }
  }
  return "";
}

class HnswHandle : public Napi::ObjectWrap<HnswHandle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "HnswHandle", {InstanceMethod("search", &HnswHandle::Search), InstanceMethod("close", &HnswHandle::Close)});
  }

  // new HnswHandle(file: Uint8Array, vectors: Float32Array)
  explicit HnswHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HnswHandle>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
        info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Fail(env, "INVALID_ARGUMENT", "new HnswHandle(file: Uint8Array, vectors: Float32Array)");
      return;
    }
    auto file = info[0].As<Napi::Uint8Array>();
    auto vec = info[1].As<Napi::Float32Array>();
    std::string err = parsed_.Parse(file.Data(), file.ByteLength());
    if (!err.empty()) {
      Fail(env, "CORRUPTION", "HNSW graph file: " + err);
      return;
    }
    if (vec.ElementLength() != static_cast<size_t>(parsed_.g.count) * parsed_.dim) {
      Fail(env, "DIMENSION_MISMATCH", "vectors do not hold count × dim values for this graph");
      return;
    }
    fileRef_ = Napi::Persistent(file.ArrayBuffer());
    vecRef_ = Napi::Persistent(vec.ArrayBuffer());
    fileOff_ = file.ByteOffset(), fileLen_ = file.ByteLength();
    vecOff_ = vec.ByteOffset(), vecLen_ = vec.ByteLength();
    visited_.Resize(parsed_.g.count);
    open_ = true;
  }

 private:
  Parsed parsed_;
  Napi::Reference<Napi::ArrayBuffer> fileRef_, vecRef_;
  size_t fileOff_ = 0, fileLen_ = 0, vecOff_ = 0, vecLen_ = 0;
  bool open_ = false;
  hnsw::Visited visited_;
  hnsw::MaxHeap results_;
  hnsw::MinHeap candidates_;
  std::vector<uint32_t> batch_;
  std::vector<float> query_, quantScratch_;

  // Brute-force top-k of the rows passing `filter` into results_.
  void ExactScan(uint32_t count, const hnsw::QueryDist& dist, const hnsw::RowFilter& filter, uint32_t k) {
    for (uint32_t r = 0; r < count; r++) {
      if (filter.Active() && !filter.Ok(r)) continue;
      Pair p{dist(r), r};
      if (results_.size() < k) results_.push(p);
      else if (p < results_.top()) { results_.pop(); results_.push(p); }
    }
  }

  // Replace the walk's approximate distances of results_ by exact f32 ones (rows prefetched 4 ahead).
  void Rerank(const hnsw::QueryDist& dist) {
    std::vector<Pair>& v = results_.v;
    for (size_t i = 0; i < v.size() && i < 4; i++) dist.Prefetch(v[i].id);
    for (size_t i = 0; i < v.size(); i++) {
      if (i + 4 < v.size()) dist.Prefetch(v[i + 4].id);
      v[i].d = dist(v[i].id);
    }
  }

  // Current base pointers of both buffers; false when either was detached or shrank.
  bool Bases(const uint8_t** file, const float** vec) {
    Napi::ArrayBuffer fa = fileRef_.Value(), va = vecRef_.Value();
    if (fa.IsDetached() || va.IsDetached() || fa.ByteLength() < fileOff_ + fileLen_ || va.ByteLength() < vecOff_ + vecLen_) return false;
    *file = static_cast<const uint8_t*>(fa.Data()) + fileOff_;
    *vec = reinterpret_cast<const float*>(static_cast<const uint8_t*>(va.Data()) + vecOff_);
    return true;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (open_) {
      fileRef_.Reset();
      vecRef_.Reset();
      open_ = false;
    }
    return info.Env().Undefined();
  }

  Napi::Value Search(const Napi::CallbackInfo& info);
  hnsw::QueryDist ExactDist(const Napi::Float32Array& q, const float* vectors, const float* inv);
  Napi::Value Output(Napi::Env env, uint32_t k);

  // Greedy descent, then the ef-bounded layer-0 search into results_ (distances from `d`).
  template <typename Dist>
  void Walk(const hnsw::GraphView& g, const Dist& d, size_t ef, const hnsw::RowFilter& filter) {
    Pair ep = hnsw::GreedyDescent(g, d, Pair{d(g.entry), g.entry}, g.maxLevel, 0);
    hnsw::SearchLayer(g, d, ep, ef, 0, visited_, filter, results_, candidates_, batch_);
  }
  const uint8_t* Bitmap(const Napi::Value& v, bool* bad) const;
};

// Optional bitmap argument (null/undefined → nullptr); `bad` when not a long enough Uint8Array.
const uint8_t* HnswHandle::Bitmap(const Napi::Value& v, bool* bad) const {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
      v.As<Napi::Uint8Array>().ElementLength() < (static_cast<size_t>(parsed_.g.count) + 7) / 8) {
    *bad = true;
    return nullptr;
  }
  return v.As<Napi::Uint8Array>().Data();
}

// search(query: Float32Array, k, ef, filter: Uint8Array|null, exclude: Uint8Array|null, exact)
// → { rows: Uint32Array, distances: Float32Array }, best first, ties by row.
Napi::Value HnswHandle::Search(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* file;
  const float* vectors;
  if (!open_) return Fail(env, "RELEASED", "this HNSW index was closed");
  if (!Bases(&file, &vectors)) return Fail(env, "RELEASED", "the graph or vectors mapping was released; reopen the index");
  if (info.Length() < 6 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
      info[0].As<Napi::Float32Array>().ElementLength() != parsed_.dim) {
    return Fail(env, "DIMENSION_MISMATCH", "query must be a Float32Array of the index's dim");
  }
  uint32_t k, ef;
  if (!IsUint(info[1], 0, 0xffffffffu, &k) || !IsUint(info[2], 1, 0xffffffffu, &ef)) return Fail(env, "INVALID_ARGUMENT", "k ≥ 0 and ef ≥ 1 must be integers");
  bool bad = false;
  hnsw::RowFilter filter{Bitmap(info[3], &bad), Bitmap(info[4], &bad)};
  if (bad) return Fail(env, "INVALID_ARGUMENT", "filter/exclude must be Uint8Array bitmaps of ⌈count/8⌉ bytes");
  const bool exact = info[5].IsBoolean() && info[5].As<Napi::Boolean>().Value();
  // 7th argument (benchmarks): false walks the graph with f32 distances instead of the u8 codes
  const bool quantized = info.Length() < 7 || !info[6].IsBoolean() || info[6].As<Napi::Boolean>().Value();

  // Re-derive the section pointers from the current base (parsed_ checked them against this image).
  hnsw::GraphView g = parsed_.g;
  g.layer0 = reinterpret_cast<const uint32_t*>(file + parsed_.sec[0].offset);
  g.levels = file + parsed_.sec[1].offset;
  g.upperOffsets = reinterpret_cast<const uint32_t*>(file + parsed_.sec[2].offset);
  g.upperLinks = reinterpret_cast<const uint32_t*>(file + parsed_.sec[3].offset);
  hnsw::QueryDist dist = ExactDist(info[0].As<Napi::Float32Array>(), vectors, reinterpret_cast<const float*>(file + parsed_.sec[4].offset));

  results_.clear();
  if (g.count > 0 && k > 0) {
    const size_t walkEf = ef < k ? k : ef;
    if (exact || walkEf >= g.count) {
      ExactScan(g.count, dist, filter, k);
    } else if (quantized) {
      hnsw::QuantDist qd;
      const uint8_t* qsec = file + parsed_.sec[5].offset;
      const float* qOffset = reinterpret_cast<const float*>(qsec);
      const size_t params = (static_cast<size_t>(parsed_.dim) * 8 + 63) / 64 * 64;
      hnsw::PrepareQuant(qd, query_.data(), parsed_.dim, parsed_.metric, qOffset, qOffset + parsed_.dim, qsec + params,
                         hnsw::ActiveQuantKernels(), quantScratch_);
      Walk(g, qd, walkEf, filter);
      Rerank(dist);
    } else {
      Walk(g, dist, walkEf, filter);
    }
  }
  return Output(env, k);
}

// The exact f32 distance from the query (copied into query_; normalised for cosine).
hnsw::QueryDist HnswHandle::ExactDist(const Napi::Float32Array& q, const float* vectors, const float* inv) {
  query_.assign(q.Data(), q.Data() + parsed_.dim);
  const hnsw::Kernels& kern = hnsw::ActiveKernels();
  hnsw::QueryDist dist{query_.data(), vectors, parsed_.dim, kern.dot, hnsw::kModeNegDot, inv};
  if (parsed_.metric == hnsw::kL2) {
    dist.fn = kern.l2, dist.mode = hnsw::kModeL2;
  } else if (parsed_.metric == hnsw::kCosine) {
    double s = 0;
    for (float x : query_) s += static_cast<double>(x) * x;
    float invq = s > 0 ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
    for (float& x : query_) x *= invq;
    dist.mode = hnsw::kModeCosInv;
  }
  return dist;
}

// { rows, distances } of the best k of results_, best first, ties by row.
Napi::Value HnswHandle::Output(Napi::Env env, uint32_t k) {
  std::sort(results_.v.begin(), results_.v.end());
  size_t n = results_.size() < k ? results_.size() : k;
  auto rows = Napi::Uint32Array::New(env, n);
  auto dists = Napi::Float32Array::New(env, n);
  for (size_t i = 0; i < n; i++) rows[i] = results_.v[i].id, dists[i] = results_.v[i].d;
  Napi::Object out = Napi::Object::New(env);
  out.Set("rows", rows);
  out.Set("distances", dists);
  return out;
}

// hnswQuantKernels(a: Float32Array, b: Float32Array, x: Uint8Array) → Float64Array
// [ip, l2] of the active kernels then [ip, l2] of the scalar ones (kernel parity tests).
Napi::Value HnswQuantKernels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto isType = [&](size_t i, napi_typedarray_type t) { return info.Length() > i && info[i].IsTypedArray() && info[i].As<Napi::TypedArray>().TypedArrayType() == t; };
  if (!isType(0, napi_float32_array) || !isType(1, napi_float32_array) || !isType(2, napi_uint8_array)) {
    return Fail(env, "INVALID_ARGUMENT", "hnswQuantKernels(a: Float32Array, b: Float32Array, x: Uint8Array)");
  }
  auto a = info[0].As<Napi::Float32Array>(), b = info[1].As<Napi::Float32Array>();
  auto x = info[2].As<Napi::Uint8Array>();
  size_t n = x.ElementLength();
  if (n % 16 != 0 || a.ElementLength() != n || b.ElementLength() != n) return Fail(env, "INVALID_ARGUMENT", "hnswQuantKernels: equal lengths, a multiple of 16");
  auto out = Napi::Float64Array::New(env, 4);
  const hnsw::QuantKernels* ks[2] = {&hnsw::ActiveQuantKernels(), &hnsw::ScalarQuantKernels()};
  for (int i = 0; i < 2; i++) {
    out[2 * i] = ks[i]->ip(a.Data(), x.Data(), n);
    out[2 * i + 1] = ks[i]->l2(a.Data(), b.Data(), x.Data(), n);
  }
  return out;
}

}  // namespace

void InitHnsw(Napi::Env env, Napi::Object exports) {
  exports.Set("hnswBuild", Napi::Function::New(env, HnswBuild, "hnswBuild"));
  exports.Set("HnswHandle", HnswHandle::Define(env));
  exports.Set("hnswQuantKernels", Napi::Function::New(env, HnswQuantKernels, "hnswQuantKernels"));
  exports.Set("hnswSimdLevel", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::String::New(info.Env(), hnsw::ActiveKernels().level);
  }, "hnswSimdLevel"));
}

}  // namespace mnemo
