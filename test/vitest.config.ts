import { defineConfig } from 'vitest/config';
import { resultsReporters } from '../scripts/vitest-shared.js';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    reporters: resultsReporters('cross-package'),
  },
});
