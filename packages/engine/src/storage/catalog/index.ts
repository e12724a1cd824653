/** Barrel of the catalog (catalog.db: spaces, live segments, checkpoint, jobs, settings). */
export { Catalog, type CatalogOptions } from './catalog.js';
export type { SegmentRow, JobRow, NewJob, JobPatch, SegmentCommit } from './catalog-types.js';
export { MIGRATIONS, migrate, type Migration } from './migrations.js';
