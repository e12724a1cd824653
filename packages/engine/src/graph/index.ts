/**
 * Barrel of the engine's association-graph module (docs/graph.md): the dense, segment-cached
 * association graph of a snapshot and SPREAD over it on integer node numbers.
 */
export { AssociationGraph, associationGraph } from './association-graph.js';
export type { AssociationGraphOptions, GraphEdge, GraphInEdge, Adjacency } from './association-graph.js';
export { spreadAssociations } from './spread-dense.js';
