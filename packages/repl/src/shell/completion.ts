/**
 * Tab completion: dot commands at the start of a line, MQL keywords, space names (after SPACE),
 * and memory ids. Names come from providers that the shell refreshes from the database.
 */

export interface CompletionSource {
  keywords: readonly string[];
  dotCommands: readonly string[];
  spaces: () => string[];
  memoryIds: () => string[];
  /** Brings `spaces`/`memoryIds` up to date before a completion (called on Tab, not per statement). */
  prepare?: () => Promise<void>;
}

/** node:readline completer result: [candidates, the word being completed]. */
export function complete(line: string, src: CompletionSource): [string[], string] {
  const word = /[^\s,()[\]]*$/.exec(line)?.[0] ?? '';
  const before = line.slice(0, line.length - word.length);
  if (before.trim() === '' && word.startsWith('.')) return [src.dotCommands.filter((d) => d.startsWith(word)), word];
  const prev = /(\S+)\s+$/.exec(before)?.[1]?.toUpperCase();
  const lower = word.toLowerCase();
  if (prev === 'SPACE' || before.trim().startsWith('.schema') || before.trim().startsWith('.export')) {
    return [src.spaces().filter((s) => s.startsWith(word)).sort(), word];
  }
  const upper = word.toUpperCase();
  const keywords = word === '' ? [] : src.keywords.filter((k) => k.startsWith(upper));
  const casedKeywords = word !== '' && word === lower ? keywords.map((k) => k.toLowerCase()) : keywords;
  const ids = word === '' ? [] : src.memoryIds().filter((id) => id.startsWith(word));
  return [[...new Set([...casedKeywords, ...ids.sort()])], word];
}
