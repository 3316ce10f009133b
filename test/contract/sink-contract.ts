/**
 * The Sink contract (engine/src/sinks/sink.ts), run against every sink on real servers by one
 * small file per sink (test/contract/sinks/*.test.ts). Each case drives the real Coordinator over
 * a MemorySource and judges only what the sink's server holds afterwards and what the engine
 * itself reports (sink metrics, coordinator status, DLQ journal, failure): never a fixed sleep.
 *
 * Cases: a whole-batch retry is harmless; a poison event goes to the DLQ while its batch goes on,
 * or without a DLQ stops the pipeline naming sink and event; an outage stalls without loss and
 * resumes; a sink that owns its checkpoint reads it back, consistent with its data, after the
 * engine process is SIGKILLed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSpec } from '../../engine/src/config/index.js';
import { TidemarkError } from '../../engine/src/errors/index.js';
import type { Batch, ChangeEvent } from '../../engine/src/event/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../../engine/src/journal/index.js';
import type { Logger } from '../../engine/src/logging/logger.js';
import type { DeliveryReport, Sink } from '../../engine/src/sinks/sink.js';
import { generatedLog } from '../../engine/src/testing/index.js';
import { logOf, startPipeline, TENANT } from '../engine/sinks/pipeline-harness.js';

/** A sink as the contract sees it: how to make one, read what its server holds, and cut it off. */
export interface SinkTarget {
  /** The mode promises no duplicates (exactly-once, or deduplication by the server). */
  readonly exactlyOnce: boolean;
  /** One destination keeps source order across keys (a stream, one partition); else only per key (HTTP sends in parallel). */
  readonly ordered: boolean;
  /**
   * A sink writing to destination `name`, used by a pipeline named `name`. With `routed`, the
   * destination template is `<name>.${after.route}`: an event without `after.route` is poison.
   */
  make(name: string, options: { routed: boolean; dlqEnabled: boolean; logger: Logger }): Sink;
  /** Event ids the destination holds, in its order (routed: the `<name>.ok` destination only). */
  read(name: string, routed: boolean): Promise<string[]>;
  /** Cut the sink off from its server (Toxiproxy down on its proxy) and restore it. */
  cut(): Promise<void>;
  heal(): Promise<void>;
  /** For a sink that owns its checkpoint: its spec for an engine in a child process (engine/dist/testing/replay-main.js). */
  spec?(name: string): { type: string; config: Record<string, unknown> };
}

const REPLAY_MAIN = resolve(import.meta.dirname, '../../engine/dist/testing/replay-main.js');

export const contractEvents = (n: number, txSize = 1): ChangeEvent[] => {
  const log = generatedLog({ events: n, txSize, keys: 11, payloadBytes: 100 });
  return Array.from({ length: n }, (_, i) => log.at(i));
};

/** Every event routed to `ok`, except those at `poison` (they keep no route). */
const routed = (events: readonly ChangeEvent[], poison: readonly number[]) => events.map((e, i) => (poison.includes(i) ? e : { ...e, after: { ...e.after, route: 'ok' } }));

/** A logger that counts the sink's own reports of failed attempts (e.g. a checkpoint read retried inside the sink). */
function countingLogger(): { logger: Logger; failures: () => number } {
  let failures = 0;
  const logger = pino({ level: 'debug' }, { write: (line: string) => void (/fail|error|timed? ?out/i.test(line) && failures++) });
  return { logger, failures: () => failures };
}

/**
 * The sink as the coordinator sees it, except that the acknowledgement of the first attempt at
 * each batch in `seqs` is lost after the data landed: the coordinator must retry the whole batch.
 */
function losingAcks(sink: Sink, seqs: ReadonlySet<number>): { sink: Sink; lost: ChangeEvent[][] } {
  const lost: ChangeEvent[][] = [];
  const done = new Set<number>();
  const wrapped: Sink = {
    id: sink.id,
    required: sink.required,
    ownsCheckpoint: sink.ownsCheckpoint,
    open: () => sink.open(),
    close: () => sink.close(),
    readCheckpoint: () => sink.readCheckpoint(),
    async deliver(batch: Batch): Promise<DeliveryReport> {
      const report = await sink.deliver(batch);
      if (!seqs.has(batch.seq) || done.has(batch.seq)) return report;
      done.add(batch.seq);
      lost.push([...batch.events]);
      throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `contract: acknowledgement of batch ${batch.seq} lost`, { kind: 'retryable' });
    },
  };
  return { sink: wrapped, lost };
}

const tally = (ids: readonly string[]) => {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
};

/** Per key (table + id), the first copies of events arrive in source order. */
function expectOrderPerKey(ids: readonly string[], byId: ReadonlyMap<string, ChangeEvent>): void {
  const last = new Map<string, number>();
  const firsts = new Set<string>();
  for (const id of ids) {
    if (firsts.has(id)) continue;
    firsts.add(id);
    const e = byId.get(id)!;
    const key = `${e.source.table}/${String((e.after as { id: unknown }).id)}`;
    const offset = (e.source.position as { offset: number }).offset;
    expect(offset, `order broken for ${key}`).toBeGreaterThan(last.get(key) ?? -1);
    last.set(key, offset);
  }
}

/**
 * Registers the contract's cases for one sink. `prefix` keeps destination names apart when
 * several targets share a server; it must be a valid topic/stream/subject token.
 */
export function sinkContract(prefix: string, target: () => SinkTarget, options: { ownsCheckpoint?: boolean } = {}): void {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), `tidemark-contract-${prefix}-`));
  });
  afterAll(() => {
    closeDeadLetterJournals();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const journal = (name: string) =>
    openDeadLetterJournal(
      dataDir,
      pipelineSpec.parse({
        apiVersion: 'tidemark/v1',
        kind: 'Pipeline',
        metadata: { name, tenant: TENANT },
        spec: { source: { type: 'mysql', config: { id: 'm', dsn: 'mysql://x@localhost/db', tables: ['db.t'] } }, sinks: [{ type: 'redis', config: { id: 'x', uri: 'redis://x', stream: 'x' } }], journal: { enabled: true } },
      }),
    );

  describe('sink contract', () => {
    it('a whole-batch retry after a lost acknowledgement is harmless', async () => {
      const t = target();
      const name = `${prefix}-retry`;
      const evs = contractEvents(60, 3);
      const { sink, lost } = losingAcks(t.make(name, { routed: false, dlqEnabled: false, logger: countingLogger().logger }), new Set([2, 4]));
      const p = await startPipeline({ sink, log: logOf(evs), pipeline: name, batch: { max_events: 9 }, chunk: 9 });
      await p.waitForCommit(59, 60_000);
      await p.coordinator.stop();
      expect(lost).toHaveLength(2);
      const held = tally(await t.read(name, false));
      expect([...held.keys()].sort()).toEqual(evs.map((e) => e.id).sort());
      const duplicated = [...held].filter(([, c]) => c > 1);
      // Exactly-once: nothing twice. At-least-once: exactly the batches whose acknowledgement was lost, once more each.
      const expected = t.exactlyOnce ? [] : lost.flat().map((e) => [e.id, 2]);
      expect(duplicated.sort()).toEqual(expected.sort());
    }, 90_000);

    it('a poison event goes to the DLQ while the rest of its batch arrives', async () => {
      const t = target();
      const name = `${prefix}-dlq`;
      const evs = routed(contractEvents(30), [17]);
      const dlq = journal(name);
      const sink = t.make(name, { routed: true, dlqEnabled: true, logger: countingLogger().logger });
      const p = await startPipeline({ sink, log: logOf(evs), dlq, pipeline: name, batch: { max_events: 100 } });
      await p.waitForCommit(29, 60_000);
      await p.coordinator.stop();
      const expected = evs.filter((_, i) => i !== 17).map((e) => e.id);
      const held = await t.read(name, true);
      if (t.ordered) expect(held).toEqual(expected);
      else expect([...held].sort()).toEqual([...expected].sort());
      expectOrderPerKey(held, new Map(evs.map((e) => [e.id, e])));
      const entries = await dlq.peek({});
      expect(entries.map((x) => [x.event_id, x.meta.error_kind, x.meta.sink_id])).toEqual([[evs[17]!.id, 'routing', sink.id]]);
    }, 90_000);

    it('without a DLQ, a poison event stops the pipeline with an error naming sink and event, and nothing of its batch is written', async () => {
      const t = target();
      const name = `${prefix}-nodlq`;
      const evs = routed(contractEvents(10), [4]);
      const sink = t.make(name, { routed: true, dlqEnabled: false, logger: countingLogger().logger });
      const p = await startPipeline({ sink, log: logOf(evs), pipeline: name, batch: { max_events: 100 } });
      await p.waitForFailure(60_000);
      const failure = p.coordinator.failure!;
      expect(failure.code).toBe('TIDEMARK_ERR_SINK_ROUTING');
      expect(failure.message).toContain(evs[4]!.id);
      expect(failure.context).toMatchObject({ sink: sink.id, pipeline: name });
      expect(p.committed()).toBe(-1);
      expect(await t.read(name, true)).toEqual([]);
      await p.coordinator.stop();
    }, 90_000);

    it('an outage stalls delivery without loss, and delivery resumes when the server is back', async () => {
      const t = target();
      const name = `${prefix}-outage`;
      const n = 300;
      const evs = contractEvents(n, 3);
      const byId = new Map(evs.map((e) => [e.id, e]));
      const counted = countingLogger();
      const sink = t.make(name, { routed: false, dlqEnabled: false, logger: counted.logger });
      const p = await startPipeline({ sink, log: logOf(evs), pipeline: name, batch: { max_events: 15 }, chunk: 15, chunkDelayMs: 10 });
      await p.waitForCommit(60, 60_000);
      await t.cut();
      try {
        // Stalled, by the engine's own counters: attempts fail (sink metrics, or the sink's own
        // retried reads), batches wait in the lane, and while they keep failing nothing commits.
        const failures = () => p.failedAttempts() + counted.failures();
        const before = failures();
        await p.waitUntil(() => failures() > before, 60_000, 'a delivery to fail during the outage');
        const stalledAt = p.committed();
        const failed = failures();
        await p.waitUntil(() => failures() >= failed + 2, 90_000, 'two more failed attempts');
        expect(p.committed()).toBe(stalledAt);
        expect(stalledAt).toBeLessThan(n - 1);
        expect(p.coordinator.status()[0]!.backlog).toBeGreaterThan(0);
      } finally {
        await t.heal();
      }
      await p.waitForCommit(n - 1, 120_000);
      await p.coordinator.stop();
      const ids = await t.read(name, false);
      const held = tally(ids);
      expect([...held.keys()].sort()).toEqual(evs.map((e) => e.id).sort());
      if (t.exactlyOnce) expect(ids).toHaveLength(n);
      expectOrderPerKey(ids, byId);
    }, 300_000);

    if (!options.ownsCheckpoint) return;
    it('a sink that owns its checkpoint reads it back after a SIGKILL of the engine, consistent with its data', async () => {
      const t = target();
      if (!t.spec) throw new Error('a sink that owns its checkpoint needs spec() to run in the engine process');
      const name = `${prefix}-crash`;
      const n = 400;
      const log = generatedLog({ events: n, txSize: 4, keys: 13 });
      const offsetOf = new Map(Array.from({ length: n }, (_, i) => [log.at(i).id, i]));
      const configPath = join(dataDir, `${name}.json`);
      writeFileSync(
        configPath,
        JSON.stringify({ pipeline: name, tenant: TENANT, dataDir: join(dataDir, name), events: n, txSize: 4, keys: 13, chunk: 20, chunkDelayMs: 30, batch: { max_events: 20, max_ms: 50 }, sinks: [t.spec(name)] }),
      );
      const killed = await runEngine(configPath, 3);
      expect(killed.done).toBe(false);
      const sink = t.make(name, { routed: false, dlqEnabled: false, logger: countingLogger().logger });
      await sink.open();
      const checkpoint = (await sink.readCheckpoint()) as { offset: number } | null;
      await sink.close();
      expect(checkpoint, 'the sink holds a checkpoint').not.toBeNull();
      // The sink commits its checkpoint with the data, before the engine reports the batch.
      expect(checkpoint!.offset).toBeGreaterThanOrEqual(killed.lastCheckpoint);
      const heldBefore = (await t.read(name, false)).map((id) => offsetOf.get(id)!);
      expect(heldBefore).toEqual(Array.from({ length: checkpoint!.offset + 1 }, (_, i) => i));
      const finished = await runEngine(configPath, Infinity);
      expect(finished.done).toBe(true);
      const held = (await t.read(name, false)).map((id) => offsetOf.get(id)!);
      expect(held).toEqual(Array.from({ length: n }, (_, i) => i));
    }, 180_000);
  });
}

/** Runs the engine in a child process; SIGKILLs it once it reported `killAfter` checkpoints. */
async function runEngine(configPath: string, killAfter: number): Promise<{ done: boolean; lastCheckpoint: number }> {
  const child = spawn(process.execPath, [REPLAY_MAIN, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const checkpoints: number[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const m of d.toString().matchAll(/"checkpoint":(\d+)/g)) checkpoints.push(Number(m[1]));
    if (checkpoints.length >= killAfter) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
    child.on('error', rej);
    child.on('exit', (code, signal) => res({ code, signal }));
  });
  const { code, signal } = await exit;
  if (signal === null && code !== 0) throw new Error(`engine exited ${code}: ${out}\n${err}`);
  return { done: out.includes('{"done":true}'), lastCheckpoint: Math.max(-1, ...checkpoints) };
}
