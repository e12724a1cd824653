// Child for store-busy.test.ts: opens the store in argv[2] as the writer, writes one memory,
// prints `ready`, and keeps the store (and its lock) until its stdin closes.
import { openStore } from '@mnemo/engine';

const store = await openStore(process.argv[2]);
await store.write([{ op: 'remember', record: { id: 'held', space: 'default', content: 'written by the lock holder', embedding: new Float32Array(256), kind: 'episodic', created: 1 } }]);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await store.close();
  process.exit(0);
});
