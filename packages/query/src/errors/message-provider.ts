/**
 * The chevrotain error message provider. Chevrotain only passes a string from the provider to
 * the exception, so the provider encodes the structured facts (kind of error, the grammar's own
 * description of what was expected, expected token labels) as JSON; errors/parse-error.ts
 * decodes them and writes the English message (docs/mql_grammar.md §5).
 */
import type { IParserErrorMessageProvider, TokenType } from 'chevrotain';

export type ParseFailureKind = 'mismatch' | 'no-alternative' | 'trailing';

export interface EncodedFailure {
  kind: ParseFailureKind;
  /** The rule's own description (ERR_MSG), e.g. "a pattern". */
  description: string | null;
  /** Labels of the tokens that would have been valid, e.g. ["LIMIT", "';'"]. */
  expected: string[];
}

/** Human label of a token type: keywords by name, punctuation quoted, literals described. */
export function tokenLabel(type: TokenType): string {
  if (type.name === 'EOF') return 'end of input';
  return type.LABEL ?? type.name;
}

function firstTokens(paths: TokenType[][]): string[] {
  const labels: string[] = [];
  for (const path of paths) {
    const first = path[0];
    if (first !== undefined && !labels.includes(tokenLabel(first))) labels.push(tokenLabel(first));
  }
  return labels;
}

const encode = (f: EncodedFailure): string => JSON.stringify(f);

export const mqlErrorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) =>
    encode({ kind: 'mismatch', description: null, expected: [tokenLabel(expected)] }),
  buildNotAllInputParsedMessage: () => encode({ kind: 'trailing', description: null, expected: ["';'", 'end of input'] }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, customUserDescription }) =>
    encode({ kind: 'no-alternative', description: customUserDescription ?? null, expected: firstTokens(expectedPathsPerAlt.flat()) }),
  buildEarlyExitMessage: ({ expectedIterationPaths, customUserDescription }) =>
    encode({ kind: 'no-alternative', description: customUserDescription ?? null, expected: firstTokens(expectedIterationPaths) }),
};

/** Inverse of the provider's encoding (tolerates foreign messages). */
export function decodeFailure(message: string): EncodedFailure {
  try {
    const v = JSON.parse(message) as EncodedFailure;
    if (v && typeof v.kind === 'string' && Array.isArray(v.expected)) return v;
  } catch {
    // not one of ours: fall through
  }
  return { kind: 'mismatch', description: message, expected: [] };
}
