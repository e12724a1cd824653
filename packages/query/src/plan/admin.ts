/**
 * Planners of the utility statements CHECKPOINT, COMPACT [SPACE name] and BACKUP TO 'dir'
 * (engine passthroughs; refused inside a transaction).
 */
import type { Backup, Compact } from '../ast/index.js';
import { evalString } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { ActionOp } from '../ops/action.js';
import { planOf, type Plan } from './plan.js';
import { notInTransaction } from './space-statements.js';

export function planCheckpoint(): Plan {
  return planOf(new ActionOp('Checkpoint', '', async (c) => {
    notInTransaction(c, 'CHECKPOINT');
    await c.store.checkpoint();
    c.refresh();
    return [{ ok: true, lsn: c.store.stats().checkpointLsn }];
  }), ['ok', 'lsn']);
}

export function planCompact(ctx: ExecContext, s: Compact): Plan {
  const detail = s.space === null ? 'all spaces' : `space=${ctx.space(s.space).name}`;
  return planOf(new ActionOp('Compact', detail, async (c) => {
    notInTransaction(c, 'COMPACT');
    const space = s.space === null ? undefined : c.space(s.space).name;
    c.reportProgress('compact', 0, 2);
    await c.store.flush();
    c.reportProgress('compact', 1, 2);
    await c.store.compact(space);
    c.reportProgress('compact', 2, 2);
    c.refresh();
    return [{ ok: true, space: space ?? null }];
  }), ['ok', 'space']);
}

export function planBackup(ctx: ExecContext, s: Backup): Plan {
  const dir = evalString(s.dir, ctx.params);
  return planOf(new ActionOp('Backup', `to=${dir}`, async (c) => {
    notInTransaction(c, 'BACKUP');
    await c.store.backup(dir);
    return [{ ok: true, dir }];
  }), ['ok', 'dir']);
}
