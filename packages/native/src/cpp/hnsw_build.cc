// HNSW build (see hnsw_build.h): rows inserted in row order; greedy descent to the row's level,
// efConstruction search per layer, heuristic neighbour selection, mutual links with heuristic
// shrinking on overflow. Cosine builds over a normalised copy (distance 1 − dot).
#include "hnsw_build.h"

#include <cmath>
#include <cstring>

#include "hnsw_core.h"

namespace mnemo {
namespace hnsw {

namespace {

constexpr uint32_t kMaxLevel = 31;

// mulberry32, identical to the JS generator (engine/src/hnsw/rng.ts).
struct Mulberry32 {
  uint32_t a;
  uint32_t Next() {
    a += 0x6d2b79f5u;
    uint32_t t = a;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }
};

struct Builder {
  const BuildParams& p;
  BuiltGraph& g;
  GraphView view;
  std::vector<float> normalised;
  const float* data;
  RawFn fn;
  DistMode mode;
  Visited visited;
  MaxHeap results;
  MinHeap candidates;
  std::vector<uint32_t> batch;
  std::vector<Pair> sorted, kept;
  MaxHeap shrink;

  Builder(const BuildParams& params, BuiltGraph& out) : p(params), g(out) {
    const Kernels& k = ActiveKernels();
    fn = p.metric == kL2 ? k.l2 : k.dot;
    mode = p.metric == kL2 ? kModeL2 : p.metric == kDot ? kModeNegDot : kModeOneMinus;
    data = p.vectors;
    if (p.metric == kCosine) Normalise();
  }

  void Normalise() {
    size_t dim = p.dim;
    normalised.resize(static_cast<size_t>(p.count) * dim);
    for (size_t r = 0; r < p.count; r++) {
      const float* v = p.vectors + r * dim;
      double s = 0;
      for (size_t j = 0; j < dim; j++) s += static_cast<double>(v[j]) * v[j];
      float inv = s > 0 ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
      for (size_t j = 0; j < dim; j++) normalised[r * dim + j] = v[j] * inv;
    }
    data = normalised.data();
  }

  QueryDist DistFrom(uint32_t row) const { return QueryDist{data + static_cast<size_t>(row) * p.dim, data, p.dim, fn, mode, nullptr}; }
  float PairDist(uint32_t a, uint32_t b) const { return DistFrom(a)(b); }

  void Layout() {
    Mulberry32 rng{p.seed};
    const double mL = 1.0 / std::log(static_cast<double>(p.M));
    g.levels.resize(p.count);
    g.upperOffsets.resize(static_cast<size_t>(p.count) + 1);
    uint64_t acc = 0;
    for (uint32_t i = 0; i < p.count; i++) {
      double u = (static_cast<double>(rng.Next()) + 1.0) / 4294967296.0;
      double lv = std::floor(-std::log(u) * mL);
      uint32_t level = lv > kMaxLevel ? kMaxLevel : static_cast<uint32_t>(lv);
      g.levels[i] = static_cast<uint8_t>(level);
      g.upperOffsets[i] = static_cast<uint32_t>(acc);
      acc += static_cast<uint64_t>(level) * (1 + p.M);
    }
    g.upperOffsets[p.count] = static_cast<uint32_t>(acc);
    g.upperLinks.assign(acc, 0);
    g.layer0.assign(static_cast<size_t>(p.count) * (1 + 2 * p.M), 0);
    view.count = p.count;
    view.M = p.M;
    view.maxM0 = 2 * p.M;
    view.layer0 = g.layer0.data();
    view.levels = g.levels.data();
    view.upperOffsets = g.upperOffsets.data();
    view.upperLinks = g.upperLinks.data();
    visited.Resize(p.count);
  }

  uint32_t* MutList(uint32_t row, uint32_t level) { return const_cast<uint32_t*>(view.List(row, level)); }

  // getNeighborsByHeuristic2 over `in` (a max-heap, consumed); leaves the kept pairs closest first.
  void Select(MaxHeap& in, size_t M) {
    sorted.assign(in.v.begin(), in.v.end());
    in.clear();
    std::sort(sorted.begin(), sorted.end());
    kept.clear();
    if (sorted.size() <= M) {
      kept = sorted;
      return;
    }
    for (const Pair& c : sorted) {
      if (kept.size() >= M) break;
      bool good = true;
      QueryDist dc = DistFrom(c.id);
      for (const Pair& r : kept) {
        if (dc(r.id) < c.d) {
          good = false;
          break;
        }
      }
      if (good) kept.push_back(c);
    }
  }

  void LinkBack(uint32_t nb, uint32_t row, uint32_t level) {
    const uint32_t max = level == 0 ? 2 * p.M : p.M;
    uint32_t* list = MutList(nb, level);
    uint32_t n = list[0];
    if (n < max) {
      list[1 + n] = row;
      list[0] = n + 1;
      return;
    }
    shrink.clear();
    QueryDist dn = DistFrom(nb);
    shrink.push(Pair{dn(row), row});
    for (uint32_t j = 1; j <= n; j++) shrink.push(Pair{dn(list[j]), list[j]});
    Select(shrink, max);
    list[0] = static_cast<uint32_t>(kept.size());
    for (uint32_t j = 0; j < max; j++) list[1 + j] = j < kept.size() ? kept[j].id : 0;
  }

  void Insert(uint32_t row) {
    const uint32_t level = g.levels[row];
    if (g.entry == 0xffffffffu) {
      g.entry = view.entry = row;
      g.maxLevel = view.maxLevel = level;
      return;
    }
    QueryDist dist = DistFrom(row);
    Pair cur{dist(g.entry), g.entry};
    if (level < g.maxLevel) cur = GreedyDescent(view, dist, cur, g.maxLevel, level);
    RowFilter none;
    for (int l = static_cast<int>(std::min(level, g.maxLevel)); l >= 0; l--) {
      SearchLayer(view, dist, cur, p.efConstruction, l, visited, none, results, candidates, batch);
      Select(results, p.M);
      std::vector<Pair> chosen = kept;
      uint32_t* list = MutList(row, l);
      list[0] = static_cast<uint32_t>(chosen.size());
      for (size_t j = 0; j < chosen.size(); j++) list[1 + j] = chosen[j].id;
      for (const Pair& c : chosen) LinkBack(c.id, row, l);
      cur = chosen.front();
    }
    if (level > g.maxLevel) {
      g.entry = view.entry = row;
      g.maxLevel = view.maxLevel = level;
    }
  }
};

}  // namespace

void Build(const BuildParams& p, BuiltGraph& out) {
  Builder b(p, out);
  b.Layout();
  for (uint32_t row = 0; row < p.count; row++) b.Insert(row);
  if (p.count == 0) out.maxLevel = 0;
}

}  // namespace hnsw
}  // namespace mnemo
