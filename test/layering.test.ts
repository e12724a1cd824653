/**
 * Layering: imports only point down (repl → query → engine → native), every imported package is
 * declared in the importing package's package.json (no phantom dependencies), and packages are
 * reached only through their public `exports` (no deep imports, no relative paths across packages).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['native', 'engine', 'query', 'repl'] as const;
type Layer = (typeof LAYERS)[number];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports: static import/export-from, dynamic import(), require(). */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*${}\s,]*\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs;
}

function packageName(spec: string): string {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0]!;
}

interface Violation {
  file: string;
  spec: string;
  why: string;
}

export function checkLayer(layer: Layer, files: { file: string; text: string }[], declared: Set<string>): Violation[] {
  const builtins = new Set(builtinModules);
  const pkgDir = path.join(root, 'packages', layer);
  const violations: Violation[] = [];
  for (const { file, text } of files) {
    for (const spec of importsOf(text)) {
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(pkgDir + path.sep)) violations.push({ file, spec, why: 'relative import leaves the package' });
        continue;
      }
      const name = packageName(spec);
      if (name.startsWith('@mnemo/')) {
        const other = name.slice('@mnemo/'.length) as Layer;
        if (spec !== name) violations.push({ file, spec, why: 'deep import: use the package entry point' });
        if (!LAYERS.includes(other)) violations.push({ file, spec, why: 'unknown package' });
        else if (LAYERS.indexOf(other) >= LAYERS.indexOf(layer))
          violations.push({ file, spec, why: `imports upward or sideways (${layer} → ${other})` });
      }
      if (!declared.has(name)) violations.push({ file, spec, why: `${name} is not declared in package.json` });
    }
  }
  return violations;
}

function declaredDeps(layer: Layer, includeDev: boolean): Set<string> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'packages', layer, 'package.json'), 'utf8'));
  const names = Object.keys(pkg.dependencies ?? {});
  if (includeDev) names.push(...Object.keys(pkg.devDependencies ?? {}));
  return new Set(names);
}

describe('package layering', () => {
  for (const layer of LAYERS) {
    it(`${layer}: src imports only declared packages below it`, () => {
      const dir = path.join(root, 'packages', layer, 'src');
      const files = sourceFiles(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
      expect(files.length).toBeGreaterThan(0);
      const violations = checkLayer(layer, files, declaredDeps(layer, false));
      expect(violations).toEqual([]);
    });
  }

  it('the checker catches upward, undeclared, deep and escaping imports', () => {
    const file = path.join(root, 'packages', 'engine', 'src', 'x.ts');
    const text = [
      "import { open } from '@mnemo/query';",
      "import { thing } from '@mnemo/native/dist/mmap.js';",
      "import lodash from 'lodash';",
      "import { y } from '../../query/src/y.js';",
      "const z = await import('@mnemo/repl');",
      "import { ok } from './ok.js';",
      "import fs from 'node:fs';",
    ].join('\n');
    const v = checkLayer('engine', [{ file, text }], new Set(['@mnemo/native']));
    const whys = v.map((x) => `${x.spec} :: ${x.why}`);
    expect(whys).toContain('@mnemo/query :: imports upward or sideways (engine → query)');
    expect(whys).toContain('@mnemo/query :: @mnemo/query is not declared in package.json');
    expect(whys).toContain('@mnemo/native/dist/mmap.js :: deep import: use the package entry point');
    expect(whys).toContain('lodash :: lodash is not declared in package.json');
    expect(whys).toContain('../../query/src/y.js :: relative import leaves the package');
    expect(whys).toContain('@mnemo/repl :: imports upward or sideways (engine → repl)');
    expect(whys.some((w) => w.startsWith('./ok.js') || w.startsWith('node:fs'))).toBe(false);
  });

  it('every package exposes its API only through exports', () => {
    for (const layer of LAYERS) {
      const pkg = JSON.parse(readFileSync(path.join(root, 'packages', layer, 'package.json'), 'utf8'));
      expect(pkg.name).toBe(`@mnemo/${layer}`);
      expect(Object.keys(pkg.exports)).toEqual(['.']);
    }
  });
});
