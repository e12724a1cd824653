/** Barrel of the engine's field module (its public part). */
export {};
