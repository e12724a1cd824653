// SPREAD kernel over a dense CSR association graph (docs/graph.md §5, docs/cognition.md "SPREAD"):
// per source the best max-product path of <= maxHops hops (hop-layered relaxation), one decay step
// per hop, fan factor from a table, weights clamped to [0, 1], threshold pruning, a node budget,
// sources summed in the order given; rows by activation desc then order key. Pure C++ (no N-API);
// spread.cc binds it. The TypeScript twin is packages/native/src/spread-js.ts (same contract).
#pragma once
#include <chrono>
#include <cstdint>
#include <vector>

namespace mnemo {
// Hidden: keeps the kernel's small member functions out of the addon's dynamic symbol table, so
// calls between them are direct and inlined (default visibility routes them through the PLT).
namespace __attribute__((visibility("hidden"))) spread {

// One edge, target and weight side by side (12 bytes): a node's edges share one or two cache lines.
#pragma pack(push, 4)
struct Edge {
  int32_t target;
  double weight;
};
#pragma pack(pop)

// A read-only CSR: edges of node u are [off[u], off[u+1]); created is read only when asOf is finite.
struct Csr {
  const uint32_t* off = nullptr;
  const Edge* edges = nullptr;
  const double* created = nullptr;
  uint32_t nodes = 0;
};

// Graph view for one call. Nodes < base.nodes read `base` unless slow; nodes >= base.nodes and
// slow nodes read the overlay (sorted overlayNodes, CSR `overlay` indexed by position); a slow node
// missing from the overlay is reported in `missing` and treated as having no edges.
struct Graph {
  Csr base;
  const int32_t* rank = nullptr;       // tie order key of base nodes (null: node number)
  const double* extraKey = nullptr;    // tie order key of node base.nodes + i
  uint32_t extraCount = 0;
  bool slowAll = false;
  const int32_t* slow = nullptr;       // sorted base nodes that are slow
  uint32_t slowCount = 0;
  const int32_t* overlayNodes = nullptr;
  uint32_t overlayCount = 0;
  Csr overlay;                         // off has overlayCount + 1 entries
  const double* fanFactor = nullptr;   // fanFactor[fan]
  uint32_t fanFactorLen = 0;
  double fanFactorMax = 0;             // the table's largest entry (bounds what any node passes on)
};

struct Params {
  int32_t maxHops = 3;
  double decay = 0.5;
  double threshold = 0.01;
  double limit = 0;       // may be +Infinity
  double maxNodes = 0;    // visits allowed (more -> status kMaxNodes)
  double asOf = 0;        // +Infinity: timeless
  double timeLimitMs = 0; // wall-clock ms the call may run, on the kernel's steady clock (+Infinity: none)
};

// kOk..kTimeLimit are reported to the caller by number (spread.ts STATUS); the others are errors.
enum Status : int32_t { kOk = 0, kMaxNodes = 1, kMissing = 2, kTimeLimit = 3, kTickThrew = 4, kBadFan = 5 };

// Called when visits reaches a multiple of 256 (and is <= maxNodes); returns false to abort. At
// the same points the kernel checks its own clock against timeLimitMs.
using TickFn = bool (*)(void* ctx, double visits);

struct Result {
  int32_t status = kOk;
  double visits = 0;
  std::vector<int32_t> node, hops, pathOff, path, missing;
  std::vector<double> activation;
};

class Kernel {
 public:
  // Runs the spread; `sources` are distinct valid nodes in summing order.
  void Run(const Graph& g, const int32_t* sources, uint32_t nSources, const Params& p, TickFn tick, void* tickCtx, Result* out);

 private:
  template <typename E>
  friend E* TableAdd(std::vector<E>* table, std::vector<int32_t>* slots, uint32_t epoch, int32_t v, bool* added);
  // 24 bytes; `hops` doubles as the frontier mark (it is set to the hop of every improvement, so
  // hops == hop means the node is already in this hop's improved list).
  struct PerEntry { int32_t key; uint32_t epoch; int32_t hops; int32_t path; double a; };
  struct TotEntry { int32_t key; uint32_t epoch; int32_t hops; int32_t path; double a; double b; };

  bool SpreadOne(const Graph& g, int32_t s, const Params& p, TickFn tick, void* tickCtx, Result* out);
  void Rows(const Graph& g, const Params& p, int32_t single, Result* out);
  void SortRows();
  PerEntry* PerAdd(int32_t v, bool* added);
  PerEntry* PerFind(int32_t v);
  TotEntry* TotAdd(int32_t v, bool* added);
  void PerReset();
  void TotReset();
  double Key(const Graph& g, int32_t u) const;
  void SortByKey(const Graph& g, std::vector<int32_t>* nodes);
  bool Adjacency(const Graph& g, int32_t u, const Csr** csr, uint32_t* start, uint32_t* end, Result* out);
  int32_t ArenaPush(int32_t node, int32_t prev);
  void ArenaGrow();

  std::vector<PerEntry> per_;
  std::vector<int32_t> perSlots_;
  uint32_t perEpoch_ = 0;
  std::vector<TotEntry> tot_;
  std::vector<int32_t> totSlots_;
  uint32_t totEpoch_ = 0;
  // Paths: entry i is a node and the entry of the node before it on the path (-1 at the source).
  struct ArenaEntry { int32_t node; int32_t prev; };
  std::vector<ArenaEntry> arena_;
  size_t arenaLen_ = 0;
  std::vector<int32_t> frontier_, improved_;
  std::vector<uint32_t> fStart_, fEnd_;
  std::vector<uint8_t> fSlow_;
  std::vector<double> fAct_;
  std::vector<int32_t> fPath_;
  std::vector<const Csr*> fCsr_;
  std::vector<std::pair<double, int32_t>> order_;
  struct RowKey { double a; double key; int32_t node, hops, path; };
  std::vector<RowKey> rowOrder_;  // a buffer: the first rowCount_ entries are this call's rows
  size_t rowCount_ = 0;
  std::vector<uint32_t> rowRank_, bucketCount_;
  std::vector<uint64_t> packed_;
  std::vector<int32_t> srcSorted_;
  bool timed_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace spread
}  // namespace mnemo
