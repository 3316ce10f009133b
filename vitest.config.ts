import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Need a Docker engine and images: run by vitest.docker.config.ts (the testcontainers path).
    exclude: ['test/docker/**', 'test/contract/providers/testcontainers.test.ts', '**/node_modules/**'],
    pool: 'forks',
    // isolated-vm (the javascript processor) needs it on Node 20+: see engine/src/processors/javascript/isolated-vm.ts.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Run-wide topology, started only when a test asks for it (sharedTopology in test/support/infra.ts).
    globalSetup: ['test/support/global-infra.ts'],
  },
});
