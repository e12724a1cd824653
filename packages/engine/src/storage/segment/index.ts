/**
 * Public surface of the columnar segment module (docs/segment_format.md): writer, reader,
 * merge, content types. The storage barrel re-exports what the engine needs from here.
 */
export { writeSegment } from './write-segment.js';
export type { WriteSegmentOptions } from './write-segment.js';
export { openSegment } from './open-segment.js';
export { SegmentReader } from './segment-reader.js';
export type { DecayColumns } from './decay-columns.js';
export type { Expect as SegmentExpect } from './parse-file.js';
export { normalizeContent } from './content.js';
export type { AssocTombstone, DecayUpdate, SegmentContent, SegmentFileInfo, SegmentRow } from './content.js';
export { compareIds, compareAssocKeys } from './id-order.js';
export { SEGMENT_FILE_NAME } from './layout.js';
export { mergeSegments, mergeContents } from './merge.js';
export type { MergeOptions } from './merge.js';
export { planMerge, isPlanned, rowCount } from './merge-plan.js';
export type { PlannedContent } from './merge-plan.js';
export { MAX_FLUSH_BLOCKS, blockLayout, blockViews, planMemRows, BLOCK_K } from './column-block.js';
export type { BlockDescriptor, BlockViews, MemRows, MemRowsContent } from './column-block.js';
export { decayAt } from './decay-columns.js';
export { packMeta } from './meta-pack.js';
export { copyEmbedding } from './embedding-copy.js';
