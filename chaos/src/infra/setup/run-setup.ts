import { mkdir } from 'node:fs/promises';
import { cachePaths, type CachePaths } from '../cache-paths.js';
import { aptPackagesStep } from './apt-packages.js';
import { kafkaJarsStep } from './kafka-jars.js';
import { kafkaNativeClientStep } from './kafka-native-client.js';
import { schemaRegistryStep } from './schema-registry-build.js';
import type { SetupContext, SetupStep } from './setup-step.js';
import { templatesStep } from './templates-step.js';
import { toxiproxyStep } from './toxiproxy-binary.js';

/** The steps of `tidemark-chaos setup`, in order (templates need the servers installed first). */
export const SETUP_STEPS: readonly SetupStep[] = [aptPackagesStep, kafkaNativeClientStep, kafkaJarsStep, schemaRegistryStep, toxiproxyStep, templatesStep];

export interface SetupOptions {
  readonly paths?: CachePaths;
  readonly env?: NodeJS.ProcessEnv;
  readonly steps?: readonly SetupStep[];
  /** Where lines go; defaults to stdout. */
  readonly print?: (line: string) => void;
  /** Show every line the installers print instead of a throttled heartbeat. */
  readonly verbose?: boolean;
}

export interface SetupReport {
  readonly ok: boolean;
  readonly totalMs: number;
  readonly steps: readonly { title: string; outcome: 'skipped' | 'done' | 'failed'; ms: number; detail: string }[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Shows installer output at most every 2 s (unless verbose), so long downloads stay visible but quiet. */
export function throttledProgress(print: (line: string) => void, verbose: boolean, started: number): (line: string) => void {
  let lastShown = 0;
  return (line) => {
    const now = Date.now();
    if (!verbose && now - lastShown < 2000) return;
    lastShown = now;
    print(`      … ${seconds(now - started)}  ${line.slice(0, 110)}`);
  };
}

/** Runs every step whose check says it has work to do; stops at the first failure. */
export async function runSetup(options: SetupOptions = {}): Promise<SetupReport> {
  const paths = options.paths ?? cachePaths();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const steps = options.steps ?? SETUP_STEPS;
  await mkdir(paths.root, { recursive: true });
  print(`tidemark-chaos setup: cache ${paths.root}`);
  const started = Date.now();
  const results: SetupReport['steps'][number][] = [];
  for (const [index, step] of steps.entries()) {
    const stepStarted = Date.now();
    const label = `[${index + 1}/${steps.length}] ${step.title}`;
    const ctx: SetupContext = { paths, env: options.env ?? process.env, progress: throttledProgress(print, options.verbose ?? false, stepStarted) };
    try {
      const present = await step.check(ctx);
      if (present !== undefined) {
        results.push({ title: step.title, outcome: 'skipped', ms: Date.now() - stepStarted, detail: present });
        print(`${label}: already done (${present})`);
        continue;
      }
      print(`${label}: working…`);
      const detail = await step.run(ctx);
      const ms = Date.now() - stepStarted;
      results.push({ title: step.title, outcome: 'done', ms, detail });
      print(`${label}: done in ${seconds(ms)} (${detail})`);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      results.push({ title: step.title, outcome: 'failed', ms: Date.now() - stepStarted, detail });
      print(`${label}: FAILED after ${seconds(Date.now() - stepStarted)}\n${detail}`);
      return { ok: false, totalMs: Date.now() - started, steps: results };
    }
  }
  const totalMs = Date.now() - started;
  print(`setup complete in ${seconds(totalMs)}`);
  return { ok: true, totalMs, steps: results };
}
