import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; a short summary keeps CI logs readable.
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
