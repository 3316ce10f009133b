import { describe, expect, it } from 'vitest';
import { statusLine, TerminalProgress } from '../../../chaos/src/runner/progress.js';

const sample = { t: 1000, written: 120, delivered: { kafka: 100, redis: 120 }, lagMs: { kafka: 300, redis: 0 }, engine: 'running' };

function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = { isTTY: tty, columns: 60, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe('live progress', () => {
  it('shows phase, written, delivered per sink, engine state and active faults', () => {
    expect(statusLine('[1/2] x (mysql)', 'workload', 12.7, sample, ['partition@kafka'])).toBe('[1/2] x (mysql) | workload 12s | written 120 | kafka 100 redis 120 | engine running | faults: partition@kafka');
    expect(statusLine('t', 'setup', 0, undefined, [])).toBe('t | setup 0s');
  });

  it('rewrites one line on a TTY, truncated to the terminal width', () => {
    const out = fakeStream(true);
    const p = new TerminalProgress(out.stream);
    p.begin('[1/1] a-very-long-scenario-name (postgres)');
    p.phase('workload');
    p.sample(sample, ['latency@source', 'partition@kafka']);
    const frames = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(frames.at(-1)!.length).toBeLessThanOrEqual(60);
    expect(frames.at(-1)!.endsWith('…')).toBe(true);
  });

  it('prints whole lines off a TTY: on each phase, and samples at most every few seconds', () => {
    const out = fakeStream(false);
    const p = new TerminalProgress(out.stream, false, 60_000);
    p.begin('run');
    p.phase('workload');
    p.sample(sample, []);
    p.sample(sample, []);
    p.log('nemesis: partition on kafka for 4s');
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toEqual(['run: starting', 'run | workload 0s', '  nemesis: partition on kafka for 4s']);
    expect(out.text()).not.toContain('\r');
  });
});
