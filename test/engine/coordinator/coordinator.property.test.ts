/**
 * Model-based properties of the coordinator: random transactions, batch limits, sink sets,
 * commit policies, scripted sink failures and crashes at random deliveries, with restarts
 * from the stored checkpoints. After the final run every sink must hold the whole source log.
 *
 * Checked against a reference model of what each sink may legally have received:
 *   no loss        every event reaches every sink;
 *   order          within a run a sink's writes are contiguous in source order; only a retried
 *                  batch may repeat, and after a restart delivery resumes exactly after the
 *                  sink's own checkpoint (so nothing at or before it is sent twice);
 *   exactly-once   a sink that owns its checkpoint never receives an event twice;
 *   no torn tx     with respect_source_tx every write is made of whole transactions;
 *   checkpoint     every saved checkpoint is covered: the sink holds every event up to it;
 *   release        the source is only told to release positions every sink holds;
 *   resume         each restart resumes from the minimum checkpoint over the sinks.
 *
 * Half the cases put a random processor stage in front of the sinks: a deterministic function
 * of each event (keep, drop, rewrite, split in two; sometimes asynchronous) that may also return
 * its output shuffled. The model then expects the *surviving* events (copies included): none
 * lost, in source order, checkpoints never ahead of what a sink holds, a batch whose events
 * were all dropped still moves the checkpoint, and each copy gets its own idempotency key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend, type CheckpointStore } from '../../../engine/src/checkpoints/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import { idempotencyKey, type ChangeEvent, type Position } from '../../../engine/src/event/index.js';
import type { ErrorKind } from '../../../engine/src/errors/index.js';
import type { Processor } from '../../../engine/src/processors/processor.js';
import { MemorySink, MemorySource, type SinkFault } from '../../../engine/src/testing/index.js';
import type { Clock } from '../../../engine/src/util/clock.js';
import { buildLog, txArb } from '../../support/transactions.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 1000);

/** Timers and backoff collapse to "soon", so a case runs in milliseconds and stays deterministic in outcome. */
const fastClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) => new Promise((resolve) => (signal?.aborted ? resolve() : setImmediate(resolve))),
  setTimer: (_ms, fn) => {
    const t = setTimeout(fn, 0);
    return { cancel: () => clearTimeout(t) };
  },
};

type FaultSpec = 'retryable' | 'lost-ack' | 'non-retryable' | 'fatal';
type Fate = 'keep' | 'drop' | 'rewrite' | 'split';
interface ProcessorGen {
  readonly fates: readonly Fate[];
  readonly async: boolean;
  readonly shuffle: boolean;
}
interface SinkSpecGen {
  readonly required: boolean;
  readonly ownsCheckpoint: boolean;
  readonly faults: readonly FaultSpec[];
}

const scenarioArb = fc
  .record({
    txs: fc.array(txArb(6), { minLength: 1, maxLength: 30 }),
    maxEvents: fc.integer({ min: 1, max: 8 }),
    maxBytes: fc.integer({ min: 50, max: 2000 }),
    respectSourceTx: fc.boolean(),
    maxInflight: fc.integer({ min: 1, max: 4 }),
    chunk: fc.integer({ min: 1, max: 40 }),
    sinks: fc.array(
      fc.record({
        required: fc.boolean(),
        ownsCheckpoint: fc.boolean(),
        faults: fc.array(fc.constantFrom<FaultSpec>('retryable', 'retryable', 'lost-ack', 'non-retryable', 'fatal'), { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    mode: fc.constantFrom('required', 'all', 'quorum'),
    quorumPick: fc.nat(),
    // The engine dies at the atCall-th deliver call, after (afterStore) or before that batch lands.
    crashes: fc.array(fc.record({ atCall: fc.integer({ min: 1, max: 40 }), afterStore: fc.boolean() }), { maxLength: 3 }),
    processor: fc.option(
      fc.record({
        fates: fc.array(fc.constantFrom<Fate>('keep', 'drop', 'drop', 'rewrite', 'split'), { minLength: 1, maxLength: 7 }),
        async: fc.boolean(),
        shuffle: fc.boolean(),
      }),
      { nil: null },
    ),
  })
  .map((s) => ({ ...s, quorum: 1 + (s.quorumPick % s.sinks.length) }));

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const offsetOf = (p: Position): number => (p as { offset: number }).offset;
const offsets = (events: readonly ChangeEvent[]): number[] => events.map((e) => offsetOf(e.source.position));

function toFault(f: FaultSpec): SinkFault {
  if (f === 'lost-ack') return { kind: 'retryable', stored: true };
  return { kind: f as ErrorKind };
}

const fateOf = (g: ProcessorGen | null, offset: number): Fate => (g ? g.fates[offset % g.fates.length]! : 'keep');
const copiesOf = (f: Fate): number => (f === 'drop' ? 0 : f === 'split' ? 2 : 1);

/** The random processor: the same output for the same event in every run, so replays agree. */
function randomProcessor(g: ProcessorGen): Processor {
  const apply = (events: readonly ChangeEvent[]): ChangeEvent[] => {
    const out = events.flatMap((e): ChangeEvent[] => {
      const f = fateOf(g, offsetOf(e.source.position));
      if (f === 'drop') return [];
      if (f === 'keep') return [e];
      const rewritten = { ...e, after: { ...e.after, rewritten: true } };
      return f === 'rewrite' ? [rewritten] : [e, { ...rewritten, after: { ...rewritten.after, copy: 1 } }];
    });
    return g.shuffle ? out.reverse() : out;
  };
  return { id: 'random', process: (events) => (g.async ? Promise.resolve().then(() => apply(events)) : apply(events)) };
}

/** Every surviving offset 0..through is present in what the sink holds (as many times as it was split). */
function holdsPrefix(sink: MemorySink, through: number, g: ProcessorGen | null = null): boolean {
  const held = new Map<number, number>();
  for (const o of offsets(sink.events)) held.set(o, (held.get(o) ?? 0) + 1);
  for (let o = 0; o <= through; o++) if ((held.get(o) ?? 0) < copiesOf(fateOf(g, o))) return false;
  return true;
}

interface Violation {
  readonly what: string;
  readonly detail: unknown;
}

/** Wraps a store so every save is checked against what the sinks hold at that instant. */
function checkedStore(inner: CheckpointStore, sinksById: Map<string, MemorySink>, violations: Violation[], g: ProcessorGen | null): CheckpointStore {
  return {
    kv: inner.kv,
    load: (k) => inner.load(k),
    loadAll: () => inner.loadAll(),
    remove: (k) => inner.remove(k),
    async save(entries) {
      for (const { key, position } of entries) {
        const sink = sinksById.get(key.split('::sink::')[1]!)!;
        if (!holdsPrefix(sink, offsetOf(position), g)) violations.push({ what: 'checkpoint ahead of what the sink holds', detail: { sink: sink.id, checkpoint: position, held: offsets(sink.events) } });
      }
      await inner.save(entries);
    },
  };
}

async function runScenario(s: Scenario): Promise<{ violations: Violation[]; sinks: MemorySink[]; log: ChangeEvent[]; runs: number }> {
  const log = buildLog(s.txs);
  const violations: Violation[] = [];
  const sinks = s.sinks.map((g: SinkSpecGen, i) => {
    const sink = new MemorySink(`sink${i}`, { required: g.required, ownsCheckpoint: g.ownsCheckpoint });
    sink.failNext(...g.faults.map(toFault));
    return sink;
  });
  const sinksById = new Map(sinks.map((k) => [k.id, k]));
  const backend = new MemoryCheckpointBackend();
  const store = checkedStore(backend.forPipeline('p'), sinksById, violations, s.processor);
  const crashes = [...s.crashes].sort((a, b) => a.atCall - b.atCall);
  let calls = 0;
  /** Per run and sink: the checkpoint the sink had when the run started. */
  const startCheckpoints: Array<Map<string, number>> = [];

  for (let run = 0; run < 30; run++) {
    const source = MemorySource.fromEvents(log, { id: 'src', chunk: s.chunk });
    const at = new Map<string, number>();
    for (const sink of sinks) {
      const own = sink.ownsCheckpoint ? sink.checkpoint : null;
      const stored = (await backend.forPipeline('p').load(`src::sink::${sink.id}`))?.position ?? null;
      const p = own ?? stored;
      at.set(sink.id, p ? offsetOf(p) : -1);
      sink.tag = run;
    }
    startCheckpoints.push(at);

    let settle!: (o: 'crashed' | 'failed' | 'completed') => void;
    const outcome = new Promise<'crashed' | 'failed' | 'completed'>((r) => (settle = r));
    const coordinator = new Coordinator({
      pipeline: 'p',
      tenant: 't',
      source,
      sinks,
      processors: s.processor ? [randomProcessor(s.processor)] : [],
      batch: { max_events: s.maxEvents, max_bytes: s.maxBytes, max_ms: 5, respect_source_tx: s.respectSourceTx, max_inflight: s.maxInflight },
      commitPolicy: s.mode === 'quorum' ? { mode: 'quorum', quorum: s.quorum } : { mode: s.mode as 'required' | 'all' },
      store,
      clock: fastClock,
      backoff: { baseMs: 0, capMs: 0 },
      stopTimeoutMs: Infinity,
      onStateChange: (state) => state === 'failed' && settle('failed'),
    });
    for (const sink of sinks) {
      sink.beforeDeliver = () => {
        calls++;
        if (crashes[0] && calls >= crashes[0].atCall && !crashes[0].afterStore) {
          crashes.shift();
          coordinator.crash();
          settle('crashed');
          return 'drop';
        }
      };
      sink.afterStore = () => {
        if (crashes[0] && calls >= crashes[0].atCall && crashes[0].afterStore) {
          crashes.shift();
          coordinator.crash();
          settle('crashed');
        }
      };
    }
    await coordinator.start();
    source.finished().then(async () => {
      await coordinator.stop();
      settle(coordinator.state === 'stopped' ? 'completed' : 'failed');
    });
    const result = await outcome;

    // Resume: this run started from the minimum checkpoint over the sinks.
    const expectedResume = Math.min(...at.values());
    const resumed = source.starts[0];
    if ((resumed ? offsetOf(resumed) : -1) !== expectedResume) violations.push({ what: 'resumed from other than the minimum checkpoint', detail: { run, resumed, expectedResume } });
    // Release: the source only ever released positions every sink holds.
    for (const p of source.acknowledged) {
      for (const sink of sinks) if (!holdsPrefix(sink, offsetOf(p), s.processor)) violations.push({ what: 'source released a position a sink does not hold', detail: { run, position: p, sink: sink.id } });
    }
    const detached = coordinator.status().some((x) => x.detached);
    if (result === 'completed' && !detached) return { violations, sinks, log, runs: run + 1, ...checkHistories(sinks, log, s, startCheckpoints, violations) };
    // An operator restarts a failed pipeline; remaining scripted faults stay in force.
  }
  violations.push({ what: 'did not complete within 30 runs', detail: null });
  return { violations, sinks, log, runs: 30 };
}

function checkHistories(sinks: MemorySink[], log: ChangeEvent[], s: Scenario, startCheckpoints: Array<Map<string, number>>, violations: Violation[]): object {
  // What a sink must receive, in order: each surviving offset once per copy.
  const expected = log.flatMap((_, o) => Array<number>(copiesOf(fateOf(s.processor, o))).fill(o));
  const firstAt = new Map<number, number>();
  expected.forEach((o, i) => firstAt.has(o) || firstAt.set(o, i));
  const firstIndexAfter = (checkpoint: number) => {
    const i = expected.findIndex((o) => o > checkpoint);
    return i === -1 ? expected.length : i;
  };
  // With respect_source_tx a write holds whole transactions: of each, the surviving events.
  const survivorsOf = new Map<string, number[]>();
  for (const e of log) if (copiesOf(fateOf(s.processor, offsetOf(e.source.position))) > 0) survivorsOf.set(e.tx.id, [...(survivorsOf.get(e.tx.id) ?? []), offsetOf(e.source.position)]);
  for (const sink of sinks) {
    const seen = new Map<number, number>();
    let run = -1;
    let expectedStart = 0;
    let prev: { first: number; last: number } | null = null;
    for (const write of sink.writes) {
      const offs = offsets(write.events);
      const first = offs[0]!;
      const last = offs[offs.length - 1]!;
      if (write.tag !== run) {
        run = write.tag;
        expectedStart = firstIndexAfter(startCheckpoints[run]!.get(sink.id)!);
        prev = null;
      }
      // Contiguous in the expected order inside the write (copies next to each other).
      const at = firstAt.get(first) ?? -1;
      if (JSON.stringify(offs) !== JSON.stringify(expected.slice(at, at + offs.length))) violations.push({ what: 'write not contiguous', detail: { sink: sink.id, offs } });
      const retry = prev !== null && first === prev.first && last === prev.last;
      if (retry && sink.ownsCheckpoint) violations.push({ what: 'exactly-once sink received a batch twice', detail: { sink: sink.id, offs } });
      if (!retry && at !== expectedStart) violations.push({ what: at > expectedStart ? 'gap: events skipped' : 'replayed events at or before the checkpoint', detail: { sink: sink.id, run, expectedStart: expected[expectedStart], offs } });
      if (!retry) expectedStart = at + offs.length;
      prev = { first, last };
      const head = write.events[0]!;
      const tail = write.events[write.events.length - 1]!;
      if (s.respectSourceTx && (survivorsOf.get(head.tx.id)![0] !== first || survivorsOf.get(tail.tx.id)!.at(-1) !== last || !tail.tx.end)) {
        violations.push({ what: 'transaction split across writes', detail: { sink: sink.id, txs: write.events.map((e) => `${e.tx.id}/${e.tx.index}${e.tx.end ? '!' : ''}`) } });
      }
      // Each copy of a split event is its own message: distinct idempotency keys within a write.
      const keys = write.events.map((e) => idempotencyKey('t', e));
      if (new Set(keys).size !== keys.length) violations.push({ what: 'two events of a write share an idempotency key', detail: { sink: sink.id, keys } });
      for (const o of offs) seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    const missing = [...new Set(expected)].filter((o) => (seen.get(o) ?? 0) < copiesOf(fateOf(s.processor, o)));
    if (missing.length > 0) violations.push({ what: 'lost events', detail: { sink: sink.id, missing } });
    if (sink.ownsCheckpoint) {
      const dups = [...seen].filter(([o, n]) => n > copiesOf(fateOf(s.processor, o))).map(([o]) => o);
      if (dups.length > 0) violations.push({ what: 'duplicates at an exactly-once sink', detail: { sink: sink.id, dups } });
    }
  }
  return {};
}

describe('coordinator against a reference model', () => {
  it(`keeps every delivery guarantee through sink failures and crashes (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { violations } = await runScenario(s);
        expect(violations).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('pauses the source when max_inflight batches wait for a slow required sink', async () => {
    const log = buildLog(Array.from({ length: 200 }, () => ({ events: [{ key: 1, table: 't1', size: 10 }] })));
    const source = MemorySource.fromEvents(log, { id: 'src', chunk: 1000 });
    const slow = new MemorySink('slow');
    slow.delayMs = 2;
    let maxInflight = 0;
    const coordinator = new Coordinator({
      pipeline: 'p', tenant: 't', source, sinks: [slow],
      batch: { max_events: 5, max_bytes: 1e9, max_ms: 1000, respect_source_tx: true, max_inflight: 2 },
      commitPolicy: { mode: 'required' }, store: new MemoryCheckpointBackend().forPipeline('p'), stopTimeoutMs: Infinity,
    });
    slow.beforeDeliver = () => void (maxInflight = Math.max(maxInflight, coordinator.inflight));
    await coordinator.start();
    await source.finished();
    await coordinator.stop();
    expect(source.pauses).toBeGreaterThan(0);
    // One source chunk may land after pause(): the queue overshoots by at most that chunk's batches.
    expect(offsets(slow.events)).toEqual(log.map((_, i) => i));
    expect(maxInflight).toBeLessThanOrEqual(2 + 1000 / 5);
  });

  it('a fatal sink error stops the pipeline with the reason', async () => {
    const log = buildLog([{ events: [{ key: 1, table: 't1', size: 1 }] }]);
    const sink = new MemorySink('k');
    sink.failNext({ kind: 'fatal' });
    const states: string[] = [];
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const coordinator = new Coordinator({
      pipeline: 'p', tenant: 't', source: MemorySource.fromEvents(log), sinks: [sink],
      batch: { max_events: 1, max_bytes: 1e9, max_ms: 1000, respect_source_tx: true, max_inflight: 2 },
      commitPolicy: { mode: 'required' }, store: new MemoryCheckpointBackend().forPipeline('p'),
      onStateChange: (st) => {
        states.push(st);
        if (st === 'failed') failed();
      },
    });
    await coordinator.start();
    await failure;
    expect(coordinator.state).toBe('failed');
    expect(coordinator.failure?.message).toMatch(/scripted fatal failure/);
    expect(coordinator.failure?.context).toMatchObject({ pipeline: 'p', sink: 'k' });
    // The failure may land before start() returns: it never reaches running, or leaves it.
    expect(states[0]).toBe('starting');
    expect(states[states.length - 1]).toBe('failed');
  });
});
