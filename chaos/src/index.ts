/** @tidemark/chaos — the chaos harness. Infrastructure (providers, topology, Toxiproxy) lives in ./infra. */
export * from './infra/index.js';
