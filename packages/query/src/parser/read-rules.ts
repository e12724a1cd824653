/**
 * Grammar rules for reads: RECALL, SPREAD, PREDICT, IMAGINE, CONSOLIDATE and their shared
 * pattern, CONFIDENCE-filter and LIMIT clauses (docs/mql_grammar.md §2.3).
 * Clauses are optional and come in the order shown.
 */
import type { IParserConfig } from 'chevrotain';
import { DirectionKeyword, K } from '../lexer/keywords.js';
import { BackquotedIdentifier, CompareOp, Identifier, StringLiteral, Star } from '../lexer/tokens.js';
import { WriteRules } from './write-rules.js';

export class ReadRules extends WriteRules {
  constructor(config: IParserConfig) {
    super(config);
  }

  /** id | 'text' | [vector] | $param | * */
  readonly pattern = this.RULE('pattern', () => {
    this.OR({ ERR_MSG: 'a pattern', DEF: [
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(BackquotedIdentifier) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.SUBRULE(this.param) },
      { ALT: () => this.CONSUME(Star) },
    ] });
  });

  /** CONFIDENCE (> | >= | < | <=) c */
  readonly confidenceFilter = this.RULE('confidenceFilter', () => {
    this.CONSUME(K.CONFIDENCE);
    this.CONSUME(CompareOp);
    this.SUBRULE(this.numberValue);
  });

  readonly limit = this.RULE('limit', () => {
    this.CONSUME(K.LIMIT);
    this.SUBRULE(this.numberValue);
  });

  /** RECALL p [THRESHOLD t] [IN SPACE s] [WHERE c] [CONFIDENCE op c] [AS OF t] [KNOWN AS OF t]
   *  [ORDER BY col [ASC|DESC]] [LIMIT k] [NO REINFORCE] */
  readonly recall = this.RULE('recall', () => {
    this.CONSUME(K.RECALL);
    this.SUBRULE(this.pattern);
    this.OPTION(() => { this.CONSUME(K.THRESHOLD); this.SUBRULE(this.numberValue); });
    this.OPTION2(() => this.SUBRULE(this.inSpace));
    this.OPTION3(() => { this.CONSUME(K.WHERE); this.SUBRULE(this.condition); });
    this.OPTION4(() => this.SUBRULE(this.confidenceFilter));
    this.OPTION5(() => { this.CONSUME(K.AS); this.CONSUME(K.OF); this.SUBRULE(this.timeValue, { LABEL: 'asOf' }); });
    this.OPTION6(() => {
      this.CONSUME(K.KNOWN); this.CONSUME2(K.AS); this.CONSUME2(K.OF);
      this.SUBRULE2(this.timeValue, { LABEL: 'knownAsOf' });
    });
    this.OPTION7(() => this.SUBRULE(this.orderBy));
    this.OPTION8(() => this.SUBRULE(this.limit));
    this.OPTION9(() => { this.CONSUME(K.NO); this.CONSUME(K.REINFORCE); });
  });

  /** ORDER BY column [ASC|DESC] */
  readonly orderBy = this.RULE('orderBy', () => {
    this.CONSUME(K.ORDER);
    this.CONSUME(K.BY);
    this.SUBRULE(this.field);
    this.OPTION(() => this.CONSUME(DirectionKeyword));
  });

  /** SPREAD FROM ids [IN SPACE s] [MAX_HOPS n] [DECAY r] [THRESHOLD a] [LIMIT k] */
  readonly spread = this.RULE('spread', () => {
    this.CONSUME(K.SPREAD);
    this.CONSUME(K.FROM);
    this.SUBRULE(this.idList);
    this.OPTION(() => this.SUBRULE(this.inSpace));
    this.OPTION2(() => { this.CONSUME(K.MAX_HOPS); this.SUBRULE(this.numberValue, { LABEL: 'maxHops' }); });
    this.OPTION3(() => { this.CONSUME(K.DECAY); this.SUBRULE2(this.numberValue, { LABEL: 'decay' }); });
    this.OPTION4(() => { this.CONSUME(K.THRESHOLD); this.SUBRULE3(this.numberValue, { LABEL: 'threshold' }); });
    this.OPTION5(() => this.SUBRULE(this.limit));
  });

  /** PREDICT p GIVEN ids [IN SPACE s] [HORIZON d] [CONFIDENCE op c] [LIMIT k] */
  readonly predict = this.RULE('predict', () => {
    this.CONSUME(K.PREDICT);
    this.SUBRULE(this.pattern);
    this.CONSUME(K.GIVEN);
    this.SUBRULE(this.idList);
    this.OPTION(() => this.SUBRULE(this.inSpace));
    this.OPTION2(() => { this.CONSUME(K.HORIZON); this.SUBRULE(this.durationValue); });
    this.OPTION3(() => this.SUBRULE(this.confidenceFilter));
    this.OPTION4(() => this.SUBRULE(this.limit));
  });

  /** IMAGINE p [IN SPACE s] [BASED ON ids] [NOVELTY x] [CONFIDENCE op c] [LIMIT k] */
  readonly imagine = this.RULE('imagine', () => {
    this.CONSUME(K.IMAGINE);
    this.SUBRULE(this.pattern);
    this.OPTION(() => this.SUBRULE(this.inSpace));
    this.OPTION2(() => { this.CONSUME(K.BASED); this.CONSUME(K.ON); this.SUBRULE(this.idList); });
    this.OPTION3(() => { this.CONSUME(K.NOVELTY); this.SUBRULE(this.numberValue); });
    this.OPTION4(() => this.SUBRULE(this.confidenceFilter));
    this.OPTION5(() => this.SUBRULE(this.limit));
  });

  /** CONSOLIDATE (p [WHERE c] | WHERE c) [IN SPACE s] [INTO id] [SIMILARITY x] [MIN_SIZE n] [SCHEDULER …] */
  readonly consolidate = this.RULE('consolidate', () => {
    this.CONSUME(K.CONSOLIDATE);
    this.OR({ ERR_MSG: 'a pattern, WHERE or *', DEF: [
      { ALT: () => {
        this.SUBRULE(this.pattern);
        this.OPTION(() => { this.CONSUME(K.WHERE); this.SUBRULE(this.condition); });
      } },
      { ALT: () => { this.CONSUME2(K.WHERE); this.SUBRULE2(this.condition); } },
    ] });
    this.OPTION2(() => this.SUBRULE(this.inSpace));
    this.OPTION3(() => { this.CONSUME(K.INTO); this.SUBRULE(this.idRef); });
    this.OPTION4(() => { this.CONSUME(K.SIMILARITY); this.SUBRULE(this.numberValue, { LABEL: 'similarity' }); });
    this.OPTION5(() => { this.CONSUME(K.MIN_SIZE); this.SUBRULE2(this.numberValue, { LABEL: 'minSize' }); });
    this.OPTION6(() => { this.CONSUME(K.SCHEDULER); this.SUBRULE(this.scheduler); });
  });

  /** IMMEDIATE | INTERVAL d | THRESHOLD n */
  readonly scheduler = this.RULE('scheduler', () => {
    this.OR({ ERR_MSG: 'IMMEDIATE, INTERVAL <duration> or THRESHOLD <n>', DEF: [
      { ALT: () => this.CONSUME(K.IMMEDIATE) },
      { ALT: () => { this.CONSUME(K.INTERVAL); this.SUBRULE(this.durationValue); } },
      { ALT: () => { this.CONSUME(K.THRESHOLD); this.SUBRULE(this.numberValue); } },
    ] });
  });
}
