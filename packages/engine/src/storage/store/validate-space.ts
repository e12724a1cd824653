/**
 * Validation and defaults for space configurations (docs/storage.md, "Spaces"): the name is an
 * identifier, dim 1–4096, a known metric, decay parameters in the ranges of docs/decay.md. The
 * space `default` uses the built-in text embedder's dimension (256), cosine, and ACT-R decay.
 */
import { MnemoError } from '@mnemo/native';
import type { DecayModel, HnswParams, SpaceConfig } from '../../model.js';
import { defaultDecayModel, validateDecayModel } from '../../cognitive/decay.js';
import type { SpaceInput } from './types.js';

export const DEFAULT_SPACE = 'default';
export const DEFAULT_DIM = 256;
export const DEFAULT_EMBEDDER = 'builtin:hash-ngram';
export const DEFAULT_HNSW: HnswParams = { M: 16, efConstruction: 200, efSearch: 64 };
export const MAX_DIM = 4096;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_\-.:]*$/;

function bad(message: string, details: Record<string, unknown> = {}): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', message, details);
}

export function validateSpaceName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name) || Buffer.byteLength(name) > 256) {
    throw bad(`invalid space name ${JSON.stringify(name)}: use letters, digits, _ - . : (starting with a letter or _), at most 256 bytes`);
  }
  return name;
}

function positive(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) throw bad(`${what} must be a finite number > 0, got ${String(x)}`);
  return x;
}

function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`${what} must be a finite number, got ${String(x)}`);
  return x;
}

/** Types and finiteness here; the ranges each model accepts are the decay module's (docs/decay.md). */
export function validateDecay(d: DecayModel): DecayModel {
  return validateDecayModel(normaliseDecay(d));
}

function normaliseDecay(d: DecayModel): DecayModel {
  switch (d?.model) {
    case 'none':
      return { model: 'none' };
    case 'exponential':
      return { model: 'exponential', halfLifeMs: positive(d.halfLifeMs, 'DECAY EXPONENTIAL half-life') };
    case 'power':
      return { model: 'power', d: positive(d.d, 'DECAY POWER d') };
    case 'actr': {
      const out: DecayModel = { model: 'actr', d: finite(d.d, 'DECAY ACTR d'), tau: finite(d.tau, 'DECAY ACTR tau'), s: positive(d.s, 'DECAY ACTR s') };
      if (d.c !== undefined) out.c = finite(d.c, 'DECAY ACTR c');
      if (d.alpha !== undefined) out.alpha = finite(d.alpha, 'DECAY ACTR alpha');
      return out;
    }
    default:
      throw bad(`unknown decay model ${JSON.stringify((d as { model?: unknown })?.model)}: use none, exponential, power or actr`);
  }
}

function validateHnsw(h: HnswParams): HnswParams {
  const int = (x: number, what: string, lo: number, hi: number): number => {
    if (!Number.isInteger(x) || x < lo || x > hi) throw bad(`${what} must be an integer in ${lo}..${hi}, got ${String(x)}`);
    return x;
  };
  return { M: int(h.M, 'HNSW M', 2, 256), efConstruction: int(h.efConstruction, 'HNSW efConstruction', 1, 10_000), efSearch: int(h.efSearch, 'HNSW efSearch', 1, 10_000) };
}

/** A complete, validated configuration from user input (throws INVALID_ARGUMENT). */
export function resolveSpaceConfig(input: SpaceInput, created: number): SpaceConfig {
  const name = validateSpaceName(input?.name);
  const dim = input.dim ?? DEFAULT_DIM;
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) throw bad(`space dimension must be an integer from 1 to ${MAX_DIM}, got ${String(dim)}`);
  const metric = input.metric ?? 'cosine';
  if (metric !== 'cosine' && metric !== 'l2' && metric !== 'dot') throw bad(`unknown metric ${JSON.stringify(metric)}: use cosine, l2 or dot`);
  const embedder = input.embedder ?? DEFAULT_EMBEDDER;
  if (typeof embedder !== 'string' || embedder.length === 0) throw bad('embedder must be a non-empty string');
  return { name, dim, metric, decay: validateDecay(input.decay ?? defaultDecayModel()), embedder, hnsw: validateHnsw(input.hnsw ?? DEFAULT_HNSW), created };
}
