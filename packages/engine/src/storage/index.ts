/** Barrel of the engine's storage module (its public part). */
export {};
