/**
 * The one way a segment reader reports a bad file: MnemoError CORRUPTION naming the file and,
 * when known, the section (and for a lazily verified block, the block) — docs/segment_format.md §4.
 */
import { MnemoError } from '@mnemo/native';
import { sectionName } from './layout.js';

/** `where`: a section id, or a part name such as 'header', 'trailer', 'directory'. */
export function corruption(path: string, where: number | string, message: string, extra: Record<string, unknown> = {}): MnemoError {
  const section = typeof where === 'number' ? `section '${sectionName(where)}' (id ${where})` : where;
  return new MnemoError('CORRUPTION', `segment ${path}: ${section}: ${message}`, {
    path,
    section: typeof where === 'number' ? sectionName(where) : where,
    ...extra,
  });
}
