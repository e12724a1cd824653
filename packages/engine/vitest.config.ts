import { defineConfig } from 'vitest/config';
import { resultsReporters } from '../../scripts/vitest-shared.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: resultsReporters('engine'),
  },
});
