/**
 * The leak checker fits the engine's live heap, one point per full collection; runs that judge
 * it preload gc-pacer into the engine so the points come at a steady pace (run-scenario.ts).
 * Plain Node processes here, no servers: the preload must give full (mark-compact) collections
 * as the engine's own observer counts them, and refuse to start half-configured.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACER = new URL('../../../chaos/dist/engine/gc-pacer.js', import.meta.url).href;
// The same test engine/src/metrics/live-heap.ts makes: a gc entry of kind MAJOR.
const COUNT_FULL_COLLECTIONS = `
const { PerformanceObserver, constants } = require('node:perf_hooks');
let full = 0;
new PerformanceObserver((l) => { full += l.getEntries().filter((e) => e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length; }).observe({ entryTypes: ['gc'] });
setTimeout(() => console.log(full), 1_000);`;

function node(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...args, '-e', COUNT_FULL_COLLECTIONS], { env: { ...process.env, ...env }, encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('gc-pacer (preloaded into the engine for leak runs)', () => {
  it('runs a full collection every TIDEMARK_GC_EVERY_MS, where an idle process runs none', () => {
    const paced = node(['--expose-gc', '--import', PACER], { TIDEMARK_GC_EVERY_MS: '100' });
    expect(paced.status, paced.stderr).toBe(0);
    expect(Number(paced.stdout)).toBeGreaterThanOrEqual(5);
    const idle = node([], {});
    expect(Number(idle.stdout)).toBe(0);
  });

  it('refuses to start without --expose-gc or without a pace, saying which', () => {
    const noFlag = node(['--import', PACER], { TIDEMARK_GC_EVERY_MS: '100' });
    expect(noFlag.status).not.toBe(0);
    expect(noFlag.stderr).toContain('start node with --expose-gc');
    const noPace = node(['--expose-gc', '--import', PACER], { TIDEMARK_GC_EVERY_MS: '' });
    expect(noPace.status).not.toBe(0);
    expect(noPace.stderr).toContain('TIDEMARK_GC_EVERY_MS must be a positive number');
  });
});
