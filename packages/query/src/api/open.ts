/**
 * `open(dir, options?)`: opens (creating if missing) a Mnemo database and returns a Database
 * (host API, language.md §6): the engine store with the HNSW build hooks, the injected clock,
 * limits, the embedder, and the background scheduler of CONSOLIDATE jobs.
 */
import { indexBuildHooks, openStore, type SpaceConfig, type Store } from '@mnemo/engine';
import { Database } from './database.js';
import { DEFAULT_LIMITS, type OpenOptions } from './options.js';
import { CatalogJobs } from '../exec/jobs.js';

export async function open(dir: string, options: OpenOptions = {}): Promise<Database> {
  const clock = options.clock ?? Date.now;
  let store: Store | null = null;
  let db: Database | null = null;
  const getSpace = (name: string): SpaceConfig => (store as Store).getSpace(name);
  let built = 0;
  const onBuilt = (): void => {
    built++;
    db?.progress?.({ task: 'index build', done: built, total: 0 }); // total unknown: a counter
  };
  store = await openStore(dir, {
    durability: options.durability ?? 'full',
    readOnly: options.readOnly === true,
    clock,
    hooks: indexBuildHooks(getSpace, onBuilt),
    ...(options.compaction ? { compaction: options.compaction } : {}),
    ...(options.memtableBytes !== undefined ? { memtableBytes: options.memtableBytes } : {}),
  });
  const limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const jobs = new CatalogJobs(store, clock);
  db = new Database(store, clock, limits, options.embedder, jobs);
  db.scheduler = jobs;
  jobs.attach(db, options.schedulerPollMs ?? 60_000, options.readOnly === true);
  return db;
}
