/**
 * Grammar rules for WHERE conditions: OR of ANDs of NOT* primaries; a primary is a
 * parenthesised condition or a predicate on a field (docs/mql_grammar.md §2.3).
 * NOT is a repetition, not recursion, so `NOT NOT … x` cannot grow the parser's stack.
 */
import type { IParserConfig } from 'chevrotain';
import { K } from '../lexer/keywords.js';
import { Comma, CompareOp, Identifier, LParen, RParen } from '../lexer/tokens.js';
import { ValueRules } from './value-rules.js';

export class ConditionRules extends ValueRules {
  constructor(config: IParserConfig) {
    super(config);
  }

  readonly condition = this.RULE('condition', () => {
    this.SUBRULE(this.andCondition);
    this.MANY(() => {
      this.CONSUME(K.OR);
      this.SUBRULE2(this.andCondition);
    });
  });

  readonly andCondition = this.RULE('andCondition', () => {
    this.SUBRULE(this.notCondition);
    this.MANY(() => {
      this.CONSUME(K.AND);
      this.SUBRULE2(this.notCondition);
    });
  });

  readonly notCondition = this.RULE('notCondition', () => {
    this.MANY(() => this.CONSUME(K.NOT));
    this.OR({ ERR_MSG: 'a condition', DEF: [
      { ALT: () => {
        this.CONSUME(LParen);
        this.SUBRULE(this.condition);
        this.CONSUME(RParen);
      } },
      { ALT: () => this.SUBRULE(this.predicate) },
    ] });
  });

  readonly predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.field);
    this.OR({ ERR_MSG: 'a comparison (=, !=, <, <=, >, >=, CONTAINS, BEFORE, AFTER or IN)', DEF: [
      { ALT: () => {
        this.CONSUME(CompareOp);
        this.SUBRULE(this.value);
      } },
      { ALT: () => {
        this.CONSUME(K.CONTAINS);
        this.SUBRULE2(this.value);
      } },
      { ALT: () => {
        this.OR2([{ ALT: () => this.CONSUME(K.BEFORE) }, { ALT: () => this.CONSUME(K.AFTER) }]);
        this.SUBRULE(this.timeValue);
      } },
      { ALT: () => {
        this.OPTION(() => this.CONSUME(K.NOT));
        this.CONSUME(K.IN);
        this.CONSUME(LParen);
        this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE3(this.value) });
        this.CONSUME(RParen);
      } },
    ] });
  });

  /** A field name; KIND and CONFIDENCE are keywords elsewhere but fields here. */
  readonly field = this.RULE('field', () => {
    this.OR({ ERR_MSG: 'a field (id, content, kind, created, confidence, retention, meta.<path>, ...)', DEF: [
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(K.KIND) },
      { ALT: () => this.CONSUME(K.CONFIDENCE) },
    ] });
  });
}
