import { createRequire } from 'node:module';
import type IsolatedVm from 'isolated-vm';
import { TidemarkError } from '../../errors/index.js';

export type Ivm = typeof IsolatedVm;

let loaded: Ivm | null = null;

/**
 * isolated-vm, loaded on first use so that pipelines without a javascript processor never need
 * the native module. On Node 20+ it must run with `--no-node-snapshot` (isolates built next to
 * Node's snapshot share heap data that crashes the process), so its absence is an error here
 * rather than a segfault later; the `tidemark` launcher passes the flag.
 */
export function loadIsolatedVm(): Ivm {
  if (loaded) return loaded;
  if (!snapshotDisabled()) {
    throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_RUNTIME', `the javascript processor needs Node.js started with --no-node-snapshot (Node ${process.versions.node}); run the engine with the tidemark launcher, or add the flag: node --no-node-snapshot …`);
  }
  try {
    loaded = createRequire(import.meta.url)('isolated-vm') as Ivm;
    return loaded;
  } catch (e) {
    throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_RUNTIME', `the javascript processor needs the isolated-vm module, which did not load: ${(e as Error).message}. Reinstall the engine's dependencies (npm install compiles it with node-gyp).`, { cause: e });
  }
}

export function snapshotDisabled(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) return true;
  return process.execArgv.includes('--no-node-snapshot') || /(^|\s)--no-node-snapshot(\s|$)/.test(process.env.NODE_OPTIONS ?? '');
}
