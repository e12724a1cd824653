/** Barrel of the engine's query-support helpers (small seams the query layer needs). */
export { storeJobs } from './store-jobs.js';
export type { StoreJobs } from './store-jobs.js';
