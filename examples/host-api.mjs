// Using Mnemo from code: open a database, write and read with parameters, prepared statements.
// Run (after `npm install`): node examples/host-api.mjs [DIR]
import { open } from '@mnemo/query';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = process.argv[2] ?? mkdtempSync(path.join(tmpdir(), 'mnemo-example-'));
const db = await open(dir);
try {
  await db.query('REMEMBER $text AS $id', { text: 'The user is allergic to peanuts', id: 'allergy' });
  const remember = db.prepare('REMEMBER $c KIND EPISODIC');
  for (const c of ['Lunch at the noodle bar on Monday', 'Ordered peanut-free pad thai on Friday']) await remember.run({ c });

  const r = await db.query('RECALL $q LIMIT 2', { q: 'food allergies' });
  for (const row of r.rows) console.log(`${row.id}  score=${row.score.toFixed(3)}  ${row.content}`);

  // A parameter is a value, never MQL: this stores the text as-is.
  await db.query('REMEMBER $c AS inj', { c: "x'; FORGET WHERE id != '' --" });
  console.log((await db.query('RECALL inj NO REINFORCE')).rows[0].content);
} finally {
  await db.close();
}
