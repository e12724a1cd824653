/**
 * Dispatch from a statement node to its planner (one planner per statement kind). EXPLAIN,
 * PROFILE and the transaction statements are handled by the executor, not planned.
 */
import { MnemoError } from '@mnemo/engine';
import type { Statement } from '../ast/index.js';
import type { ExecContext } from '../exec/context.js';
import { planBackup, planCheckpoint, planCompact } from './admin.js';
import { planAssociate, planDissociate } from './associate.js';
import { planDescribe, planShowStats } from './describe.js';
import { planForget } from './forget.js';
import type { MaybePromise } from '../ops/op.js';
import type { Plan } from './plan.js';
import { planRecall } from './recall.js';
import { planReinforce } from './reinforce.js';
import { planRemember } from './remember.js';
import { planSpread } from './spread.js';
import { planImagine, planPredict } from './predict.js';
import { planConsolidate } from './consolidate.js';
import { planCreateSpace, planDropSpace, planShowSpaces, planUseSpace } from './space-statements.js';

/** Synchronous for the statements whose planning waits for nothing (e.g. RECALL of ids or vectors). */
export function planStatement(ctx: ExecContext, s: Statement): MaybePromise<Plan> {
  switch (s.kind) {
    case 'CreateSpace': return planCreateSpace(ctx, s);
    case 'DropSpace': return planDropSpace(ctx, s);
    case 'UseSpace': return planUseSpace(ctx, s);
    case 'ShowSpaces': return planShowSpaces();
    case 'ShowStats': return planShowStats(ctx, s);
    case 'Describe': return planDescribe(ctx, s);
    case 'Remember': return planRemember(ctx, s);
    case 'Associate': return planAssociate(ctx, s);
    case 'Dissociate': return planDissociate(ctx, s);
    case 'Reinforce': return planReinforce(ctx, s);
    case 'Forget': return planForget(ctx, s);
    case 'Recall': return planRecall(ctx, s);
    case 'Spread': return planSpread(ctx, s);
    case 'Predict': return planPredict(ctx, s);
    case 'Imagine': return planImagine(ctx, s);
    case 'Consolidate': return planConsolidate(ctx, s);
    case 'Checkpoint': return planCheckpoint();
    case 'Compact': return planCompact(ctx, s);
    case 'Backup': return planBackup(ctx, s);
    default:
      throw new MnemoError('INVALID_ARGUMENT', `${s.kind} cannot be planned (EXPLAIN/PROFILE take a statement, not a transaction command)`);
  }
}
