// N-API surface of the SPREAD kernel (spread_kernel.h; docs/graph.md §5): the `SpreadHandle`
// class over one CSR graph, checked once at construction and copied into its own (transparent
// huge page) memory with target and weight side by side (and the tie ranks), an optional overlay
// of extra adjacency (copied too). A query crosses N-API once with one argument: parameters,
// sources and results travel through the handle's IO block, an ArrayBuffer over memory the handle
// and the buffer own together (a cold call pays for few V8 objects). The created times are held
// by reference and re-checked when AS OF needs them: a detached buffer throws RELEASED.
#include <napi.h>

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "spread_kernel.h"

namespace mnemo {
namespace {

// Error paths are out of line and cold, so that a query's code stays compact (it is fetched cold).
__attribute__((noinline, cold)) Napi::Value Throw(Napi::Env env, const char* code, const std::string& msg) {
  Napi::Error::New(env, std::string(code) + ": " + msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

__attribute__((noinline, cold)) Napi::Value Throw(Napi::Env env, const char* code, const char* msg) {
  return Throw(env, code, std::string(msg));
}

template <typename T>
bool IsArray(const Napi::Value& v, napi_typedarray_type type) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == type;
}

// A typed array kept alive by reference; Get() re-derives the pointer (null when detached).
template <typename T>
class Held {
 public:
  void Hold(const Napi::TypedArrayOf<T>& a) {
    ref_ = Napi::Persistent(a.ArrayBuffer());
    off_ = a.ByteOffset();
    len_ = a.ElementLength();
  }
  void Reset() { ref_.Reset(); len_ = 0; }
  bool Empty() const { return ref_.IsEmpty(); }
  size_t Length() const { return len_; }
  const T* Get() const {
    if (ref_.IsEmpty()) return nullptr;
    Napi::ArrayBuffer ab = ref_.Value();
    if (ab.ByteLength() < off_ + len_ * sizeof(T) || (len_ > 0 && ab.Data() == nullptr)) return nullptr;
    return reinterpret_cast<const T*>(static_cast<const uint8_t*>(ab.Data()) + off_);
  }

 private:
  Napi::Reference<Napi::ArrayBuffer> ref_;
  size_t off_ = 0, len_ = 0;
};

// Anonymous memory advised for transparent huge pages: the graph is read at random, and 4 KiB
// pages would cost a TLB miss (a page walk) on most edge reads of a graph of millions of edges.
class HugeBuffer {
 public:
  HugeBuffer() = default;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;
  ~HugeBuffer() {
    if (p_ != nullptr) munmap(p_, len_);
  }
  bool Allocate(size_t bytes) {
    constexpr size_t kHuge = 2u << 20;
    len_ = std::max<size_t>(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
    void* p = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
#ifdef MADV_HUGEPAGE
    madvise(p, len_, MADV_HUGEPAGE);  // advisory: without THP the buffer still works
#endif
    p_ = p;
    return true;
  }
  void* Data() const { return p_; }
  size_t Size() const { return len_; }

 private:
  void* p_ = nullptr;
  size_t len_ = 0;
};

// The IO block: f64 header[16] (meta out 0..7, params in 8..15), f64 dbls[dbls], i32 ints[ints].
// Owned jointly by the handle and the ArrayBuffer over it (freed when both let go), so neither a
// collected buffer nor a collected handle leaves the other with freed memory.
struct IoBlock {
  static constexpr size_t kHeader = 16;
  std::vector<double> mem;
  size_t ints = 0, dbls = 0;
  IoBlock(size_t i, size_t d) : mem(kHeader + d + (i + 1) / 2, 0.0), ints(i), dbls(d) {}
  double* Header() { return mem.data(); }
  double* Dbls() { return mem.data() + kHeader; }
  int32_t* Ints() { return reinterpret_cast<int32_t*>(mem.data() + kHeader + dbls); }
};

// Checks a CSR (monotone offsets within the edge arrays, targets < nodeLimit); returns "" or why not.
std::string CheckCsr(const uint32_t* off, size_t offLen, const int32_t* target, size_t tLen, size_t wLen, size_t cLen, double nodeLimit, uint32_t* maxDeg) {
  if (offLen < 1 || off[0] != 0) return "offsets must start with 0";
  for (size_t i = 1; i < offLen; i++) {
    if (off[i] < off[i - 1]) return "offsets must not decrease";
    *maxDeg = std::max(*maxDeg, off[i] - off[i - 1]);
  }
  const size_t edges = off[offLen - 1];
  if (edges > tLen || edges > wLen || edges > cLen) return "offsets point past the edge arrays";
  for (size_t e = 0; e < edges; e++) {
    if (target[e] < 0 || target[e] >= nodeLimit) return "edge target out of range";
  }
  return "";
}

bool CallTick(void* ctx, double visits) {
  auto* fn = static_cast<Napi::Function*>(ctx);
  Napi::Env env = fn->Env();
  return !fn->Call({Napi::Number::New(env, visits)}).IsNothing() && !env.IsExceptionPending();
}

class SpreadHandle : public Napi::ObjectWrap<SpreadHandle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "SpreadHandle", {InstanceMethod("setOverlay", &SpreadHandle::SetOverlay), InstanceMethod("setFan", &SpreadHandle::SetFan),
                                             InstanceMethod("io", &SpreadHandle::Io), InstanceMethod("runner", &SpreadHandle::Runner),
                                             InstanceMethod("fetch", &SpreadHandle::Fetch)});
  }

  // new SpreadHandle(off: Uint32Array, target: Int32Array, weight: Float64Array, created: Float64Array, rank: Int32Array | null)
  explicit SpreadHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SpreadHandle>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 5 || !IsArray<uint32_t>(info[0], napi_uint32_array) || !IsArray<int32_t>(info[1], napi_int32_array) ||
        !IsArray<double>(info[2], napi_float64_array) || !IsArray<double>(info[3], napi_float64_array) ||
        !(info[4].IsNull() || IsArray<int32_t>(info[4], napi_int32_array))) {
      Throw(env, "INVALID_ARGUMENT", "new SpreadHandle(off: Uint32Array, target: Int32Array, weight: Float64Array, created: Float64Array, rank: Int32Array | null)");
      return;
    }
    auto off = info[0].As<Napi::Uint32Array>();
    auto target = info[1].As<Napi::Int32Array>();
    auto weight = info[2].As<Napi::Float64Array>();
    auto created = info[3].As<Napi::Float64Array>();
    const size_t n = off.ElementLength() == 0 ? 0 : off.ElementLength() - 1;
    std::string err = CheckCsr(off.Data(), off.ElementLength(), target.Data(), target.ElementLength(), weight.ElementLength(), created.ElementLength(), static_cast<double>(n), &maxDeg_);
    if (err.empty() && n > 0x7fffffff) err = "too many nodes";
    if (err.empty() && !info[4].IsNull() && info[4].As<Napi::Int32Array>().ElementLength() < n) err = "rank must have one entry per node";
    if (!err.empty()) {
      Throw(env, "INVALID_ARGUMENT", "SPREAD graph: " + err);
      return;
    }
    const size_t edges = off[n];
    const size_t offBytes = ((n + 1) * sizeof(uint32_t) + 63) / 64 * 64;
    if (!mem_.Allocate(offBytes + edges * sizeof(spread::Edge))) {
      Throw(env, "LIMIT_EXCEEDED", "SPREAD graph: cannot allocate " + std::to_string(offBytes + edges * sizeof(spread::Edge)) + " bytes");
      return;
    }
    auto* o = static_cast<uint32_t*>(mem_.Data());
    std::memcpy(o, off.Data(), (n + 1) * sizeof(uint32_t));
    auto* ed = reinterpret_cast<spread::Edge*>(static_cast<char*>(mem_.Data()) + offBytes);
    for (size_t e = 0; e < edges; e++) ed[e] = spread::Edge{target[e], weight[e]};
    offCopy_ = o, edges_ = ed, edgeCount_ = edges;
    Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(mem_.Size()));
    external_ = static_cast<int64_t>(mem_.Size());
    created_.Hold(created);
    if (!info[4].IsNull()) {
      auto rank = info[4].As<Napi::Int32Array>();
      rank_.assign(rank.Data(), rank.Data() + n);
      hasRank_ = true;
    }
    nodes_ = static_cast<uint32_t>(n);
  }

  void Finalize(Napi::Env env) override {
    if (external_ != 0) Napi::MemoryManagement::AdjustExternalMemory(env, -external_);
  }

 private:
  Napi::Value SetOverlay(const Napi::CallbackInfo& info);
  Napi::Value SetFan(const Napi::CallbackInfo& info);
  Napi::Value Io(const Napi::CallbackInfo& info);
  Napi::Value Runner(const Napi::CallbackInfo& info);
  static napi_value RunEntry(napi_env env, napi_callback_info cb);
  Napi::Value Run(Napi::Env env, napi_value tickArg);
  Napi::Value Fetch(const Napi::CallbackInfo& info);
  bool Bind(spread::Graph* g, bool needCreated) const;
  bool CopyOut() const;

  HugeBuffer mem_;
  const uint32_t* offCopy_ = nullptr;
  const spread::Edge* edges_ = nullptr;
  size_t edgeCount_ = 0;
  int64_t external_ = 0;
  std::vector<int32_t> rank_;
  bool hasRank_ = false;
  Held<double> created_;
  std::vector<double> ff_;
  double ffMax_ = 0;
  std::vector<int32_t> sources_;
  std::shared_ptr<IoBlock> io_;
  bool running_ = false;
  // The overlay, copied (it is small: the memtable's sources).
  std::vector<int32_t> slow_, ovNodes_;
  std::vector<uint32_t> ovOff_;
  std::vector<spread::Edge> ovEdges_;
  std::vector<double> ovCreated_, extraKey_;
  uint32_t nodes_ = 0, maxDeg_ = 0;
  bool slowAll_ = false, overlay_ = false;
  spread::Kernel kernel_;
  spread::Result result_;
};

// setOverlay(null) | setOverlay(slowAll, slow, nodes, off, target, weight, created, extraKey)
Napi::Value SpreadHandle::SetOverlay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  overlay_ = false;
  if (info.Length() >= 1 && info[0].IsNull()) return env.Undefined();
  if (info.Length() < 8 || !info[0].IsBoolean() || !IsArray<int32_t>(info[1], napi_int32_array) || !IsArray<int32_t>(info[2], napi_int32_array) ||
      !IsArray<uint32_t>(info[3], napi_uint32_array) || !IsArray<int32_t>(info[4], napi_int32_array) || !IsArray<double>(info[5], napi_float64_array) ||
      !IsArray<double>(info[6], napi_float64_array) || !IsArray<double>(info[7], napi_float64_array)) {
    return Throw(env, "INVALID_ARGUMENT", "setOverlay(slowAll, slow: Int32Array, nodes: Int32Array, off: Uint32Array, target: Int32Array, weight: Float64Array, created: Float64Array, extraKey: Float64Array)");
  }
  auto slow = info[1].As<Napi::Int32Array>();
  auto nodes = info[2].As<Napi::Int32Array>();
  auto off = info[3].As<Napi::Uint32Array>();
  auto target = info[4].As<Napi::Int32Array>();
  auto weight = info[5].As<Napi::Float64Array>();
  auto created = info[6].As<Napi::Float64Array>();
  auto extraKey = info[7].As<Napi::Float64Array>();
  const double limit = static_cast<double>(nodes_) + static_cast<double>(extraKey.ElementLength());
  uint32_t maxDeg = 0;
  std::string err = off.ElementLength() != nodes.ElementLength() + 1 ? "overlay offsets must have one entry per node plus one" : "";
  if (err.empty()) err = CheckCsr(off.Data(), off.ElementLength(), target.Data(), target.ElementLength(), weight.ElementLength(), created.ElementLength(), limit, &maxDeg);
  for (auto* list : {&slow, &nodes}) {
    for (size_t i = 0; err.empty() && i < list->ElementLength(); i++) {
      const int32_t v = (*list)[i];
      if (v < 0 || v >= limit || (i > 0 && v <= (*list)[i - 1])) err = "overlay node lists must be ascending valid nodes";
    }
  }
  if (!err.empty()) return Throw(env, "INVALID_ARGUMENT", "SPREAD overlay: " + err);
  slowAll_ = info[0].As<Napi::Boolean>().Value();
  slow_.assign(slow.Data(), slow.Data() + slow.ElementLength());
  ovNodes_.assign(nodes.Data(), nodes.Data() + nodes.ElementLength());
  ovOff_.assign(off.Data(), off.Data() + off.ElementLength());
  const size_t edges = off[off.ElementLength() - 1];
  ovEdges_.resize(edges);
  for (size_t e = 0; e < edges; e++) ovEdges_[e] = spread::Edge{target[e], weight[e]};
  ovCreated_.assign(created.Data(), created.Data() + edges);
  extraKey_.assign(extraKey.Data(), extraKey.Data() + extraKey.ElementLength());
  overlay_ = true;
  return env.Undefined();
}

// Fills the kernel's graph view; false when the held created-time buffer was detached.
bool SpreadHandle::Bind(spread::Graph* g, bool needCreated) const {
  g->base = {offCopy_, edges_, needCreated ? created_.Get() : nullptr, nodes_};
  if (needCreated && edgeCount_ > 0 && g->base.created == nullptr) return false;
  g->rank = hasRank_ ? rank_.data() : nullptr;
  g->fanFactor = ff_.data(), g->fanFactorLen = static_cast<uint32_t>(ff_.size()), g->fanFactorMax = ffMax_;
  if (!overlay_) return true;
  g->slowAll = slowAll_;
  g->slow = slow_.data(), g->slowCount = static_cast<uint32_t>(slow_.size());
  g->overlayNodes = ovNodes_.data(), g->overlayCount = static_cast<uint32_t>(ovNodes_.size());
  g->overlay = {ovOff_.data(), ovEdges_.data(), ovCreated_.data(), g->overlayCount};
  g->extraKey = extraKey_.data(), g->extraCount = static_cast<uint32_t>(extraKey_.size());
  return true;
}

// setFan(fanFactor: Float64Array): the fan factor table F[fan] used by the following runs (copied).
Napi::Value SpreadHandle::SetFan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !IsArray<double>(info[0], napi_float64_array)) return Throw(env, "INVALID_ARGUMENT", "setFan(fanFactor: Float64Array)");
  auto ff = info[0].As<Napi::Float64Array>();
  ff_.assign(ff.Data(), ff.Data() + ff.ElementLength());
  ffMax_ = 0;
  for (double f : ff_) ffMax_ = std::max(ffMax_, f);
  return env.Undefined();
}

// io(ints, dbls) → ArrayBuffer: a new IO block (the old one's contents are not carried over).
Napi::Value SpreadHandle::Io(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) return Throw(env, "INVALID_ARGUMENT", "io(ints: number, dbls: number)");
  const double ni = info[0].As<Napi::Number>().DoubleValue(), nd = info[1].As<Napi::Number>().DoubleValue();
  if (!(ni >= 0 && ni <= 0x7fffffff && nd >= 0 && nd <= 0x7fffffff)) return Throw(env, "INVALID_ARGUMENT", "io sizes must be in [0, 2^31)");
  if (running_) return Throw(env, "INVALID_ARGUMENT", "SPREAD io() called from a run's tick");
  auto block = std::make_shared<IoBlock>(static_cast<size_t>(ni), static_cast<size_t>(nd));
  io_ = block;
  auto* keep = new std::shared_ptr<IoBlock>(block);
  return Napi::ArrayBuffer::New(env, block->mem.data(), block->mem.size() * sizeof(double),
                                [](Napi::Env, void*, std::shared_ptr<IoBlock>* hint) { delete hint; }, keep);
}

// runner() → run(tick: function | null), the per-query entry point: a plain function bound to this
// handle (raw N-API: no unwrap of `this`, one argument — a call that starts with cold caches runs
// little V8 code). It holds the handle through a property, so the handle outlives it.
Napi::Value SpreadHandle::Runner(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  napi_value fn = nullptr;
  if (napi_create_function(env, "run", NAPI_AUTO_LENGTH, &SpreadHandle::RunEntry, this, &fn) != napi_ok) return Throw(env, "INVALID_ARGUMENT", "cannot make the SPREAD runner");
  Napi::Function f(env, fn);
  f.Set("handle", info.This());
  return f;
}

napi_value SpreadHandle::RunEntry(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value arg = nullptr;
  void* self = nullptr;
  if (napi_get_cb_info(env, cb, &argc, &arg, nullptr, &self) != napi_ok || self == nullptr) return nullptr;
  return static_cast<SpreadHandle*>(self)->Run(Napi::Env(env), argc >= 1 ? arg : nullptr);
}

// run(tick): params (header 8..13: maxHops, decay, threshold, limit, maxNodes, asOf; 15: timeLimitMs)
// and the sources (header 14: count; ints[0..count)) are read from the IO block; the results written back:
// header[0..7] = status, visits, count, pathLen, missingCount, intsNeeded, dblsNeeded, fits.
Napi::Value SpreadHandle::Run(Napi::Env env, napi_value tickArg) {
  napi_valuetype type = napi_undefined;
  if (tickArg != nullptr && napi_typeof(env, tickArg, &type) != napi_ok) type = napi_undefined;
  if (io_ == nullptr || !(type == napi_null || type == napi_function)) return Throw(env, "INVALID_ARGUMENT", "run(tick: function | null) after io()");
  if (running_) return Throw(env, "INVALID_ARGUMENT", "SPREAD run() called from a run's tick");
  double* h = io_->Header();
  const double* pa = h + 8;
  const double ns = pa[6];
  if (!(ns >= 0 && ns <= static_cast<double>(io_->ints) && std::floor(ns) == ns)) return Throw(env, "INVALID_ARGUMENT", "SPREAD source count does not fit the IO block");
  spread::Graph g;
  const bool timeless = std::isinf(pa[5]) && pa[5] > 0;
  if (!Bind(&g, !timeless)) return Throw(env, "RELEASED", "the SPREAD graph's buffers were released");
  const double limit = static_cast<double>(nodes_) + g.extraCount;
  const int32_t* in = io_->Ints();
  sources_.assign(in, in + static_cast<size_t>(ns));
  for (int32_t s : sources_) {
    if (s < 0 || s >= limit) return Throw(env, "INVALID_ARGUMENT", "SPREAD source node out of range");
  }
  spread::Params p;
  if (!(pa[0] >= 0 && pa[0] <= 1e6 && std::floor(pa[0]) == pa[0])) return Throw(env, "INVALID_ARGUMENT", "SPREAD maxHops must be an integer in [0, 1e6]");
  if (std::isnan(pa[7])) return Throw(env, "INVALID_ARGUMENT", "SPREAD timeLimitMs must be a number");
  p.maxHops = static_cast<int32_t>(pa[0]), p.decay = pa[1], p.threshold = pa[2], p.limit = pa[3], p.maxNodes = pa[4], p.asOf = pa[5];
  p.timeLimitMs = pa[7];
  Napi::Function tick;
  if (type == napi_function) tick = Napi::Function(env, tickArg);
  running_ = true;
  kernel_.Run(g, sources_.data(), static_cast<uint32_t>(sources_.size()), p, tick.IsEmpty() ? nullptr : CallTick, &tick, &result_);
  running_ = false;
  if (result_.status == spread::kTickThrew) return env.Undefined();  // the tick's exception is pending
  if (result_.status == spread::kBadFan) return Throw(env, "INVALID_ARGUMENT", "SPREAD fan factor table is shorter than a node's fan");
  const size_t count = result_.node.size();
  h[0] = result_.status, h[1] = result_.visits, h[2] = static_cast<double>(count), h[3] = static_cast<double>(result_.path.size());
  h[4] = static_cast<double>(result_.missing.size());
  h[5] = static_cast<double>(2 * count + result_.pathOff.size() + result_.path.size() + result_.missing.size());
  h[6] = static_cast<double>(count);
  h[7] = CopyOut() ? 1 : 0;
  return Napi::Value();
}

// Layout: ints = node[count], hops[count], pathOff[count+1 or 0], path[pathLen], missing[missingCount]; dbls = activation[count].
bool SpreadHandle::CopyOut() const {
  const size_t count = result_.node.size();
  const size_t need = 2 * count + result_.pathOff.size() + result_.path.size() + result_.missing.size();
  if (io_->ints < need || io_->dbls < count) return false;
  int32_t* o = io_->Ints();
  for (const auto* v : {&result_.node, &result_.hops, &result_.pathOff, &result_.path, &result_.missing}) {
    if (!v->empty()) std::memcpy(o, v->data(), v->size() * sizeof(int32_t));
    o += v->size();
  }
  if (count > 0) std::memcpy(io_->Dbls(), result_.activation.data(), count * sizeof(double));
  return true;
}

// fetch(): the last run's results into the (grown) IO block; header[7] says whether they fit.
Napi::Value SpreadHandle::Fetch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (io_ == nullptr) return Throw(env, "INVALID_ARGUMENT", "fetch() after io()");
  const bool fits = CopyOut();
  io_->Header()[7] = fits ? 1 : 0;
  return Napi::Boolean::New(env, fits);
}

}  // namespace

void InitSpread(Napi::Env env, Napi::Object exports) {
  exports.Set("SpreadHandle", SpreadHandle::Define(env));
}

}  // namespace mnemo
