/**
 * Grammar rules for space and utility statements: CREATE/DROP/USE SPACE, SHOW, DESCRIBE,
 * transactions, CHECKPOINT, COMPACT, BACKUP (docs/mql_grammar.md §2.1, §2.4).
 */
import type { IParserConfig } from 'chevrotain';
import { K, MetricKeyword } from '../lexer/keywords.js';
import { Comma, LParen, RParen } from '../lexer/tokens.js';
import { ConditionRules } from './condition-rules.js';

export class SpaceRules extends ConditionRules {
  constructor(config: IParserConfig) {
    super(config);
  }

  /** IN SPACE name, shared by most statements. */
  readonly inSpace = this.RULE('inSpace', () => {
    this.CONSUME(K.IN);
    this.CONSUME(K.SPACE);
    this.SUBRULE(this.nameRef);
  });

  readonly ifNotExists = this.RULE('ifNotExists', () => {
    this.CONSUME(K.IF);
    this.CONSUME(K.NOT);
    this.CONSUME(K.EXISTS);
  });

  readonly ifExists = this.RULE('ifExists', () => {
    this.CONSUME(K.IF);
    this.CONSUME(K.EXISTS);
  });

  /** CREATE SPACE [IF NOT EXISTS] name [DIM n] [METRIC m] [DECAY model] [IF NOT EXISTS] */
  readonly createSpace = this.RULE('createSpace', () => {
    this.CONSUME(K.CREATE);
    this.CONSUME(K.SPACE);
    this.OPTION(() => this.SUBRULE(this.ifNotExists, { LABEL: 'ifNotExistsBefore' }));
    this.SUBRULE(this.nameRef);
    this.OPTION2(() => { this.CONSUME(K.DIM); this.SUBRULE(this.numberValue); });
    this.OPTION3(() => { this.CONSUME(K.METRIC); this.CONSUME(MetricKeyword); });
    this.OPTION4(() => { this.CONSUME(K.DECAY); this.SUBRULE(this.decayModel); });
    this.OPTION5(() => this.SUBRULE2(this.ifNotExists, { LABEL: 'ifNotExistsAfter' }));
  });

  readonly decayModel = this.RULE('decayModel', () => {
    this.OR({ ERR_MSG: 'a decay model (NONE, EXPONENTIAL(half_life), POWER(d) or ACTR(d, tau, s))', DEF: [
      { ALT: () => this.CONSUME(K.NONE) },
      { ALT: () => {
        this.CONSUME(K.EXPONENTIAL); this.CONSUME(LParen); this.SUBRULE(this.durationValue); this.CONSUME(RParen);
      } },
      { ALT: () => {
        this.CONSUME(K.POWER); this.CONSUME2(LParen); this.SUBRULE(this.numberValue); this.CONSUME2(RParen);
      } },
      { ALT: () => {
        this.CONSUME(K.ACTR); this.CONSUME3(LParen);
        this.SUBRULE2(this.numberValue); this.CONSUME(Comma);
        this.SUBRULE3(this.numberValue); this.CONSUME2(Comma);
        this.SUBRULE4(this.numberValue); this.CONSUME3(RParen);
      } },
    ] });
  });

  /** DROP SPACE [IF EXISTS] name [IF EXISTS] */
  readonly dropSpace = this.RULE('dropSpace', () => {
    this.CONSUME(K.DROP);
    this.CONSUME(K.SPACE);
    this.OPTION(() => this.SUBRULE(this.ifExists, { LABEL: 'ifExistsBefore' }));
    this.SUBRULE(this.nameRef);
    this.OPTION2(() => this.SUBRULE2(this.ifExists, { LABEL: 'ifExistsAfter' }));
  });

  readonly useSpace = this.RULE('useSpace', () => {
    this.CONSUME(K.USE);
    this.CONSUME(K.SPACE);
    this.SUBRULE(this.nameRef);
  });

  /** SHOW SPACES | SHOW STATS [FOR SPACE name] */
  readonly show = this.RULE('show', () => {
    this.CONSUME(K.SHOW);
    this.OR({ ERR_MSG: 'SPACES or STATS', DEF: [
      { ALT: () => this.CONSUME(K.SPACES) },
      { ALT: () => {
        this.CONSUME(K.STATS);
        this.OPTION(() => { this.CONSUME(K.FOR); this.CONSUME(K.SPACE); this.SUBRULE(this.nameRef); });
      } },
    ] });
  });

  readonly describe = this.RULE('describe', () => {
    this.CONSUME(K.DESCRIBE);
    this.SUBRULE(this.idRef);
    this.OPTION(() => this.SUBRULE(this.inSpace));
  });

  /** BEGIN | COMMIT | ROLLBACK | CHECKPOINT | COMPACT [SPACE name] | BACKUP TO dir */
  readonly utility = this.RULE('utility', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.BEGIN) },
      { ALT: () => this.CONSUME(K.COMMIT) },
      { ALT: () => this.CONSUME(K.ROLLBACK) },
      { ALT: () => this.CONSUME(K.CHECKPOINT) },
      { ALT: () => {
        this.CONSUME(K.COMPACT);
        this.OPTION(() => { this.CONSUME(K.SPACE); this.SUBRULE(this.nameRef); });
      } },
      { ALT: () => { this.CONSUME(K.BACKUP); this.CONSUME(K.TO); this.SUBRULE(this.stringValue); } },
    ]);
  });
}
