/**
 * Binding a space name (IN SPACE, USE SPACE, the session default) to its configuration:
 * UNKNOWN_SPACE with a "did you mean" when the name is close to an existing space.
 */
import { MnemoError, type SpaceConfig } from '@mnemo/engine';
import { damerauLevenshtein } from '../errors/did-you-mean.js';

export function suggestName(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const n of [...names].sort()) {
    const d = damerauLevenshtein(name.toLowerCase(), n.toLowerCase());
    if (d <= bestD && (best === null || d < bestD)) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

export function bindSpace(name: string, spaces: readonly SpaceConfig[]): SpaceConfig {
  const found = spaces.find((s) => s.name === name);
  if (found) return found;
  const guess = suggestName(name, spaces.map((s) => s.name));
  const hint = guess !== null ? `; did you mean '${guess}'?` : `; existing spaces: ${spaces.map((s) => s.name).sort().join(', ')}`;
  throw new MnemoError('UNKNOWN_SPACE', `no space named '${name}'${hint} (CREATE SPACE ${name} makes one)`, { space: name });
}
