/**
 * Kafka exactly-once under SIGKILL: the engine (engine/dist/testing/replay-main.js, a real
 * process with SQLite checkpoints) writes 20 transactional batches; it is killed -9 at random
 * instants and restarted until it reports {"done":true}. A read_committed reader must then see
 * every generated event exactly once and in order per key; a read_uncommitted reader sees the
 * aborted copies too, which shows the check can tell the two apart. Twenty rounds per client,
 * both clients at once, one broker, a topic per round. Needs `npx tsc -b` (the harness runs from dist).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { address } from '../../../../chaos/src/infra/index.js';
import { seededRandom } from '../../../../engine/src/util/backoff.js';
import { useTopology } from '../../../support/infra.js';
import { json, readTopic, type TopicRecord } from './kafka-read.js';

const HARNESS = resolve('engine/dist/testing/replay-main.js');
const ROUNDS = Number(process.env.TIDEMARK_CRASH_ROUNDS ?? 20);
const BATCHES = 20;
const BATCH_EVENTS = 40;
const EVENTS = BATCHES * BATCH_EVENTS;
const RUN_LIMIT_MS = 90_000;
/** Most kills per round before the engine is left to finish. */
const MAX_KILLS = 2;
const SEED = Number(process.env.TIDEMARK_CRASH_SEED ?? Date.now() % 1_000_000);

const infra = useTopology(['kafka']);
let workDir: string;

beforeAll(async () => {
  if (!existsSync(HARNESS)) throw new Error(`${HARNESS} is missing: run npx tsc -b first`);
  workDir = mkdtempSync(join(tmpdir(), 'tidemark-kafka-crash-'));
  // A WAN-like round trip stretches each transaction over several round trips, so that kills
  // land while one is open (its records on the broker, uncommitted), not only between them.
  await infra().toxiproxy.latency('kafka', 20);
});
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface RunOutcome {
  readonly done: boolean;
  readonly killed: boolean;
  readonly output: string;
}

/**
 * When to SIGKILL: `afterStart` ms after spawn (during start-up), or `afterFirstCommit` ms after
 * the engine reports its first checkpoint (mid-stream, where transactions are open). Anchoring
 * on the first commit keeps kills inside the batches however slow start-up is on a busy host.
 */
type KillPlan = { readonly afterStart: number } | { readonly afterFirstCommit: number } | null;

/** Starts the engine and kills it as planned unless it finished first. */
function runEngine(configPath: string, plan: KillPlan): Promise<RunOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [HARNESS, configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TIDEMARK_LOG_LEVEL: 'warn' } });
    let output = '';
    let killed = false;
    let timer: NodeJS.Timeout | null = null;
    const killIn = (ms: number) => (timer ??= setTimeout(() => (killed = child.kill('SIGKILL')), ms));
    if (plan && 'afterStart' in plan) killIn(plan.afterStart);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (plan && 'afterFirstCommit' in plan && output.includes('{"checkpoint"')) killIn(plan.afterFirstCommit);
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // A run must finish on its own well within this; a hang is a failure, not a wait.
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not finish within ${RUN_LIMIT_MS} ms:\n${output.slice(-4000)}`));
    }, RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      if (timer) clearTimeout(timer);
      const done = output.includes('{"done":true}');
      if (!killed && !done) reject(new Error(`engine exited with ${code} before finishing:\n${output.slice(-4000)}`));
      else resolvePromise({ done, killed: killed && !done, output });
    });
  });
}

function checkExactlyOnceInOrder(records: readonly TopicRecord[], expect: ExpectStatic): void {
  const seen = new Map<number, number>();
  const lastPerKey = new Map<string, number>();
  for (const r of records) {
    const after = json(r).after as { id: number; v: number };
    seen.set(after.v, (seen.get(after.v) ?? 0) + 1);
    // Records of one key share a partition; readTopic returns each partition in offset order.
    const key = `${r.headers['tidemark-table']}/${after.id}`;
    const prev = lastPerKey.get(key);
    if (prev !== undefined && after.v <= prev) throw new Error(`order broken for ${key}: ${after.v} after ${prev}`);
    lastPerKey.set(key, after.v);
  }
  const missing = Array.from({ length: EVENTS }, (_, i) => i).filter((v) => !seen.has(v));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([v]) => v);
  expect({ missing: missing.slice(0, 20), duplicated: duplicated.slice(0, 20), total: records.length }).toEqual({ missing: [], duplicated: [], total: EVENTS });
}

// The two clients run side by side (a topic and a transactional id each): a round mostly waits
// on the broker and on process start-up, so the pair takes little longer than one.
describe.concurrent('kafka exactly-once under SIGKILL', () => {
  it.for(['kafkajs', 'confluent'] as const)(`%s: ${ROUNDS} rounds of ${BATCHES} transactional batches, killed at random instants: read_committed sees every event once, in order (seed ${SEED})`, { timeout: 900_000 }, async (client, { expect }) => {
    // The kill schedule replays from TIDEMARK_CRASH_SEED.
    const random = seededRandom(SEED + (client === 'kafkajs' ? 0 : 1));
    const brokers = address(infra().get('kafka'), 'proxy');
    const direct = address(infra().get('kafka'), 'direct');
    let totalKills = 0;
    let abortedRecords = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = `crash-${client}-${SEED}-${round}`;
      const dataDir = join(workDir, pipeline);
      const configPath = join(workDir, `${pipeline}.json`);
      writeFileSync(
        configPath,
        JSON.stringify({
          pipeline,
          dataDir,
          events: EVENTS,
          txSize: 4,
          keys: 7,
          sinks: [{ type: 'kafka', config: { id: 'k', brokers, topic: pipeline, client, exactly_once: true, send_timeout_secs: 15 } }],
          batch: { max_events: BATCH_EVENTS, max_ms: 50 },
          chunk: BATCH_EVENTS / 2,
          chunkDelayMs: 40,
        }),
      );
      mkdirSync(dataDir, { recursive: true });
      // One or two kills per round, most of them mid-stream, some during start-up.
      const planned = 1 + Math.floor(random() * MAX_KILLS);
      let kills = 0;
      for (let start = 0; ; start++) {
        if (start > MAX_KILLS + 3) throw new Error(`${pipeline}: still not done after ${start} starts`);
        const plan: KillPlan = kills >= planned ? null : random() < 0.2 ? { afterStart: Math.floor(random() * 1_500) } : { afterFirstCommit: Math.floor(random() * 1_200) };
        const outcome = await runEngine(configPath, plan);
        if (outcome.done) break;
        kills++;
      }
      totalKills += kills;
      const committed = await readTopic(direct, pipeline, 'read_committed');
      checkExactlyOnceInOrder(committed, expect);
      const uncommitted = await readTopic(direct, pipeline, 'read_uncommitted');
      expect(uncommitted.length).toBeGreaterThanOrEqual(committed.length);
      abortedRecords += uncommitted.length - committed.length;
    }
    console.log(`kafka ${client}: ${ROUNDS} rounds, ${totalKills} kills, ${abortedRecords} aborted records visible only to read_uncommitted (seed ${SEED})`);
    expect(totalKills).toBeGreaterThanOrEqual(ROUNDS / 2);
    // Kills landed inside transactions: their data exists, and read_committed hid it.
    expect(abortedRecords).toBeGreaterThan(0);
  });
});
