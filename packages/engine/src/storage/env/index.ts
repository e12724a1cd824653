/** Barrel of the storage engine's file-system environment (docs/durability.md). */
export type { Env, EnvFile, EnvStat, OpenMode } from './env.js';
export { NodeEnv, nodeEnv } from './node-env.js';
export { FaultEnv, type FaultOp, type FaultRule, type CrashMode } from './fault-env.js';
export { Rng, seededRandom } from './rng.js';
