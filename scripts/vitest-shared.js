// Shared vitest settings: every package also writes a JSON report to <root>/.vitest-results/
// so scripts/run-tests.mjs can print one closing "N passed, N failed" line for the whole repo.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} name */
export function resultsReporters(name) {
  return ['default', ['json', { outputFile: path.join(root, '.vitest-results', `${name}.json`) }]];
}
