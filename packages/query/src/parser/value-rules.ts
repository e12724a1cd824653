/**
 * Grammar rules for values: parameters, ids, numbers, durations, times, confidences, vectors
 * and JSON-style objects/arrays (docs/mql_grammar.md §1–2). Pure grammar: no semantic actions;
 * the AST builder decides what a generic array means (vector, interval, list) from context.
 */
import { CstParser, type IParserConfig } from 'chevrotain';
import { BooleanKeyword, K, MemoryKindKeyword } from '../lexer/keywords.js';
import {
  ALL_TOKENS, BackquotedIdentifier, Colon, Comma, DurationLiteral, Identifier, LBrace, LBracket,
  Minus, NamedParam, NumberLiteral, Plus, PositionalParam, RBrace, RBracket, StringLiteral,
} from '../lexer/tokens.js';

export class ValueRules extends CstParser {
  constructor(config: IParserConfig) {
    super(ALL_TOKENS, config);
  }

  readonly param = this.RULE('param', () => {
    this.OR({ ERR_MSG: 'a parameter', DEF: [
      { ALT: () => this.CONSUME(NamedParam) },
      { ALT: () => this.CONSUME(PositionalParam) },
    ] });
  });

  /** A memory id: bare, backquoted, or a parameter. */
  readonly idRef = this.RULE('idRef', () => {
    this.OR({ ERR_MSG: 'a memory id', DEF: [
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(BackquotedIdentifier) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  /** A space (or association kind) name: same shapes as idRef, different message. */
  readonly nameRef = this.RULE('nameRef', () => {
    this.OR({ ERR_MSG: 'a name', DEF: [
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(BackquotedIdentifier) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  readonly idList = this.RULE('idList', () => {
    this.SUBRULE(this.idRef);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.idRef);
    });
  });

  readonly signedNumber = this.RULE('signedNumber', () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.CONSUME(NumberLiteral);
  });

  readonly numberValue = this.RULE('numberValue', () => {
    this.OR({ ERR_MSG: 'a number', DEF: [
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  readonly stringValue = this.RULE('stringValue', () => {
    this.OR({ ERR_MSG: 'a string', DEF: [
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  readonly durationValue = this.RULE('durationValue', () => {
    this.OR({ ERR_MSG: 'a duration (like 30s, 5m, 7d)', DEF: [
      { ALT: () => this.CONSUME(DurationLiteral) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  /** NOW, NOW - 7d, NOW + $d */
  readonly nowExpr = this.RULE('nowExpr', () => {
    this.CONSUME(K.NOW);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }]);
      this.SUBRULE(this.durationValue);
    });
  });

  readonly timeValue = this.RULE('timeValue', () => {
    this.OR({ ERR_MSG: 'a time (NOW, NOW - 7d, an ISO-8601 string or unix seconds)', DEF: [
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.SUBRULE(this.nowExpr) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  /** A number, an interval `[lo, hi]`, or a parameter. */
  readonly confidenceValue = this.RULE('confidenceValue', () => {
    this.OR({ ERR_MSG: 'a confidence (a number or an interval [lo, hi])', DEF: [
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  readonly vectorValue = this.RULE('vectorValue', () => {
    this.OR({ ERR_MSG: 'a vector like [0.1, 0.2]', DEF: [
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  readonly objectValue = this.RULE('objectValue', () => {
    this.OR({ ERR_MSG: 'an object like {"key": "value"}', DEF: [
      { ALT: () => this.SUBRULE(this.object) },
      { ALT: () => this.SUBRULE(this.param) },
    ] });
  });

  /** Any value: the right-hand side of a condition, or an element of an array or object. */
  readonly value = this.RULE('value', () => {
    this.OR({ ERR_MSG: 'a value', DEF: [
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.CONSUME(DurationLiteral) },
      { ALT: () => this.SUBRULE(this.nowExpr) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.SUBRULE(this.object) },
      { ALT: () => this.SUBRULE(this.param) },
      { ALT: () => this.CONSUME(BooleanKeyword) },
      { ALT: () => this.CONSUME(K.NULL) },
      { ALT: () => this.CONSUME(MemoryKindKeyword) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(BackquotedIdentifier) },
    ] });
  });

  readonly array = this.RULE('array', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(RBracket);
  });

  readonly object = this.RULE('object', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.entry) });
    this.CONSUME(RBrace);
  });

  readonly entry = this.RULE('entry', () => {
    this.OR({ ERR_MSG: 'an object key (a string)', DEF: [
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(BackquotedIdentifier) },
    ] });
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });
}
