import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisOptions, startTopology, type Topology } from '../../../../chaos/src/infra/index.js';
import { seededRandom } from '../../../../engine/src/util/backoff.js';
import { assertOrderPerKey } from '../pipeline-harness.js';
import { readStream, rowsOf } from './redis-read.js';

/**
 * The engine (the replay harness process, real Redis sink, SQLite checkpoints) is SIGKILLed at
 * random instants while it writes 20 batches, and restarted until it reports done. XRANGE must
 * then hold every event exactly once, in order per key. Needs `npx tsc -b` (engine/dist).
 */
const REPLAY_MAIN = resolve(import.meta.dirname, '../../../../engine/dist/testing/replay-main.js');
const EVENTS = 2000;
const ROUNDS = Number(process.env.TIDEMARK_EO_ROUNDS ?? 20);

let topo: Topology;
let direct: Redis;
let root: string;

beforeAll(async () => {
  topo = await startTopology(['redis'], { provider: 'native' });
  direct = new Redis(redisOptions(topo.get('redis'), 'direct'));
  root = mkdtempSync(join(tmpdir(), 'tidemark-redis-eo-'));
});

afterAll(async () => {
  direct?.disconnect();
  await topo?.down();
  rmSync(root, { recursive: true, force: true });
});

interface RunResult {
  readonly done: boolean;
  /** Checkpoints the run reported before it ended: > 0 means it was killed mid-stream. */
  readonly checkpoints: number;
}

/**
 * One engine run, SIGKILLed `killAfterMs` after it reported its first checkpoint (process start-up
 * takes seconds on a loaded machine, so the clock starts once it streams) unless it finishes first.
 */
function runOnce(configPath: string, killAfterMs: number): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [REPLAY_MAIN, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (out.includes('"failed"') || (code !== null && code !== 0)) return reject(new Error(`engine exited ${code}: ${out}\n${err}`));
      resolveRun({ done: signal === null && out.includes('{"done":true}'), checkpoints: out.split('"checkpoint"').length - 1 });
    });
  });
}

/** Rounds run in two streams side by side (each its own kill schedule): a round mostly waits on process start-up. */
const STREAMS = 2;

it(`SIGKILL at random points during ${ROUNDS} rounds of 20 batches leaves every event exactly once`, async () => {
  const proxied = redisOptions(topo.get('redis'), 'proxy');
  let midStreamKills = 0;
  const runRounds = async (stream: number) => {
    const random = seededRandom(20260601 + stream);
    for (let round = stream; round < ROUNDS; round += STREAMS) {
      const pipeline = `eo-crash-${round}`;
      const dataDir = join(root, pipeline);
      const configPath = join(root, `${pipeline}.json`);
      writeFileSync(
        configPath,
        JSON.stringify({
          pipeline,
          tenant: 'acme',
          dataDir,
          events: EVENTS,
          txSize: 5,
          keys: 37,
          payloadBytes: 200,
          chunk: 100,
          chunkDelayMs: 40,
          batch: { max_events: 100, max_ms: 50 },
          sinks: [{ type: 'redis', config: { id: 'redis-eo', uri: `redis://${proxied.host}:${proxied.port}`, stream: `${pipeline}.\${source.table}`, exactly_once: true } }],
        }),
      );
      let done = false;
      const kills = random() < 0.5 ? 1 : 2;
      for (let run = 0; run < 10 && !done; run++) {
        // The first runs die somewhere in the ~1 s the stream takes; the last one may finish.
        const result = await runOnce(configPath, run < kills ? Math.floor(random() * 1000) : 60_000);
        done = result.done;
        if (!done && result.checkpoints > 0) midStreamKills++;
      }
      expect(done, `round ${round} never finished`).toBe(true);
      const entries = [...(await readStream(direct, `${pipeline}.orders`)), ...(await readStream(direct, `${pipeline}.items`))];
      const rows = rowsOf(entries);
      const keys = new Set(rows.map((r) => r.key));
      expect(keys.size, `round ${round}: distinct events`).toBe(EVENTS);
      expect(rows.length, `round ${round}: duplicates in XRANGE`).toBe(EVENTS);
      assertOrderPerKey(rows);
    }
  };
  await Promise.all(Array.from({ length: STREAMS }, (_, stream) => runRounds(stream)));
  // Most kills must land after some batches were committed and before the last one.
  expect(midStreamKills).toBeGreaterThan(ROUNDS / 2);
}, 600_000);
