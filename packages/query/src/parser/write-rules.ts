/**
 * Grammar rules for writes: REMEMBER, ASSOCIATE, DISSOCIATE, REINFORCE, FORGET
 * (docs/mql_grammar.md §2.2). Clauses are optional and come in the order shown.
 */
import type { IParserConfig } from 'chevrotain';
import { K, MemoryKindKeyword } from '../lexer/keywords.js';
import { SpaceRules } from './space-rules.js';

export class WriteRules extends SpaceRules {
  constructor(config: IParserConfig) {
    super(config);
  }

  /** REMEMBER content [AS id] [EMBEDDING v] [CONFIDENCE c] [AT t] [KIND k] [META o] [IN SPACE s] */
  readonly remember = this.RULE('remember', () => {
    this.CONSUME(K.REMEMBER);
    this.SUBRULE(this.stringValue);
    this.OPTION(() => { this.CONSUME(K.AS); this.SUBRULE(this.idRef); });
    this.OPTION2(() => { this.CONSUME(K.EMBEDDING); this.SUBRULE(this.vectorValue); });
    this.OPTION3(() => { this.CONSUME(K.CONFIDENCE); this.SUBRULE(this.confidenceValue); });
    this.OPTION4(() => { this.CONSUME(K.AT); this.SUBRULE(this.timeValue); });
    this.OPTION5(() => { this.CONSUME(K.KIND); this.CONSUME(MemoryKindKeyword); });
    this.OPTION6(() => { this.CONSUME(K.META); this.SUBRULE(this.objectValue); });
    this.OPTION7(() => this.SUBRULE(this.inSpace));
  });

  /** ASSOCIATE a WITH b [KIND k] [WEIGHT w] [CONFIDENCE c] [BIDIRECTIONAL] [IN SPACE s] */
  readonly associate = this.RULE('associate', () => {
    this.CONSUME(K.ASSOCIATE);
    this.SUBRULE(this.idRef, { LABEL: 'from' });
    this.CONSUME(K.WITH);
    this.SUBRULE2(this.idRef, { LABEL: 'to' });
    this.OPTION(() => { this.CONSUME(K.KIND); this.SUBRULE(this.nameRef); });
    this.OPTION2(() => { this.CONSUME(K.WEIGHT); this.SUBRULE(this.numberValue); });
    this.OPTION3(() => { this.CONSUME(K.CONFIDENCE); this.SUBRULE(this.confidenceValue); });
    this.OPTION4(() => this.CONSUME(K.BIDIRECTIONAL));
    this.OPTION5(() => this.SUBRULE(this.inSpace));
  });

  /** DISSOCIATE a FROM b [KIND k] [IN SPACE s] */
  readonly dissociate = this.RULE('dissociate', () => {
    this.CONSUME(K.DISSOCIATE);
    this.SUBRULE(this.idRef, { LABEL: 'from' });
    this.CONSUME(K.FROM);
    this.SUBRULE2(this.idRef, { LABEL: 'to' });
    this.OPTION(() => { this.CONSUME(K.KIND); this.SUBRULE(this.nameRef); });
    this.OPTION2(() => this.SUBRULE(this.inSpace));
  });

  /** REINFORCE id [TIMES n] [AT t] [IN SPACE s] */
  readonly reinforce = this.RULE('reinforce', () => {
    this.CONSUME(K.REINFORCE);
    this.SUBRULE(this.idRef);
    this.OPTION(() => { this.CONSUME(K.TIMES); this.SUBRULE(this.numberValue); });
    this.OPTION2(() => { this.CONSUME(K.AT); this.SUBRULE(this.timeValue); });
    this.OPTION3(() => this.SUBRULE(this.inSpace));
  });

  /** FORGET id [IN SPACE s] | FORGET WHERE condition [IN SPACE s] */
  readonly forget = this.RULE('forget', () => {
    this.CONSUME(K.FORGET);
    this.OR({ ERR_MSG: 'a memory id or WHERE', DEF: [
      { ALT: () => { this.CONSUME(K.WHERE); this.SUBRULE(this.condition); } },
      { ALT: () => this.SUBRULE(this.idRef) },
    ] });
    this.OPTION(() => this.SUBRULE(this.inSpace));
  });
}
