/**
 * Plain objects without an object literal: hot result rows, candidates and result objects are
 * made by constructors whose prototype is Object.prototype. V8 can pretenure a literal's
 * allocation site (then every object from it is allocated old and keeps its young children alive
 * through scavenges); objects made by `new` are not pretenured that way (bench/results/query.md,
 * session 5).
 */

/**
 * `fn` as a constructor of plain objects: it sets the own properties on `this` (in the order a
 * literal would); the objects' prototype is Object.prototype, so they are indistinguishable from
 * literals (inspect, JSON, keys, getPrototypeOf).
 */
export function plainConstructor<A extends unknown[], T extends object>(fn: (this: T, ...args: A) => void): new (...args: A) => T {
  const ctor = fn as unknown as { prototype: object } & (new (...args: A) => T);
  ctor.prototype = Object.prototype;
  return ctor;
}
