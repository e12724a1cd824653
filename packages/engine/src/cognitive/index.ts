/** Barrel of the engine's cognitive module (its public part). */
export {};
