/**
 * Dense integer view of one sealed segment's association sections (docs/graph.md §2): every id the
 * segment names as an edge source, edge target, memory tombstone or association tombstone gets a
 * local node number (in id order), and the CSR groups are re-indexed by node. Weights, kinds and
 * valid times stay zero-copy views of the mapped columns. Segments are immutable, so the result is
 * cached per SegmentReader (WeakMap) and built once.
 */
import type { SegmentReader } from '../storage/segment/index.js';
import type { AssociationColumns } from '../storage/segment/association-columns.js';
import { NULL_KIND } from '../storage/segment/layout.js';
import type { StringColumn } from '../storage/segment/string-column.js';
import { ByteDict } from './byte-dict.js';
import { sortNames } from './names.js';

export interface SegmentGraph {
  readonly reader: SegmentReader;
  /** Local node names in id order (compareIds), unique. */
  readonly names: string[];
  /** True when `names` is also in JS string (`<`) order (no surrogate code units). */
  readonly jsOrdered: boolean;
  /** Edge range of local node u: [nodeOff[u], nodeOff[u+1]) — edge numbers are the segment's. */
  readonly nodeOff: Uint32Array;
  /** Local node of each edge's target. */
  readonly target: Int32Array;
  /** Zero-copy columns, indexed by edge number. */
  readonly weight: Float64Array;
  readonly created: Float64Array;
  readonly kind: Uint32Array;
  readonly kindNames: readonly string[];
  /** Local nodes tombstoned (as memories) by this segment, ascending. */
  readonly tombstoned: Int32Array;
  /** Association tombstones: local from, local to, kind index (-1 = every kind). */
  readonly assocTombFrom: Int32Array;
  readonly assocTombTo: Int32Array;
  readonly assocTombKind: Int32Array;
}

const cache = new WeakMap<SegmentReader, SegmentGraph>();

/** The association columns of a reader (zero-copy). */
function columnsOf(reader: SegmentReader): AssociationColumns {
  return reader.associationColumns();
}

/** The reader's memory-tombstone id column (zero-copy). */
function tombstoneColumn(reader: SegmentReader): StringColumn {
  return reader.tombstoneIds();
}

/** The dense view of `reader`, built on first use and cached for the reader's lifetime. */
export function segmentGraph(reader: SegmentReader): SegmentGraph {
  let g = cache.get(reader);
  if (g === undefined) {
    g = buildSegmentGraph(reader);
    cache.set(reader, g);
  }
  return g;
}

function buildSegmentGraph(reader: SegmentReader): SegmentGraph {
  const a = columnsOf(reader);
  const A = reader.associationCount;
  const G = a.from.length;
  const T = reader.assocTombstoneCount;
  // 1. Number every id in first-seen order, decoding each distinct id once.
  const dict = new ByteDict();
  const groupNode = new Int32Array(G);
  for (let g = 0; g < G; g++) groupNode[g] = dict.internAt(a.from, g);
  const target = new Int32Array(A);
  for (let i = 0; i < A; i++) target[i] = dict.internAt(a.to, i);
  const tombs = tombstoneColumn(reader);
  const tombFirst = Array.from({ length: tombs.length }, (_, i) => dict.internAt(tombs, i));
  const atFrom = new Int32Array(T);
  const atTo = new Int32Array(T);
  const atKind = new Int32Array(T);
  for (let i = 0; i < T; i++) {
    atFrom[i] = dict.internAt(a.tFrom, i);
    atTo[i] = dict.internAt(a.tTo, i);
    const k = a.tKind[i] as number;
    atKind[i] = k === NULL_KIND ? -1 : k;
  }
  // 2. Sort the names (the G sources came first, already sorted); renumber everything in id order.
  const { names, jsOrdered, perm } = sortNames(dict.names, G);
  for (let i = 0; i < A; i++) target[i] = perm[target[i] as number] as number;
  for (let i = 0; i < T; i++) {
    atFrom[i] = perm[atFrom[i] as number] as number;
    atTo[i] = perm[atTo[i] as number] as number;
  }
  // 3. Node offsets: groups are sorted like the nodes, so edge ranges are monotone in node order.
  const n = names.length;
  const nodeOff = new Uint32Array(n + 1);
  const groupOf = new Int32Array(n).fill(-1);
  for (let g = 0; g < G; g++) groupOf[perm[groupNode[g] as number] as number] = g;
  let pos = 0;
  for (let u = 0; u < n; u++) {
    nodeOff[u] = pos;
    const g = groupOf[u] as number;
    if (g >= 0) pos = a.groupStart[g + 1] as number;
  }
  nodeOff[n] = pos;
  const tombstoned = Int32Array.from(tombFirst, (t) => perm[t] as number).sort();
  const kindNames: string[] = [];
  for (let k = 0; k < a.kinds.length; k++) kindNames.push(a.kindName(k));
  return {
    reader, names, jsOrdered, nodeOff, target, weight: a.weight, created: a.created, kind: a.kind, kindNames,
    tombstoned, assocTombFrom: atFrom, assocTombTo: atTo, assocTombKind: atKind,
  };
}
