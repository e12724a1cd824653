/**
 * The order in which each statement's clauses must be written (docs/mql_grammar.md §2), used
 * to explain "found WHERE" after LIMIT as an ordering mistake rather than a typo.
 */

export const CLAUSE_ORDER: Readonly<Record<string, readonly string[]>> = {
  CREATE: ['DIM', 'METRIC', 'DECAY', 'IF NOT EXISTS'],
  REMEMBER: ['AS', 'EMBEDDING', 'CONFIDENCE', 'AT', 'KIND', 'META', 'IN SPACE'],
  ASSOCIATE: ['WITH', 'KIND', 'WEIGHT', 'CONFIDENCE', 'BIDIRECTIONAL', 'IN SPACE'],
  DISSOCIATE: ['FROM', 'KIND', 'IN SPACE'],
  REINFORCE: ['TIMES', 'AT', 'IN SPACE'],
  RECALL: ['THRESHOLD', 'IN SPACE', 'WHERE', 'CONFIDENCE', 'AS OF', 'KNOWN AS OF', 'ORDER BY', 'LIMIT', 'NO REINFORCE'],
  SPREAD: ['FROM', 'IN SPACE', 'MAX_HOPS', 'DECAY', 'THRESHOLD', 'LIMIT'],
  PREDICT: ['GIVEN', 'IN SPACE', 'HORIZON', 'CONFIDENCE', 'LIMIT'],
  IMAGINE: ['IN SPACE', 'BASED ON', 'NOVELTY', 'CONFIDENCE', 'LIMIT'],
  CONSOLIDATE: ['WHERE', 'IN SPACE', 'INTO', 'SIMILARITY', 'MIN_SIZE', 'SCHEDULER'],
};

/**
 * When `keyword` starts a clause of `statement` that is not valid where it was found, a hint
 * listing the clause order; otherwise null.
 */
export function clauseOrderHint(statement: string, keyword: string): string | null {
  const clauses = CLAUSE_ORDER[statement];
  if (!clauses || !clauses.some((c) => c.split(' ')[0] === keyword)) return null;
  return `${statement} clauses go in this order: ${clauses.join(', ')}`;
}
