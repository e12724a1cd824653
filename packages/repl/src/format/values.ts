/**
 * How one cell value is shown: intervals as [lo, hi], times human-readable (table) or ISO (JSON),
 * vectors abbreviated, objects as compact JSON. Shared by every output mode.
 */

export type CellStyle = 'human' | 'iso';

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

/** Relative and absolute time, e.g. "2026-11-02 14:05 (19d ago)". `now` is injectable for tests. */
export function formatTime(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const iso = d.toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  const delta = now - ms;
  const abs = Math.abs(delta);
  const units: Array<[number, string]> = [
    [7 * 86_400_000, 'w'],
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  let rel = 'now';
  for (const [size, unit] of units) {
    if (abs >= size) {
      rel = `${Math.floor(abs / size)}${unit} ${delta >= 0 ? 'ago' : 'ahead'}`;
      break;
    }
  }
  return `${stamp} (${rel})`;
}

export function formatVector(v: ArrayLike<number>, shown = 3): string {
  const head = Array.from({ length: Math.min(shown, v.length) }, (_, i) => formatNumber(v[i]!));
  return v.length > shown ? `[${head.join(', ')}, … ${v.length}d]` : `[${head.join(', ')}]`;
}

/** A cell as text for table/line/csv modes. */
export function formatCell(column: string, value: unknown, style: CellStyle, now?: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (TIME_COLUMNS.has(column)) return style === 'iso' ? new Date(value).toISOString() : formatTime(value, now);
    return formatNumber(value);
  }
  if (typeof value === 'string') return value;
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
