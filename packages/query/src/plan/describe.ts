/**
 * Planners of DESCRIBE id (one row: the memory's columns at NOW plus `embedding` (Float32Array),
 * `meta`, `recorded`, the decay parts and its outgoing associations) and SHOW STATS [FOR SPACE].
 */
import { MnemoError } from '@mnemo/engine';
import type { Describe, ShowStats } from '../ast/index.js';
import { isoTime } from '../analyze/time.js';
import { evalId } from '../analyze/values.js';
import { ActionOp } from '../ops/action.js';
import { candidate } from '../ops/candidate.js';
import { scoreCandidate } from '../ops/decay-score.js';
import { MEMORY_COLUMNS, memoryRow } from '../ops/project.js';
import type { ExecContext } from '../exec/context.js';
import { planOf, type Plan } from './plan.js';

export const DESCRIBE_COLUMNS = [...MEMORY_COLUMNS, 'embedding', 'recorded', 'space', 'base_level', 'decay_model', 'associations'];

export function planDescribe(ctx: ExecContext, s: Describe): Plan {
  const id = evalId(s.id, ctx.params);
  return planOf(new ActionOp('Describe', `id=${id}`, async (c) => {
    const space = c.space(s.space);
    const rec = c.snap.get(space.name, id);
    if (rec === undefined) {
      throw new MnemoError('UNKNOWN_MEMORY', `no memory '${id}' in space '${space.name}' (RECALL * lists the ids)`, { space: space.name, id });
    }
    const cand = candidate(rec);
    scoreCandidate(cand, c.now, space.decay);
    const assoc = c.snap.associationsFrom(space.name, id).map((a) => ({
      to: a.to, kind: a.kind, weight: a.weight, confidence: [a.confidence.lo, a.confidence.hi],
    }));
    return [{
      ...memoryRow(cand), embedding: rec.embedding, recorded: isoTime(rec.recorded), space: space.name,
      base_level: cand.decay?.baseLevel ?? null, decay_model: space.decay.model, associations: assoc,
    }];
  }), DESCRIBE_COLUMNS);
}

export const STATS_COLUMNS = ['name', 'value'];

export function planShowStats(ctx: ExecContext, s: ShowStats): Plan {
  const spaceName = s.space === null ? null : evalId(s.space, ctx.params);
  return planOf(new ActionOp('ShowStats', spaceName === null ? 'store' : `space=${spaceName}`, async (c) => {
    const st = c.store.stats();
    if (spaceName !== null) {
      const space = c.space(s.space);
      const sp = st.spaces.find((x) => x.name === space.name);
      return [
        { name: 'space', value: space.name },
        { name: 'memories', value: c.snap.count(space.name) },
        { name: 'segments', value: sp?.segments ?? 0 },
        { name: 'segment_rows', value: sp?.segmentRows ?? 0 },
        { name: 'segment_bytes', value: sp?.segmentBytes ?? 0 },
        { name: 'memtable_ops', value: sp?.memtableOps ?? 0 },
      ];
    }
    return [
      { name: 'dir', value: st.dir },
      { name: 'read_only', value: st.readOnly },
      { name: 'durability', value: st.durability },
      { name: 'last_lsn', value: st.lastLsn },
      { name: 'checkpoint_lsn', value: st.checkpointLsn },
      { name: 'memtable_bytes', value: st.memtableBytes },
      { name: 'memtable_ops', value: st.memtableOps },
      { name: 'flushes', value: st.flushes },
      { name: 'compactions', value: st.compactions },
      { name: 'spaces', value: st.spaces.length },
      { name: 'memories', value: c.snap.spaces().reduce((n, sp) => n + c.snap.count(sp.name), 0) },
    ];
  }), STATS_COLUMNS);
}
