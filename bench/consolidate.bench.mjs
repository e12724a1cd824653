/**
 * CONSOLIDATE clustering benchmark (testing.md; docs/graph.md §6, cognition.md "CONSOLIDATE").
 * N seeded 128-d episodes: planted topic clusters (10..70 members each, member = unit(topic + 0.4·g),
 * pairwise cosine ≈ 0.86) plus 20% uniform noise. They are written to a Mnemo store (durability
 * 'off', HNSW built beside every segment by the index build hooks), then clustered the way the
 * query layer's CONSOLIDATE does above 2 000 episodes: clusterEpisodes (SIMILARITY 0.8, MIN_SIZE 3)
 * with each episode's neighbourhood = its 32 nearest episodic memories from searchVectors (HNSW
 * per segment + exact memtable). Reported: time, peak RSS, clusters found vs planted, how exactly
 * they match, and — on a subset small enough for exhaustive pairs — agreement with the brute-force
 * clustering. Full: N = 100,000; quick: 20,000.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SegmentIndexCache, clusterEpisodes, indexBuildHooks, openStore, searchVectors, seededRandom as rng } from '@mnemo/engine';

const DIM = 128;
const SPACE = 'episodes';
const SIMILARITY = 0.8;
const MIN_SIZE = 3;
const NEIGHBOURS = 32;
const NOISE_FRACTION = 0.2;
const SPREAD = 0.4;

function gauss(r) {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function unit(v) {
  let s = 0;
  for (const x of v) s += x * x;
  const k = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= k;
  return v;
}

/** Episodes in a seeded shuffled order: { id, embedding, topic (−1 = noise) }. */
function makeEpisodes(n, seed) {
  const r = rng(seed);
  const out = [];
  let topic = 0;
  const clustered = Math.round(n * (1 - NOISE_FRACTION));
  while (out.length < clustered) {
    const size = Math.min(clustered - out.length, 10 + Math.floor(r() * 61));
    const c = unit(Float32Array.from({ length: DIM }, () => gauss(r)));
    for (let m = 0; m < size; m++) {
      const e = Float32Array.from(c, (x) => x + (SPREAD / Math.sqrt(DIM)) * gauss(r));
      out.push({ embedding: unit(e), topic });
    }
    topic++;
  }
  while (out.length < n) out.push({ embedding: unit(Float32Array.from({ length: DIM }, () => gauss(r))), topic: -1 });
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  out.forEach((e, i) => (e.id = `e${String(i).padStart(7, '0')}`));
  return { episodes: out, topics: topic };
}

/** How the found clusters relate to the planted topics. */
function score(clusters, topicOf) {
  let exact = 0;
  let pure = 0;
  let noiseIn = 0;
  const sizes = new Map();
  for (const t of topicOf.values()) if (t >= 0) sizes.set(t, (sizes.get(t) ?? 0) + 1);
  const covered = new Set();
  for (const c of clusters) {
    const topics = new Set(c.ids.map((id) => topicOf.get(id)));
    noiseIn += c.ids.filter((id) => topicOf.get(id) === -1).length;
    if (topics.size === 1 && !topics.has(-1)) {
      pure++;
      const t = [...topics][0];
      covered.add(t);
      if (sizes.get(t) === c.ids.length) exact++;
    }
  }
  const planted = [...sizes.values()].filter((k) => k >= MIN_SIZE).length;
  return { found: clusters.length, planted, exact, pure, covered: covered.size, noiseIn };
}

const mib = (kb) => (kb / 1024).toFixed(0);
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');

function cpuSec(c) {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
}

/** A store holding `episodes` (flushed; HNSW per segment) and its space config. */
async function episodeStore(dir, episodes) {
  let spaceCfg;
  const store = await openStore(dir, { durability: 'off', compaction: { auto: false }, hooks: indexBuildHooks(() => spaceCfg) });
  spaceCfg = await store.createSpace({ name: SPACE, dim: DIM });
  for (let s = 0; s < episodes.length; s += 5_000) {
    await store.write(episodes.slice(s, s + 5_000).map((e) => ({
      op: 'remember', record: { id: e.id, space: SPACE, content: `episode ${e.id}`, embedding: e.embedding, kind: 'episodic', created: 1, confidence: { lo: 1, hi: 1 }, meta: null },
    })));
  }
  await store.flush();
  return { store, spaceCfg };
}

/** CONSOLIDATE's clustering with index neighbourhoods (as packages/query ops/consolidate.ts). */
function clusterViaIndex(snap, spaceCfg, cache) {
  const items = [...snap.scan(SPACE)].filter((m) => m.kind === 'episodic');
  const index = new Map(items.map((m, i) => [m.id, i]));
  let searches = 0;
  const neighbors = (i) => {
    searches++;
    return searchVectors(snap, spaceCfg, items[i].embedding, { k: NEIGHBOURS, filter: (row) => row.kind === 'episodic' }, cache)
      .flatMap((h) => (index.has(h.id) ? [index.get(h.id)] : []));
  };
  const clusters = clusterEpisodes(items, { similarity: SIMILARITY, minSize: MIN_SIZE, neighbors }, spaceCfg.metric);
  return { items, clusters, searches };
}

export async function run({ quick }) {
  const n = quick ? 20_000 : 100_000;
  const subset = quick ? 5_000 : 15_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-consolidate-bench-'));
  const { episodes, topics } = makeEpisodes(n, 7);
  const topicOf = new Map(episodes.map((e) => [e.id, e.topic]));
  let store;
  let small;
  try {
    let t = performance.now();
    let c = process.cpuUsage();
    const built = await episodeStore(path.join(tmp, 'all'), episodes);
    store = built.store;
    const spaceCfg = built.spaceCfg;
    const ingest = { wall: (performance.now() - t) / 1000, cpu: cpuSec(c) };
    const segments = store.stats().spaces.find((x) => x.name === SPACE)?.segments ?? 0;
    process.stderr.write(`consolidate: ${n} episodes in ${segments} segments (${ingest.wall.toFixed(1)} s), clustering...\n`);

    const snap = store.snapshot();
    const cache = new SegmentIndexCache(true);
    const rssBefore = process.resourceUsage().maxRSS;
    t = performance.now();
    c = process.cpuUsage();
    const { clusters, searches } = clusterViaIndex(snap, spaceCfg, cache);
    const cluster = { wall: (performance.now() - t) / 1000, cpu: cpuSec(c) };
    const peak = process.resourceUsage().maxRSS;
    const s = score(clusters, topicOf);
    snap.release();
    cache.closeAll();

    // Exhaustive pairs vs index neighbourhoods on the first `subset` episodes (by id), in their own store.
    process.stderr.write(`consolidate: brute-force check on ${subset} episodes...\n`);
    const subEpisodes = [...episodes].sort((x, y) => (x.id < y.id ? -1 : 1)).slice(0, subset);
    small = await episodeStore(path.join(tmp, 'subset'), subEpisodes);
    const subSnap = small.store.snapshot();
    const subCache = new SegmentIndexCache(true);
    t = performance.now();
    const viaIndex = clusterViaIndex(subSnap, small.spaceCfg, subCache).clusters;
    const indexSec = (performance.now() - t) / 1000;
    const sub = [...subSnap.scan(SPACE)];
    t = performance.now();
    const brute = clusterEpisodes(sub, { similarity: SIMILARITY, minSize: MIN_SIZE }, small.spaceCfg.metric);
    const bruteSec = (performance.now() - t) / 1000;
    subSnap.release();
    subCache.closeAll();
    const key = (cl) => cl.map((x) => x.ids.join(',')).sort().join('|');
    const same = key(brute) === key(viaIndex);
    const bruteSet = new Set(brute.map((x) => x.ids.join(',')));
    const shared = viaIndex.filter((x) => bruteSet.has(x.ids.join(','))).length;

    const plantedSub = new Set(subEpisodes.map((m) => m.topic).filter((x) => x >= 0));
    return [
      '### CONSOLIDATE clustering over the vector index',
      '',
      `${n.toLocaleString('en-US')} episodes, ${DIM}-d, seeded: ${topics} planted topics of 10..70 members (member = unit(topic + ${SPREAD}·g/√d), pairwise cosine ≈ 0.86) + ${NOISE_FRACTION * 100}% uniform noise; ids shuffled.`,
      `clusterEpisodes(SIMILARITY ${SIMILARITY}, MIN_SIZE ${MIN_SIZE}) with neighbourhoods = the ${NEIGHBOURS} nearest episodic memories by \`searchVectors\` (per-segment HNSW M=16, efConstruction=200, efSearch=64; exactly what the query layer's CONSOLIDATE does above 2 000 episodes).`,
      `Load average (1/5/15 min) at the end: ${load()} on ${os.cpus().length} CPUs; CPU is process CPU time.`,
      '',
      '| phase | wall s | CPU s |',
      '|---|---|---|',
      `| write ${n.toLocaleString('en-US')} episodes + flush (HNSW built per segment, ${segments} segments) | ${ingest.wall.toFixed(1)} | ${ingest.cpu.toFixed(1)} |`,
      `| clustering: scan + ${searches.toLocaleString('en-US')} index searches + clusterEpisodes | ${cluster.wall.toFixed(1)} | ${cluster.cpu.toFixed(1)} |`,
      '',
      `Peak RSS: ${mib(rssBefore)} MiB before clustering, ${mib(peak)} MiB after (process peak, includes the store and its indexes).`,
      '',
      '| clusters | count |',
      '|---|---|',
      `| planted topics (≥ MIN_SIZE members) | ${s.planted} |`,
      `| found | ${s.found} |`,
      `| found that are pure (one topic, no noise) | ${s.pure} |`,
      `| found equal to a whole planted topic | ${s.exact} |`,
      `| planted topics recovered by some pure cluster | ${s.covered} |`,
      `| noise episodes put into a cluster | ${s.noiseIn} of ${Math.round(n * NOISE_FRACTION)} |`,
      '',
      `Exhaustive check on the first ${subset.toLocaleString('en-US')} episodes (by id; ${plantedSub.size} topics touched; own store and index): brute-force pairs found ${brute.length} clusters in ${bruteSec.toFixed(1)} s, index neighbourhoods ${viaIndex.length} in ${indexSec.toFixed(1)} s; ${shared} identical clusters; ${same ? 'the two clusterings are identical' : 'the clusterings differ'}.`,
      '',
    ].join('\n');
  } finally {
    if (store) await store.close();
    if (small) await small.store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
