/**
 * `.import` and `.export`: move memories between a space and JSON-lines or CSV files. Import goes
 * through `REMEMBER $batch` (one atomic commit per chunk); export reads with `RECALL * ... NO
 * REINFORCE` (exporting never counts as rehearsal) and `DESCRIBE` for the embedding.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ProgressBar } from '../cli/progress.js';
import { csvField } from '../format/csv.js';
import { parseCsv } from './csv-parse.js';
import type { Session } from './session.js';

const CHUNK = 500;
const FIELDS = ['id', 'content', 'kind', 'at', 'confidence', 'meta', 'embedding'] as const;

export interface ImportRecord {
  id?: string;
  content: string;
  embedding?: number[];
  confidence?: number | [number, number];
  at?: string | number;
  kind?: string;
  meta?: unknown;
}

function spaceClause(space: string | undefined): string {
  return space ? ` IN SPACE \`${space.replace(/`/g, '')}\`` : '';
}

function jsonCell(v: string | undefined): unknown {
  if (v === undefined || v === '') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Parse a .jsonl or .csv file into records; line numbers in errors are 1-based. */
export function parseImport(text: string, path: string): ImportRecord[] {
  const out: ImportRecord[] = [];
  if (extname(path).toLowerCase() === '.csv') {
    const [header, ...rows] = parseCsv(text);
    if (!header || !header.includes('content')) throw new Error(`${path}: the CSV header must name a 'content' column`);
    for (const row of rows) {
      const rec: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const cell = row[i];
        if (cell !== undefined && cell !== '') rec[h] = h === 'content' || h === 'id' || h === 'kind' ? cell : jsonCell(cell);
      });
      out.push(rec as unknown as ImportRecord);
    }
    return out;
  }
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof rec !== 'object' || rec === null || typeof (rec as ImportRecord).content !== 'string') {
      throw new Error(`${path}:${i + 1}: each line must be an object with a string "content"`);
    }
    out.push(rec as ImportRecord);
  });
  return out;
}

export async function importFile(s: Session, path: string, space?: string): Promise<number> {
  const records = parseImport(await readFile(path, 'utf8'), path);
  const db = s.requireDb();
  const bar = new ProgressBar('import', records.length, { isTTY: s.io.errIsTTY, write: (t) => (s.io.err(t), true) });
  for (let i = 0; i < records.length; i += CHUNK) {
    const batch = records.slice(i, i + CHUNK).map((r) => {
      const o: Record<string, unknown> = {};
      for (const f of FIELDS) if (r[f] !== undefined) o[f] = r[f];
      return o;
    });
    await db.query(`REMEMBER $batch${spaceClause(space)}`, { batch });
    bar.update(Math.min(i + CHUNK, records.length));
  }
  bar.finish();
  return records.length;
}

export async function exportFile(s: Session, path: string, space?: string): Promise<number> {
  const db = s.requireDb();
  const listed = await db.query(`RECALL *${spaceClause(space)} ORDER BY id ASC LIMIT 100000000 NO REINFORCE`);
  const bar = new ProgressBar('export', listed.rows.length, { isTTY: s.io.errIsTTY, write: (t) => (s.io.err(t), true) });
  const records: ImportRecord[] = [];
  for (const row of listed.rows) {
    const detail = await db.query(`DESCRIBE $id${spaceClause(space)}`, { id: row.id });
    const d = detail.rows[0] ?? {};
    const rec: ImportRecord = { id: String(row.id), content: String(row.content ?? '') };
    if (row.kind !== undefined) rec.kind = String(row.kind);
    if (typeof row.created === 'number') rec.at = new Date(row.created).toISOString();
    else if (typeof row.created === 'string') rec.at = row.created;
    if (Array.isArray(row.confidence)) rec.confidence = row.confidence as [number, number];
    if (d.meta !== undefined && d.meta !== null) rec.meta = d.meta;
    if (d.embedding !== undefined) rec.embedding = Array.from(d.embedding as ArrayLike<number>);
    records.push(rec);
    bar.tick();
  }
  bar.finish();
  const csv = extname(path).toLowerCase() === '.csv';
  const text = csv
    ? [FIELDS.join(','), ...records.map((r) => FIELDS.map((f) => csvCell(r[f])).join(','))].join('\n') + '\n'
    : records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
  await writeFile(path, text, { mode: 0o600 });
  return records.length;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return csvField(typeof v === 'string' ? v : JSON.stringify(v));
}
