/**
 * isoTime: result rows' times as `Date.prototype.toISOString` text (language.md §3), without a
 * Date per call for years 1970–9999: the date part from the day number by arithmetic (civil from
 * days, H. Hinnant's algorithm; remembered for the last day), the time of day from tables.
 */

const DAY_MS = 86_400_000;
/** Year 10000: beyond it toISOString uses the 6-digit extended year form. */
const YEAR_10000_MS = 253_402_300_800_000;

const two = (i: number): string => (i < 10 ? `0${i}` : `${i}`);
/** 'HH:MM:' by minute of the day, 'SS.' by second, 'mmmZ' by millisecond, '-MM-DDT' by month·32 + day. */
const HOUR_MINUTE: readonly string[] = Array.from({ length: 1440 }, (_, i) => `${two(Math.floor(i / 60))}:${two(i % 60)}:`);
const SECOND: readonly string[] = Array.from({ length: 60 }, (_, i) => `${two(i)}.`);
const MILLI: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);
const MONTH_DAY: readonly string[] = Array.from({ length: 13 * 32 }, (_, i) => `-${two(i >> 5)}-${two(i & 31)}T`);

/** 'YYYY-MM-DDT' of day `day` since the epoch (0 ≤ day, year ≤ 9999). */
function datePart(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${yoe + era * 400 + (m <= 2 ? 1 : 0)}${MONTH_DAY[m * 32 + d] as string}`;
}

/** The last day formatted and its date part. */
let cachedDay = Number.NaN;
let cachedDate = '';
/** The last instant formatted in the fast range (a row's created and last_access are often equal). */
let lastT = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`; non-finite values as text. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const t = Math.trunc(ms);
  if (t === lastT) return lastIso;
  if (t < 0 || t >= YEAR_10000_MS) return new Date(t).toISOString();
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    cachedDate = datePart(day);
    cachedDay = day;
  }
  const r = t - day * DAY_MS;
  const milli = r % 1000;
  const s = (r - milli) / 1000;
  const sec = s % 60;
  lastIso = cachedDate + (HOUR_MINUTE[(s - sec) / 60] as string) + (SECOND[sec] as string) + (MILLI[milli] as string);
  lastT = t;
  return lastIso;
}
