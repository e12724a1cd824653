/**
 * How one cell value is shown: intervals as [lo, hi], times human-readable (table) or ISO (JSON),
 * vectors abbreviated, objects as compact JSON. Shared by every output mode.
 */

/** 'human': compact (tables); 'long': full stamp + age (line mode); 'iso': ISO-8601 (csv). */
export type CellStyle = 'human' | 'long' | 'iso';

/** Columns whose numbers are epoch-millisecond times. */
export const TIME_COLUMNS = new Set(['created', 'recorded', 'last_access', 'first_access', 'next_run', 'last_run', 'at']);

function isInterval(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

function isVector(v: unknown): v is ArrayLike<number> {
  return v instanceof Float32Array || (Array.isArray(v) && v.length > 2 && v.every((x) => typeof x === 'number'));
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(3);
  return String(Number(n.toFixed(4)));
}

const AGE_UNITS: Array<[number, string]> = [
  [365 * 86_400_000, 'y'],
  [30 * 86_400_000, 'mo'],
  [7 * 86_400_000, 'w'],
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
];

/** Compact age relative to `now`: "3d ago", "2h ahead", "just now". */
export function formatAge(ms: number, now: number = Date.now()): string {
  const delta = now - ms;
  const abs = Math.abs(delta);
  for (const [size, unit] of AGE_UNITS) {
    if (abs >= size) return `${Math.floor(abs / size)}${unit} ${delta >= 0 ? 'ago' : 'ahead'}`;
  }
  return 'just now';
}

/** Full time and age, e.g. "2026-11-02 14:05 UTC (19d ago)". `now` is injectable for tests. */
export function formatTime(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC (${formatAge(ms, now)})`;
}

function timeCell(ms: number, style: CellStyle, now?: number): string {
  if (style === 'iso') return new Date(ms).toISOString();
  return style === 'long' ? formatTime(ms, now) : formatAge(ms, now);
}

export function formatVector(v: ArrayLike<number>, shown = 3): string {
  const head = Array.from({ length: Math.min(shown, v.length) }, (_, i) => formatNumber(v[i]!));
  return v.length > shown ? `[${head.join(', ')}, … ${v.length}d]` : `[${head.join(', ')}]`;
}

/** A cell as text for table/line/csv modes. */
export function formatCell(column: string, value: unknown, style: CellStyle, now?: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return TIME_COLUMNS.has(column) ? timeCell(value, style, now) : formatNumber(value);
  if (typeof value === 'string') {
    const t = TIME_COLUMNS.has(column) && /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isFinite(t) && style !== 'iso' ? timeCell(t, style, now) : value;
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (isInterval(value)) return `[${formatNumber(value[0])}, ${formatNumber(value[1])}]`;
  if (isVector(value)) return formatVector(value);
  if (Array.isArray(value)) return value.map((x) => formatCell(column, x, style, now)).join(' → ');
  return JSON.stringify(value);
}

/** A value made JSON-safe: typed arrays → arrays, times → ISO strings, bigint → string. */
export function jsonValue(column: string, value: unknown): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  if (typeof value === 'number' && TIME_COLUMNS.has(column)) return new Date(value).toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}
