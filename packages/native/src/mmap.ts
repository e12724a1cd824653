/**
 * mapFile(path, opts?): a read-only view of a file range — zero-copy MAP_SHARED pages with the
 * addon, a heap copy in the fallback. Lifetime and safety rules: docs/native_api.md "Mappings".
 */
import { active } from './backend.js';
import type { Backend } from './types.js';

export const mapFile: Backend['mapFile'] = active.mapFile;
