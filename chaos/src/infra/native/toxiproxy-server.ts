import { join } from 'node:path';
import type { CachePaths } from '../cache-paths.js';
import { probeToxiproxy } from '../probes.js';
import { ManagedProcess } from '../process/managed-process.js';
import { waitUntilReady } from '../readiness.js';
import { toxiproxyServer } from './binaries.js';

/** Starts toxiproxy-server with its HTTP API on 127.0.0.1:apiPort and waits for it. */
export async function startToxiproxyServer(paths: CachePaths, dir: string, apiPort: number): Promise<{ process: ManagedProcess; url: string }> {
  const logFile = join(dir, 'toxiproxy.log');
  const proc = ManagedProcess.launch({ command: await toxiproxyServer(paths), args: ['-host', '127.0.0.1', '-port', String(apiPort)], cwd: dir, logFile });
  const url = `http://127.0.0.1:${apiPort}`;
  await waitUntilReady(() => probeToxiproxy(url), { what: 'toxiproxy-server', timeoutMs: 15_000, process: proc, logFile });
  return { process: proc, url };
}
