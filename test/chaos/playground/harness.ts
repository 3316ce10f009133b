import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO, 'chaos', 'bin', 'tidemark-chaos.js');

/** A short scenario for the browser test: 4 s of writes, a 1 s Kafka partition, two sinks. */
const SMOKE = `name: smoke
description: A short run for the playground's browser test; a one-second Kafka partition, everything arrives.
sources: [mysql]
tags: [network]
pipeline: standard.yaml
sinks:
  kafka: { exactly_once: false }
  redis: { exactly_once: false }
workload:
  writers: 2
  rate: 20
  duration: 4
nemesis:
  - { at: 1, fault: partition, target: kafka, duration: 1 }
deadline: 30
`;

/**
 * A scenarios folder with the shipped pipelines, the playground's scenarios and the smoke run.
 * The A/B backlog is the shipped one with 3 s of writes instead of 8: the browser test checks
 * that both configs drain it and get compared, not the figures, and each config's run is 5 s shorter.
 */
export function scenariosDir(root: string): string {
  const dir = join(root, 'scenarios');
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, 'scenarios', 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'scenarios', 'playground.yaml'), join(dir, 'playground.yaml'));
  const backlog = readFileSync(join(REPO, 'scenarios', 'playground-backlog.yaml'), 'utf8');
  const shorter = backlog.replace(/duration: 8\b/g, 'duration: 3');
  if ((shorter.match(/duration: 3\b/g) ?? []).length !== 2) throw new Error('scenarios/playground-backlog.yaml changed: update scenariosDir() in test/chaos/playground/harness.ts');
  writeFileSync(join(dir, 'playground-backlog.yaml'), shorter);
  writeFileSync(join(dir, 'smoke.yaml'), SMOKE);
  return dir;
}

export interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly base: string;
  readonly token: string | null;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

/** `tidemark-chaos playground` as a user starts it; resolves once it printed its URL. */
export function startPlayground(args: readonly string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'playground', '--port', '0', '--provider', 'native', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TIDEMARK_PLAYGROUND_TOKEN: '' } });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^playground: (http:\/\/[^/]+)\/(?:\?token=(\S+))?$/.exec(line);
      if (m) resolve({ child, url: `${m[1]}/${m[2] ? `?token=${m[2]}` : ''}`, base: m[1]!, token: m[2] ?? null, output, exited });
    });
    void exited.then((code) => reject(new Error(`the playground exited (${code}) before printing its URL:\n${output.join('\n')}`)));
  });
}

/** Reads an SSE stream into one string until aborted (for the no-secrets check). */
export function collectStream(url: string, signal: AbortSignal): { text: () => string; done: Promise<void> } {
  let text = '';
  const done = (async () => {
    try {
      const res = await fetch(url, { signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return { text: () => text, done };
}
