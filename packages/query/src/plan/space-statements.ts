/**
 * Planners of the space statements (language.md §2 "Spaces"): CREATE SPACE (DIM 1..4096, METRIC,
 * DECAY, IF NOT EXISTS), DROP SPACE (IF EXISTS), USE SPACE (session default) and SHOW SPACES.
 * Space changes are not transactional: they are refused inside BEGIN … COMMIT.
 */
import { BUILTIN_EMBEDDER, BUILTIN_DIM } from '../embedder/index.js';
import { MnemoError, type SpaceConfig } from '@mnemo/engine';
import type { CreateSpace, DropSpace, UseSpace } from '../ast/index.js';
import { decayModelOf, decayText } from '../analyze/decay-spec.js';
import { bindSpace } from '../analyze/bind-space.js';
import { evalNumber, evalId } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { ActionOp } from '../ops/action.js';
import { planOf, type Plan } from './plan.js';

export const SPACE_COLUMNS = ['name', 'dim', 'metric', 'decay', 'embedder', 'memories'];

export function notInTransaction(ctx: ExecContext, what: string): void {
  if (ctx.inTransaction) {
    throw new MnemoError('TRANSACTION_ERROR', `${what} cannot run inside a transaction; COMMIT or ROLLBACK first`);
  }
}

export function spaceRow(ctx: ExecContext, s: SpaceConfig): Record<string, unknown> {
  return { name: s.name, dim: s.dim, metric: s.metric, decay: decayText(s.decay), embedder: s.embedder, memories: ctx.snap.count(s.name) };
}

export function planCreateSpace(ctx: ExecContext, s: CreateSpace): Plan {
  const name = evalId(s.name, ctx.params);
  const dim = s.dim === null ? BUILTIN_DIM : evalNumber(s.dim, ctx.params);
  if (!Number.isInteger(dim) || dim < 1 || dim > 4096) {
    throw new MnemoError('INVALID_ARGUMENT', `DIM must be an integer from 1 to 4096, got ${dim}`);
  }
  const input = {
    name, dim, metric: s.metric ?? 'cosine',
    embedder: ctx.core.hasHostEmbedder ? 'host' : BUILTIN_EMBEDDER,
    ...(s.decay !== null ? { decay: decayModelOf(s.decay, ctx.params) } : {}),
  };
  return planOf(new ActionOp('CreateSpace', `name=${name} dim=${dim} metric=${input.metric}`, async (c) => {
    notInTransaction(c, 'CREATE SPACE');
    if (s.ifNotExists && c.store.listSpaces().some((x) => x.name === name)) return [];
    const cfg = await c.store.createSpace(input);
    c.refresh();
    return [spaceRow(c, cfg)];
  }), SPACE_COLUMNS);
}

export function planDropSpace(ctx: ExecContext, s: DropSpace): Plan {
  const name = evalId(s.name, ctx.params);
  return planOf(new ActionOp('DropSpace', `name=${name}${s.ifExists ? ' if_exists' : ''}`, async (c) => {
    notInTransaction(c, 'DROP SPACE');
    const exists = c.store.listSpaces().some((x) => x.name === name);
    if (!exists && s.ifExists) return [];
    bindSpace(name, c.store.listSpaces());
    await c.store.dropSpace(name);
    if (c.session.space === name) c.session.space = 'default';
    c.refresh();
    return [{ name }];
  }), ['name']);
}

export function planUseSpace(ctx: ExecContext, s: UseSpace): Plan {
  return planOf(new ActionOp('UseSpace', `name=${evalId(s.name, ctx.params)}`, async (c) => {
    const space = c.space(s.name);
    c.session.space = space.name;
    return [spaceRow(c, space)];
  }), SPACE_COLUMNS);
}

export function planShowSpaces(): Plan {
  return planOf(new ActionOp('ShowSpaces', '', async (c) => {
    return [...c.snap.spaces()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => spaceRow(c, s));
  }), SPACE_COLUMNS);
}
