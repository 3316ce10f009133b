import { defineConfig } from 'vitest/config';
import { processOptions } from './vitest.config.js';

/**
 * The testcontainers path (README, "The testcontainers path"; .ci/run's Docker job): tests that
 * need a Docker engine and its images, plus the provider-parametrised infra and runner tests.
 * Run with TIDEMARK_PROVIDER=testcontainers:
 *
 *     TIDEMARK_PROVIDER=testcontainers npx vitest run --config vitest.docker.config.ts
 */
export default defineConfig({
  test: {
    ...processOptions,
    maxWorkers: 1,
    globalSetup: ['test/support/global-infra.ts'],
    include: ['test/docker/**/*.test.ts', 'test/contract/providers/testcontainers.test.ts', 'test/chaos/infra/**/*.int.test.ts', 'test/chaos/cli/cli.int.test.ts', 'test/chaos/runner/runner.int.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
