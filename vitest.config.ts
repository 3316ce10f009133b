import { defineConfig } from 'vitest/config';

/** What every test process needs, whichever config runs it (vitest.docker.config.ts too). */
export const processOptions = {
  pool: 'forks' as const,
  // isolated-vm (the javascript processor) needs it on Node 20+: see engine/src/processors/javascript/isolated-vm.ts.
  execArgv: ['--no-node-snapshot'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

/** Need a Docker engine and images: run by vitest.docker.config.ts (the testcontainers path). */
const DOCKER_ONLY = ['test/docker/**', 'test/contract/providers/testcontainers.test.ts'];
/** The tier is in the file name: `*.int.test.ts` start real servers, `*.e2e.test.ts` drive a browser. */
const SERVER_TIERS = ['**/*.int.test.ts', '**/*.e2e.test.ts'];

export default defineConfig({
  test: {
    ...processOptions,
    projects: [
      {
        // Pure logic, no servers: one process for all of them (a fresh process per file spent
        // 2 of every 3 seconds on start-up and imports: 189 s isolated, 69 s shared, 142 files).
        extends: true,
        test: {
          name: 'pure',
          include: ['test/{engine,chaos,bench}/**/*.test.ts'],
          exclude: [...SERVER_TIERS, '**/node_modules/**'],
          isolate: false,
          maxWorkers: 1,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Real servers: one file at a time, all in one process as in `pure` (each file in its own
        // process spent 65 s of a run on start-up and imports). A file's servers, engines and
        // clients are its own and stopped in its afterAll, so a file leaves nothing to the next.
        extends: true,
        test: {
          name: 'servers',
          include: [...SERVER_TIERS.map((tier) => `test/${tier}`), 'test/contract/**/*.test.ts'],
          exclude: [...DOCKER_ONLY, '**/node_modules/**'],
          isolate: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          // Run-wide topology, started only when a test asks for it (sharedTopology in test/support/infra.ts).
          globalSetup: ['test/support/global-infra.ts'],
        },
      },
    ],
  },
});
