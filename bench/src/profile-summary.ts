import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Top frames of a V8 CPU profile (`node --cpu-prof`): self time and inclusive time per function,
 * so a profile can be read in a terminal and quoted in docs without a browser.
 *   node bench/dist/profile-summary.js <file.cpuprofile> [top] [--during FRAME]
 * Inclusive time counts a function once per sample even when it recurses. `--during` keeps the
 * samples from the first to the last whose stack holds a frame named FRAME (e.g. `send
 * confluent-client.js`): the stretch where the pipeline delivers, without the process's start-up
 * and the idle wait after its last batch, which would otherwise dilute every share.
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface FrameTime {
  readonly frame: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

/** Sample indexes, both ends included. */
export interface SampleWindow {
  readonly first: number;
  readonly last: number;
}

export function summarise(profile: CpuProfile, window: SampleWindow = { first: 0, last: profile.samples.length - 1 }): { readonly totalMs: number; readonly frames: FrameTime[] } {
  const { byId, parent } = tree(profile);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    if (i < window.first || i > window.last) return;
    // A sample's time is the delta to the next one.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const leaf = frameName(byId.get(id)!);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const frames = [...total].map(([frame, totalMs]) => ({ frame, selfMs: self.get(frame) ?? 0, totalMs }));
  return { totalMs, frames };
}

/** From the first to the last sample whose stack holds a frame named `frame` (as printed, or its start); null when none does. */
export function windowOf(profile: CpuProfile, frame: string): SampleWindow | null {
  const { byId, parent } = tree(profile);
  const holds = new Map<number, boolean>();
  const stackHolds = (id: number): boolean => {
    let found = holds.get(id);
    if (found === undefined) {
      const up = parent.get(id);
      found = frameName(byId.get(id)!).startsWith(frame) || (up !== undefined && stackHolds(up));
      holds.set(id, found);
    }
    return found;
  };
  let first = -1;
  let last = -1;
  profile.samples.forEach((id, i) => {
    if (!stackHolds(id)) return;
    if (first < 0) first = i;
    last = i;
  });
  return first < 0 ? null : { first, last };
}

function tree(profile: CpuProfile): { byId: Map<number, ProfileNode>; parent: Map<number, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { byId, parent };
}

function frameName(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url ? basename(url.replace(/^file:\/\//, '')) : '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

function main(argv: string[]): void {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { during: { type: 'string' } } });
  const [file, topArg] = positionals;
  if (!file) {
    console.error('usage: node bench/dist/profile-summary.js <file.cpuprofile> [top] [--during FRAME]');
    process.exit(1);
  }
  const top = Number(topArg ?? 30);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const window = values.during === undefined ? undefined : windowOf(profile, values.during);
  if (window === null) {
    console.error(`no sample of ${file} has a frame named ${JSON.stringify(values.during)} on its stack (names as this tool prints them, e.g. "send confluent-client.js")`);
    process.exit(1);
  }
  const { totalMs, frames } = summarise(profile, window);
  const pct = (ms: number) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%`;
  const busy = totalMs - (frames.find((f) => f.frame === '(idle)')?.selfMs ?? 0);
  const during = window ? ` during ${JSON.stringify(values.during)} (samples ${window.first}–${window.last})` : '';
  console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled${during}, ${(busy / 1000).toFixed(1)} s not idle`);
  console.log('\nself time (where the CPU is):');
  for (const f of [...frames].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(`  ${pct(f.selfMs)}  ${f.frame}`);
  console.log('\ninclusive time (what it is spent for):');
  for (const f of [...frames].filter((f) => !f.frame.startsWith('(')).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(`  ${pct(f.totalMs)}  ${f.frame}`);
}

if (process.argv[1] && basename(process.argv[1]).startsWith('profile-summary')) main(process.argv.slice(2));
