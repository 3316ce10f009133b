import { describe } from 'vitest';
import { createProvider } from '../../../chaos/src/infra/index.js';
import { providerContract } from '../provider-contract.js';

/**
 * Needs a Docker engine and the topology's images (`npx tidemark-chaos images build`): run by
 * vitest.docker.config.ts on the testcontainers path (.ci/testcontainers-path), excluded from `npm test`.
 */
describe('testcontainers provider', () => providerContract(() => createProvider('testcontainers')));
