/**
 * Runs every ```mql example of docs/mql_reference.md, in order, against one fresh database with an
 * injected clock; each block must succeed (and the document must have examples).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from './helpers/db.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/mql_reference.md');
const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```mql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

const batch = [1, 2, 3].map((i) => ({ id: `espresso_${i}`, content: `a strong espresso in the morning, cup ${i}`, meta: { n: i } }));

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(async () => {
  await t.cleanup();
});

describe('docs/mql_reference.md examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });
  blocks.forEach((text, i) => {
    it(`block ${i + 1}: ${text.split('\n')[0]}`, async () => {
      t.clock.now += 60_000;
      const r = await t.db.query(text, { batch });
      expect(Array.isArray(r.columns)).toBe(true);
    });
  });
});
