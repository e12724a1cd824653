/**
 * `.param set $x VALUE`: session parameters bound to every statement. VALUE is read as JSON when it
 * parses (numbers, arrays → vectors, objects, quoted strings), otherwise as a bare string.
 */

export class ParamStore {
  private readonly values = new Map<string, unknown>();

  set(name: string, raw: string): void {
    const key = name.replace(/^[$:@]/, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`bad parameter name '${name}': use $name`);
    this.values.set(key, parseValue(raw));
  }

  clear(): void {
    this.values.clear();
  }

  list(): Array<[string, unknown]> {
    return [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Parameters for a query: only the session ones the statement mentions, so unused ones never error. */
  forStatement(text: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.values) if (new RegExp(`\\$${k}(?![A-Za-z0-9_])`).test(text)) out[k] = v;
    return out;
  }
}

export function parseValue(raw: string): unknown {
  const t = raw.trim();
  try {
    return JSON.parse(t);
  } catch {
    if (/^'.*'$/s.test(t)) return t.slice(1, -1);
    return t;
  }
}
