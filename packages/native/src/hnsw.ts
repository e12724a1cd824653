/** HNSW graph build and search kernels (owned by the vector-index work). */
export {};
