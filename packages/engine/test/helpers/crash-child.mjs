// Child process of the SIGKILL crash test (store-crash.test.ts): writes batches with `full`
// durability to the store in argv[2], starting at batch number argv[3], and prints `ack <k>` for
// every acknowledged batch (stdout to a pipe is synchronous on Linux, so a printed ack was really
// acknowledged before any kill). Every batch writes MEMBERS memories tagged with the batch number
// and edges between them; every few batches it flushes or compacts (printing `flush`/`compact`)
// so kills land inside those too. Uses the built package (@mnemo/engine dist/).
import { openStore } from '@mnemo/engine';

const [dir, startArg, seedArg] = process.argv.slice(2);
const MEMBERS = 4;
let seed = Number(seedArg) >>> 0 || 1;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const store = await openStore(dir, {
  durability: 'full',
  // MNEMO_CRASH_RECYCLE=n: WAL file recycling on (docs/durability.md "Recycling").
  walRecycleFiles: Number(process.env.MNEMO_CRASH_RECYCLE ?? 0),
  memtableBytes: 24 * 1024,
  compaction: { auto: true, minRun: 2, sizeRatio: 4 },
  clock: () => 1_700_000_000_000,
});
await store.createSpace({ name: 'crash', dim: 8 }).catch(() => undefined);
process.stdout.write('ready\n');

function batchOps(k) {
  const ops = [];
  for (let j = 0; j < MEMBERS; j++) {
    const embedding = new Float32Array(8).map(() => rand() - 0.5);
    ops.push({ op: 'remember', record: { id: `b${k}-${j}`, space: 'crash', content: `batch ${k} member ${j} `.repeat(8), embedding, kind: 'episodic', created: 1_600_000_000_000 + k, confidence: { lo: 0.5, hi: 1 }, meta: { batch: k } } });
  }
  for (let j = 1; j < MEMBERS; j++) {
    ops.push({ op: 'associate', space: 'crash', assoc: { from: `b${k}-0`, to: `b${k}-${j}`, kind: 'assoc', weight: j, confidence: { lo: 1, hi: 1 }, created: 1_600_000_000_000 + k } });
  }
  return ops;
}

for (let k = Number(startArg); ; k++) {
  // Two writers at once now and then, so group commit is exercised too.
  if (rand() < 0.2) {
    await Promise.all([store.write(batchOps(k)), store.write(batchOps(k + 1))]);
    process.stdout.write(`ack ${k}\nack ${k + 1}\n`);
    k++;
  } else {
    await store.write(batchOps(k));
    process.stdout.write(`ack ${k}\n`);
  }
  const r = rand();
  if (r < 0.08) {
    process.stdout.write('flush\n');
    await store.flush();
  } else if (r < 0.12) {
    process.stdout.write('compact\n');
    await store.compact('crash');
  }
}
