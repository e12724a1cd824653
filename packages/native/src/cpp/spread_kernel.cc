// SPREAD kernel (see spread_kernel.h for the contract; docs/graph.md §5). Per-query state lives in
// small epoch-tagged open-addressing tables sized to what the query touches (a few hundred entries
// stay in L1/L2; no O(nodes) array is touched or cleared per call), paths in an append-only arena.
// Floating point follows the TypeScript twin operation for operation, so results are bit-identical.
#include "spread_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mnemo {
namespace spread {

namespace {
constexpr uint32_t kInitial = 1u << 10;
constexpr uint32_t kShrinkAbove = 1u << 16;

inline uint32_t Hash(int32_t v, uint32_t mask) {
  return (static_cast<uint32_t>(v) * 0x9e3779b1u) & mask;
}

bool Contains(const int32_t* sorted, uint32_t n, int32_t v) {
  return std::binary_search(sorted, sorted + n, v);
}
}  // namespace

void Kernel::PerReset() {
  if (per_.size() > kShrinkAbove || per_.empty()) {
    per_.assign(kInitial, PerEntry{});
    perEpoch_ = 0;
  }
  if (++perEpoch_ == 0) {  // epoch wrapped: clear once
    for (auto& e : per_) e.epoch = 0;
    perEpoch_ = 1;
  }
  perSlots_.clear();
}

void Kernel::TotReset() {
  if (tot_.size() > kShrinkAbove || tot_.empty()) {
    tot_.assign(kInitial, TotEntry{});
    totEpoch_ = 0;
  }
  if (++totEpoch_ == 0) {
    for (auto& e : tot_) e.epoch = 0;
    totEpoch_ = 1;
  }
  totSlots_.clear();
}

Kernel::PerEntry* Kernel::PerFind(int32_t v) {
  const uint32_t mask = static_cast<uint32_t>(per_.size()) - 1;
  for (uint32_t s = Hash(v, mask);; s = (s + 1) & mask) {
    PerEntry& e = per_[s];
    if (e.epoch != perEpoch_) return nullptr;
    if (e.key == v) return &e;
  }
}

// Slot of v in an epoch-tagged table (inserted zeroed when absent; *added says which); the table
// doubles at load 1/2, re-inserting the live entries listed in `slots` (insertion order kept).
template <typename E>
__attribute__((noinline, cold)) void TableGrow(std::vector<E>* table, std::vector<int32_t>* slots, uint32_t epoch) {
  std::vector<E> old;
  old.swap(*table);
  table->assign(old.size() * 2, E{});
  const uint32_t mask = static_cast<uint32_t>(table->size()) - 1;
  for (int32_t& slot : *slots) {
    uint32_t s = Hash(old[slot].key, mask);
    while ((*table)[s].epoch == epoch) s = (s + 1) & mask;
    (*table)[s] = old[slot];
    slot = static_cast<int32_t>(s);
  }
}

template <typename E>
__attribute__((always_inline)) inline E* TableAdd(std::vector<E>* table, std::vector<int32_t>* slots, uint32_t epoch, int32_t v, bool* added) {
  if ((slots->size() + 1) * 2 > table->size()) TableGrow(table, slots, epoch);
  const uint32_t mask = static_cast<uint32_t>(table->size()) - 1;
  for (uint32_t s = Hash(v, mask);; s = (s + 1) & mask) {
    E& e = (*table)[s];
    if (e.epoch != epoch) {
      e = E{};
      e.key = v;
      e.epoch = epoch;
      slots->push_back(static_cast<int32_t>(s));
      *added = true;
      return &e;
    }
    if (e.key == v) {
      *added = false;
      return &e;
    }
  }
}

__attribute__((always_inline)) inline Kernel::PerEntry* Kernel::PerAdd(int32_t v, bool* added) {
  return TableAdd(&per_, &perSlots_, perEpoch_, v, added);
}

__attribute__((always_inline)) inline Kernel::TotEntry* Kernel::TotAdd(int32_t v, bool* added) {
  return TableAdd(&tot_, &totSlots_, totEpoch_, v, added);
}

// The path arena is a buffer whose first arenaLen_ entries are this call's: an append is a store
// and an increment (vector::push_back stayed an out-of-line call per visit), grown on a cold path.
__attribute__((noinline, cold)) void Kernel::ArenaGrow() {
  arena_.resize(std::max<size_t>(1024, 2 * arena_.size()));
}

inline int32_t Kernel::ArenaPush(int32_t node, int32_t prev) {
  if (arenaLen_ == arena_.size()) ArenaGrow();
  arena_[arenaLen_] = ArenaEntry{node, prev};
  return static_cast<int32_t>(arenaLen_++);
}

double Kernel::Key(const Graph& g, int32_t u) const {
  const uint32_t x = static_cast<uint32_t>(u);
  if (x < g.base.nodes) return g.rank == nullptr ? static_cast<double>(u) : static_cast<double>(g.rank[x]);
  return g.extraKey[x - g.base.nodes];
}

// Sorts distinct nodes by order key: plain integers when the key is the node number, (rank, node)
// packed in 64 bits when every node has a rank, (key, node) pairs otherwise.
void Kernel::SortByKey(const Graph& g, std::vector<int32_t>* nodes) {
  bool extra = false;
  for (int32_t v : *nodes) extra |= static_cast<uint32_t>(v) >= g.base.nodes;
  if (!extra && g.rank == nullptr) {
    std::sort(nodes->begin(), nodes->end());
  } else if (!extra) {
    packed_.clear();
    for (int32_t v : *nodes) packed_.push_back(static_cast<uint64_t>(static_cast<uint32_t>(g.rank[v])) << 32 | static_cast<uint32_t>(v));
    std::sort(packed_.begin(), packed_.end());
    for (size_t i = 0; i < packed_.size(); i++) (*nodes)[i] = static_cast<int32_t>(packed_[i] & 0xffffffffu);
  } else {
    order_.clear();
    for (int32_t v : *nodes) order_.emplace_back(Key(g, v), v);
    std::sort(order_.begin(), order_.end());
    for (size_t i = 0; i < order_.size(); i++) (*nodes)[i] = order_[i].second;
  }
}

// Edge range of u; false (no edges) for a slow node missing from the overlay (recorded).
bool Kernel::Adjacency(const Graph& g, int32_t u, const Csr** csr, uint32_t* start, uint32_t* end, Result* out) {
  const uint32_t x = static_cast<uint32_t>(u);
  const bool slow = g.slowAll || (g.slowCount > 0 && Contains(g.slow, g.slowCount, u));
  if (!slow) {
    *csr = &g.base;
    if (x < g.base.nodes) {
      *start = g.base.off[x];
      *end = g.base.off[x + 1];
    } else {
      *start = *end = 0;
    }
    return true;
  }
  const int32_t* it = std::lower_bound(g.overlayNodes, g.overlayNodes + g.overlayCount, u);
  *csr = &g.overlay;
  if (it != g.overlayNodes + g.overlayCount && *it == u) {
    const size_t pos = static_cast<size_t>(it - g.overlayNodes);
    *start = g.overlay.off[pos];
    *end = g.overlay.off[pos + 1];
    return true;
  }
  *start = *end = 0;
  if (std::find(out->missing.begin(), out->missing.end(), u) == out->missing.end()) out->missing.push_back(u);
  return false;
}

// Hop-layered max-product relaxation from s; false when the call must stop (status set).
bool Kernel::SpreadOne(const Graph& g, int32_t s, const Params& p, TickFn tick, void* tickCtx, Result* out) {
  const bool timeless = std::isinf(p.asOf) && p.asOf > 0;
  const double thr = p.threshold;
  const double passOn = p.decay * g.fanFactorMax;  // the most a node passes on per unit of activation
  PerReset();
  const int32_t p0 = ArenaPush(s, -1);
  bool added;
  PerEntry* e0 = PerAdd(s, &added);
  e0->a = 1;
  e0->hops = 0;
  e0->path = p0;
  frontier_.assign(1, s);
  fAct_.assign(1, 1.0);
  fPath_.assign(1, p0);
  for (int32_t hop = 1; hop <= p.maxHops && !frontier_.empty(); hop++) {
    improved_.clear();
    const size_t nf = frontier_.size();
    fStart_.resize(nf);
    fEnd_.resize(nf);
    fCsr_.resize(nf);
    // A node that cannot pass the threshold even with the largest fan factor is skipped before its
    // offsets are read (x·d·f ≤ x·d·fMax under rounding, so the skip never changes a result).
    for (size_t i = 0; i < nf; i++) {
      const bool skip = fAct_[i] * p.decay * g.fanFactorMax < thr;
      fCsr_[i] = skip ? nullptr : &g.base;
      if (!skip && static_cast<uint32_t>(frontier_[i]) < g.base.nodes) __builtin_prefetch(g.base.off + frontier_[i]);
    }
    // Then every expanded node's edge lines are requested before any is used: the misses overlap.
    for (size_t i = 0; i < nf; i++) {
      if (fCsr_[i] == nullptr) {
        fStart_[i] = fEnd_[i] = 0;
        continue;
      }
      Adjacency(g, frontier_[i], &fCsr_[i], &fStart_[i], &fEnd_[i], out);
      const Csr* c = fCsr_[i];
      const uint32_t deg = fEnd_[i] - fStart_[i];
      const bool passes = !timeless || deg >= g.fanFactorLen || fAct_[i] * p.decay * g.fanFactor[deg] >= thr;
      if (deg > 0 && passes) {
        const char* first = reinterpret_cast<const char*>(c->edges + fStart_[i]);
        const char* stop = std::min(reinterpret_cast<const char*>(c->edges + fEnd_[i]) - 1, first + 255);  // 4 lines at most
        for (const char* q = first; q <= stop; q += 64) __builtin_prefetch(q);
        __builtin_prefetch(stop);
        if (!timeless) __builtin_prefetch(c->created + fStart_[i]);
      }
    }
    for (size_t i = 0; i < nf; i++) {
      if (fCsr_[i] == nullptr) continue;
      const int32_t u = frontier_[i];
      const Csr& c = *fCsr_[i];
      const uint32_t start = fStart_[i], end = fEnd_[i];
      uint32_t fan = end - start;
      if (!timeless) {
        fan = 0;
        for (uint32_t e = start; e < end; e++) fan += c.created[e] <= p.asOf ? 1 : 0;
      }
      if (fan >= g.fanFactorLen) {
        out->status = kBadFan;
        return false;
      }
      const double outAct = fAct_[i] * p.decay * g.fanFactor[fan];
      if (outAct < thr) continue;
      const int32_t uPath = fPath_[i];
      const double uKey = Key(g, u);
      // Request the table slots of the targets that will be recorded before probing any: after
      // other work the table is cold, and the misses then overlap instead of queuing.
      const uint32_t mask = static_cast<uint32_t>(per_.size()) - 1;
      for (uint32_t e = start, stop = std::min(end, start + 32); e < stop; e++) {
        const double we = c.edges[e].weight;
        if (outAct * (we > 0 ? (we < 1 ? we : 1) : 0) >= thr) __builtin_prefetch(&per_[Hash(c.edges[e].target, mask)]);
      }
      double visits = out->visits;  // a local count (the loop's stores could alias the result)
      for (uint32_t e = start; e < end; e++) {
        if (!timeless && c.created[e] > p.asOf) continue;
        visits += 1;
        if (visits > p.maxNodes) {
          out->visits = visits;
          out->status = kMaxNodes;
          return false;
        }
        if ((static_cast<uint64_t>(visits) & 255u) == 0) {
          if (tick != nullptr && !tick(tickCtx, visits)) {
            out->visits = visits;
            out->status = kTickThrew;
            return false;
          }
          if (timed_ && std::chrono::steady_clock::now() > deadline_) {
            out->visits = visits;
            out->status = kTimeLimit;
            return false;
          }
        }
        const double we = c.edges[e].weight;
        const double w = we > 0 ? (we < 1 ? we : 1) : 0;
        const double cand = outAct * w;
        const int32_t v = c.edges[e].target;
        if (!(cand >= thr) || !(cand > 0) || v == s) continue;
        PerEntry* r = PerAdd(v, &added);
        if (!added) {
          const double cur = r->a;
          if (!(cand > cur || (cand == cur && hop == r->hops && uKey < Key(g, arena_[arena_[r->path].prev].node)))) continue;
        }
        const int32_t at = ArenaPush(v, uPath);
        if (r->hops != hop) improved_.push_back(v);  // first improvement at this hop
        r->a = cand;
        r->hops = hop;
        r->path = at;
        // v may be expanded next hop: request its offsets now, a hop ahead of their use.
        if (hop < p.maxHops && cand * passOn >= thr && static_cast<uint32_t>(v) < g.base.nodes) __builtin_prefetch(g.base.off + v);
      }
      out->visits = visits;
    }
    if (hop == p.maxHops) break;  // the last frontier is never expanded: no need to order it
    SortByKey(g, &improved_);
    frontier_.swap(improved_);
    fAct_.resize(frontier_.size());
    fPath_.resize(frontier_.size());
    for (size_t i = 0; i < frontier_.size(); i++) {
      const PerEntry* r = PerFind(frontier_[i]);
      fAct_[i] = r->a;
      fPath_[i] = r->path;
    }
  }
  return true;
}

namespace {
// Row order: activation desc, then order key (keys are distinct, so the order is total).
inline bool RowBefore(double a, double key, double b, double bKey) { return a > b || (a == b && key < bKey); }
inline uint64_t Bits(double a) {
  uint64_t u;
  std::memcpy(&u, &a, sizeof u);
  return u;
}
}  // namespace

// rowRank_ ← the rows' positions in row order. A counting pass on the high bits of the activations'
// IEEE patterns (activations are > 0, where the pattern is monotone) leaves the rows nearly in
// order, and an insertion sort by the exact order finishes: no data-dependent branch per compare
// as in a comparison sort (whose mispredictions dominated the cost of ~100 rows). Many equal
// activations would make the insertion sort move many rows; past a budget std::sort finishes.
void Kernel::SortRows() {
  const size_t n = rowCount_;
  rowRank_.resize(n);
  if (n == 0) return;
  const RowKey* rows = rowOrder_.data();
  uint64_t lo = ~uint64_t{0}, hi = 0;
  for (size_t i = 0; i < n; i++) lo = std::min(lo, Bits(rows[i].a)), hi = std::max(hi, Bits(rows[i].a));
  size_t buckets = 64;
  while (buckets < 2 * n && buckets < 4096) buckets *= 2;
  int shift = 0;
  while (((hi - lo) >> shift) >= buckets) shift++;
  bucketCount_.assign(buckets + 1, 0);
  for (size_t i = 0; i < n; i++) bucketCount_[buckets - ((Bits(rows[i].a) - lo) >> shift)]++;  // desc: high a first
  for (size_t b = 1; b <= buckets; b++) bucketCount_[b] += bucketCount_[b - 1];
  for (size_t i = 0; i < n; i++) rowRank_[--bucketCount_[buckets - ((Bits(rows[i].a) - lo) >> shift)]] = static_cast<uint32_t>(i);
  size_t moves = 0;
  for (size_t i = 1; i < n && moves <= 8 * n + 64; i++) {
    const uint32_t x = rowRank_[i];
    const RowKey& rx = rows[x];
    size_t j = i;
    for (; j > 0 && RowBefore(rx.a, rx.key, rows[rowRank_[j - 1]].a, rows[rowRank_[j - 1]].key); j--) rowRank_[j] = rowRank_[j - 1];
    rowRank_[j] = x;
    moves += i - j;
  }
  if (moves > 8 * n + 64) {
    std::sort(rowRank_.begin(), rowRank_.end(), [rows](uint32_t x, uint32_t y) {
      return RowBefore(rows[x].a, rows[x].key, rows[y].a, rows[y].key);
    });
  }
}

// Rows from the per-call totals, or (one source) straight from that source's table, which holds
// the same numbers: a row's total is then its single activation. Everything is written field by
// field into buffers sized first: a RowKey assembled as a temporary and copied into the vector
// whole stalled store forwarding once per row, and push_back kept its end pointer in memory
// (this function was 27 % of a warm query's kernel samples, 15 % after).
void Kernel::Rows(const Graph& g, const Params& p, int32_t single, Result* out) {
  const size_t cap = single >= 0 ? perSlots_.size() : totSlots_.size();
  if (rowOrder_.size() < cap) rowOrder_.resize(cap);
  RowKey* rows = rowOrder_.data();
  size_t n = 0;
  const auto put = [&](const auto& e) {
    RowKey& k = rows[n++];
    k.a = e.a;
    k.key = Key(g, e.key);
    k.node = e.key;
    k.hops = e.hops;
    k.path = e.path;
  };
  if (single >= 0) {
    for (int32_t slot : perSlots_) {
      const PerEntry& e = per_[slot];
      if (e.key != single && e.a >= p.threshold) put(e);
    }
  } else {
    for (int32_t slot : totSlots_) {
      const TotEntry& t = tot_[slot];
      if (t.a >= p.threshold) put(t);
    }
  }
  rowCount_ = n;
  SortRows();
  const size_t count = static_cast<double>(n) < p.limit ? n : static_cast<size_t>(p.limit);
  out->node.resize(count);
  out->activation.resize(count);
  out->hops.resize(count);
  out->pathOff.resize(count + 1);
  int32_t* pathOff = out->pathOff.data();
  pathOff[0] = 0;
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    const RowKey& t = rows[rowRank_[i]];
    out->node[i] = t.node;
    out->activation[i] = t.a;
    out->hops[i] = t.hops;
    total += static_cast<size_t>(t.hops) + 1;  // a path of h hops has h + 1 nodes
    pathOff[i + 1] = static_cast<int32_t>(total);
  }
  out->path.resize(total);
  int32_t* path = out->path.data();
  const ArenaEntry* arena = arena_.data();
  for (size_t i = 0; i < count; i++) {
    // Written back to front: the arena links each entry to the one before it on the path.
    int32_t at = pathOff[i + 1];
    for (int32_t q = rows[rowRank_[i]].path; q >= 0 && at > pathOff[i]; q = arena[q].prev) path[--at] = arena[q].node;
  }
}

void Kernel::Run(const Graph& g, const int32_t* sources, uint32_t nSources, const Params& p, TickFn tick, void* tickCtx, Result* out) {
  timed_ = !(std::isinf(p.timeLimitMs) && p.timeLimitMs > 0);
  if (timed_) {
    const double ms = std::max(0.0, std::min(p.timeLimitMs, 1e12));  // ~31 years: no overflow of the time point
    deadline_ = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double, std::milli>(ms));
  }
  out->status = kOk;
  out->visits = 0;
  out->node.clear();
  out->hops.clear();
  out->pathOff.clear();
  out->path.clear();
  out->missing.clear();
  out->activation.clear();
  arenaLen_ = 0;
  TotReset();
  srcSorted_.assign(sources, sources + nSources);
  std::sort(srcSorted_.begin(), srcSorted_.end());
  if (nSources == 1) {
    if (!SpreadOne(g, sources[0], p, tick, tickCtx, out)) return;
    if (!out->missing.empty()) {
      out->status = kMissing;
      return;
    }
    Rows(g, p, sources[0], out);
    return;
  }
  for (uint32_t k = 0; k < nSources; k++) {
    if (!SpreadOne(g, sources[k], p, tick, tickCtx, out)) return;
    const uint32_t mask = static_cast<uint32_t>(tot_.size()) - 1;
    for (size_t i = 0; i < perSlots_.size(); i++) {
      if (i + 8 < perSlots_.size()) __builtin_prefetch(&tot_[Hash(per_[perSlots_[i + 8]].key, mask)]);
      const PerEntry& e = per_[perSlots_[i]];
      if (Contains(srcSorted_.data(), nSources, e.key)) continue;
      bool added;
      TotEntry* t = TotAdd(e.key, &added);
      if (added) {
        t->a = e.a;
        t->b = e.a;
        t->hops = e.hops;
        t->path = e.path;
      } else {
        t->a = t->a + e.a;
        if (e.a > t->b) {
          t->b = e.a;
          t->hops = e.hops;
          t->path = e.path;
        }
      }
    }
  }
  if (!out->missing.empty()) {
    out->status = kMissing;
    return;
  }
  Rows(g, p, -1, out);
}

}  // namespace spread
}  // namespace mnemo
