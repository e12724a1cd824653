/** Barrel of the engine's hnsw module (its public part). */
export {};
