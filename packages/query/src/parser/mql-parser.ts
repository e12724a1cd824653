/**
 * The MQL parser: the complete grammar (rules inherited from the *-rules.ts files) plus the
 * top-level `script` and `statement` rules. ONE instance, self-analysed once at module load and
 * reused for every parse (chevrotain's guidance). See docs/mql_grammar.md §2.
 */
import { K } from '../lexer/keywords.js';
import { Semicolon } from '../lexer/tokens.js';
import { mqlErrorMessageProvider } from '../errors/message-provider.js';
import { ReadRules } from './read-rules.js';

export class MqlParser extends ReadRules {
  constructor() {
    super({ nodeLocationTracking: 'full', recoveryEnabled: false, errorMessageProvider: mqlErrorMessageProvider });
    this.performSelfAnalysis();
  }

  /** statement? (';' statement?)* — empty statements are allowed and dropped. */
  readonly script = this.RULE('script', () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.CONSUME(Semicolon);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  /** [EXPLAIN | PROFILE] inner statement */
  readonly statement = this.RULE('statement', () => {
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(K.EXPLAIN) }, { ALT: () => this.CONSUME(K.PROFILE) }]);
    });
    this.SUBRULE(this.innerStatement);
  });

  readonly innerStatement = this.RULE('innerStatement', () => {
    this.OR({ ERR_MSG: 'a statement', DEF: [
      { ALT: () => this.SUBRULE(this.recall) },
      { ALT: () => this.SUBRULE(this.remember) },
      { ALT: () => this.SUBRULE(this.spread) },
      { ALT: () => this.SUBRULE(this.predict) },
      { ALT: () => this.SUBRULE(this.imagine) },
      { ALT: () => this.SUBRULE(this.consolidate) },
      { ALT: () => this.SUBRULE(this.associate) },
      { ALT: () => this.SUBRULE(this.dissociate) },
      { ALT: () => this.SUBRULE(this.reinforce) },
      { ALT: () => this.SUBRULE(this.forget) },
      { ALT: () => this.SUBRULE(this.createSpace) },
      { ALT: () => this.SUBRULE(this.dropSpace) },
      { ALT: () => this.SUBRULE(this.useSpace) },
      { ALT: () => this.SUBRULE(this.show) },
      { ALT: () => this.SUBRULE(this.describe) },
      { ALT: () => this.SUBRULE(this.utility) },
    ] });
  });
}

/** The one parser instance. Not re-entrant: parse() sets `input` and runs to completion. */
export const mqlParser = new MqlParser();
