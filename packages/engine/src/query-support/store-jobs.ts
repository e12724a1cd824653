/**
 * Scheduled-job passthrough for the query layer (CONSOLIDATE ... SCHEDULER): the Store interface
 * does not expose the catalog's jobs table, so this reaches it through the concrete MnemoStore.
 * Jobs live in catalog.db (docs/storage.md) and so survive reopen; dropping a space drops its jobs.
 */
import { MnemoError } from '@mnemo/native';
import type { JobPatch, JobRow, NewJob } from '../storage/catalog/index.js';
import { MnemoStore } from '../storage/store/store.js';
import type { Store } from '../storage/store/types.js';

export interface StoreJobs {
  add(job: NewJob): number;
  list(): JobRow[];
  update(id: number, patch: JobPatch): boolean;
  remove(id: number): boolean;
}

export function storeJobs(store: Store): StoreJobs {
  if (!(store instanceof MnemoStore)) throw new MnemoError('NOT_SUPPORTED', 'scheduled jobs need a store opened with openStore()');
  const catalog = store.parts.catalog;
  const writable = (): void => {
    if (store.readOnly) throw new MnemoError('READ_ONLY', 'the database is open read-only; scheduled jobs cannot change');
  };
  return {
    add: (job) => (writable(), catalog.addJob(job)),
    list: () => catalog.listJobs(),
    update: (id, patch) => (writable(), catalog.updateJob(id, patch)),
    remove: (id) => (writable(), catalog.removeJob(id)),
  };
}
