/**
 * Running one parsed statement in a session: transactions (BEGIN buffers every write of the
 * session; COMMIT sends them as ONE engine batch; ROLLBACK drops them), EXPLAIN (plan rows, not
 * run), PROFILE (run with per-operator figures and candidate parts), and everything else
 * (plan, run, result set). Reads inside a transaction see the committed state, not the
 * transaction's own buffered writes (docs/mql_reference.md §"Transactions").
 */
import { MnemoError } from '@mnemo/engine';
import type { Statement } from '../ast/index.js';
import type { Params, ResultSet, Row } from '../api/result.js';
import { andThen, pull, type MaybePromise } from '../ops/op.js';
import type { Plan } from '../plan/plan.js';
import { planStatement } from '../plan/plan-statement.js';
import { ExecContext, type DbCore, type Session } from './context.js';
import { PROFILE_COLUMNS, profileRows } from './profile-rows.js';
import { EXPLAIN_COLUMNS, explainRows } from './render-plan.js';
import { resultOf, statsOf } from './result-objects.js';

export interface RunOptions {
  params: Params | undefined;
  signal: AbortSignal | undefined;
}

function result(columns: string[], rows: Row[], ctx: ExecContext, kind: string, t0: number): ResultSet {
  const stats = statsOf(rows.length, performance.now() - t0, kind);
  const ids = ctx.writtenIds();
  if (ids !== null) stats.ids = ids;
  if (ctx.writeCount > 0) stats.writes = ctx.writeCount;
  if (ctx.session.tx !== null) stats.inTransaction = true;
  if (ctx.completion !== null) stats.completion = ctx.completion;
  return resultOf(columns, rows, stats);
}

async function transaction(ctx: ExecContext, s: Statement, t0: number): Promise<ResultSet> {
  const session = ctx.session;
  if (s.kind === 'Begin') {
    if (session.tx !== null) throw new MnemoError('TRANSACTION_ERROR', 'a transaction is already open; COMMIT or ROLLBACK it first');
    session.tx = [];
    return result(['ok'], [{ ok: true }], ctx, s.kind, t0);
  }
  if (session.tx === null) throw new MnemoError('TRANSACTION_ERROR', `${s.kind.toUpperCase()} without BEGIN`);
  const ops = session.tx;
  session.tx = null;
  if (s.kind === 'Rollback') return result(['ok', 'discarded'], [{ ok: true, discarded: ops.length }], ctx, s.kind, t0);
  const r = ops.length > 0 ? await ctx.store.write(ops) : { ids: [] as string[] };
  ctx.recordWrites(r.ids, ops.length);
  return result(['ok', 'writes'], [{ ok: true, writes: ops.length }], ctx, s.kind, t0);
}

/**
 * Runs one statement. Synchronous when nothing in it waits (a RECALL of ids or a vector whose
 * indexes are loaded): no promise is made, so a prepared read costs no event-loop turn.
 */
export function executeStatement(core: DbCore, session: Session, s: Statement, o: RunOptions): MaybePromise<ResultSet> {
  const ctx = new ExecContext(core, session, o.params, core.clock(), o.signal, s.kind === 'Profile');
  let out: MaybePromise<ResultSet>;
  try {
    out = dispatch(ctx, s);
  } catch (e) {
    ctx.release();
    throw e;
  }
  if (out instanceof Promise) return out.finally(() => ctx.release());
  ctx.release();
  return out;
}

function dispatch(ctx: ExecContext, s: Statement): MaybePromise<ResultSet> {
  const t0 = ctx.started;
  if (s.kind === 'Begin' || s.kind === 'Commit' || s.kind === 'Rollback') return transaction(ctx, s, t0);
  if (s.kind === 'Explain') {
    return andThen(planStatement(ctx, s.statement), (plan) => result(EXPLAIN_COLUMNS, explainRows(plan.root, ctx), ctx, s.kind, t0));
  }
  if (s.kind === 'Profile') return profile(ctx, s.statement, t0);
  const plan = planStatement(ctx, s);
  if (!(plan instanceof Promise)) return runPlan(ctx, plan, s.kind);
  return plan.then((p) => {
    ctx.checkTime(); // planning waited (an embedder): the time it took counts
    return runPlan(ctx, p, s.kind);
  });
}

/** Pulls the plan's rows into a result; no closure unless the plan waits for something. */
function runPlan(ctx: ExecContext, plan: Plan, kind: string): MaybePromise<ResultSet> {
  // a copy: a reused plan's columns are shared by its runs, a result's are the caller's
  const columns = plan.columns.slice();
  const rows = pull(ctx, plan.root);
  return rows instanceof Promise
    ? rows.then((r) => result(columns, r, ctx, kind, ctx.started))
    : result(columns, rows, ctx, kind, ctx.started);
}

async function profile(ctx: ExecContext, s: Statement, t0: number): Promise<ResultSet> {
  const plan = await planStatement(ctx, s);
  ctx.checkTime();
  const rows = await pull(ctx, plan.root);
  const out = profileRows(plan.root, ctx);
  if (ctx.returned.length === 0 && rows.length > 0) out.push(...rows.map((r) => ({ section: 'result', ...r })));
  return result(PROFILE_COLUMNS, out, ctx, 'Profile', t0);
}
