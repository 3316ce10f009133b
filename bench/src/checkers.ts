import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHECKER_NAMES, checkerDef, Judge, type RunFacts } from '@tidemark/chaos/checkers/index';
import { SourceLog, type ImageStore, type RowImage, type SinkRecord, type StoredImages } from '@tidemark/chaos/history/index';
import type { BenchResult } from './report.js';

const SIZES = [1_000_000, 10_000_000];

/**
 * Every chaos checker over one source log and one sink history of N records (1M and 10M by
 * default, each in its own process so peak RSS is its own): transactions of 5 row versions over
 * N/10 keys (at least 10,000), delivered in order with the last 5% replayed, the way a crash
 * leaves an at-least-once sink. Records are generated one at a time and streamed through the
 * judge, as a run's readers stream them; nothing holds the sink history.
 */
export async function benchCheckers(args: { events?: number }): Promise<BenchResult[]> {
  const sizes = args.events ? [args.events] : SIZES;
  const results: BenchResult[] = [];
  for (const events of sizes) results.push(await inChild(events));
  return results;
}

function inChild(events: number): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', String(events)], { execArgv: ['--max-old-space-size=8192'] });
    child.on('message', (m) => resolve(m as BenchResult));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`checker bench child for ${events} events exited with ${code}`))));
  });
}

interface Shape {
  readonly keys: number;
  readonly txns: number;
}

const ROWS_PER_TXN = 5;

function shapeFor(events: number): Shape {
  const base = Math.ceil(events / 1.05);
  return { keys: Math.max(10_000, Math.floor(events / 10)), txns: Math.ceil(base / ROWS_PER_TXN) };
}

/** The i-th row version of the generated workload: key and version only depend on (t, i). */
function keyOf(s: Shape, t: number, i: number): number {
  return (t * ROWS_PER_TXN + i) % s.keys;
}

function image(id: number, version: number): RowImage {
  return { id, writer: 1, version, amount: `${version}.25`, doc: { n: version, tags: ['a', 'b'] }, at: '2024-01-02T03:04:05.123456Z' };
}

/** Images regenerated from the version's (key, version): the bench needs no disk and no memory for them. */
class GeneratedImages implements ImageStore {
  readonly memoryBytes = 0;
  put(images: StoredImages): number {
    const after = images.after!;
    return (after.id as number) * 2 ** 24 + (after.version as number);
  }
  get(ref: number): StoredImages {
    const id = Math.floor(ref / 2 ** 24);
    const version = ref % 2 ** 24;
    return { before: version > 1 ? image(id, version - 1) : null, after: image(id, version) };
  }
  close(): void {}
}

function buildLog(s: Shape): SourceLog {
  const log = new SourceLog({ source: 'mysql', primaryKeys: { accounts: ['id'] }, images: new GeneratedImages() });
  const version = new Uint32Array(s.keys);
  for (let t = 0; t < s.txns; t++) {
    const versions = [];
    for (let i = 0; i < ROWS_PER_TXN; i++) {
      const id = keyOf(s, t, i);
      const v = ++version[id]!;
      versions.push({ table: 'accounts', key: `{"id":${id}}`, version: v, op: v > 1 ? ('u' as const) : ('c' as const), writer: 1, before: v > 1 ? image(id, v - 1) : null, after: image(id, v) });
    }
    log.append({ id: t, writer: 1, versions, outcome: 'ok', invokedAt: t, completedAt: t });
  }
  return log;
}

/** Feeds the judge the delivery of every transaction in order, then the replayed last 5%. */
function deliver(s: Shape, judge: Judge): number {
  const pass = judge.sink({ sink: 'redis', kind: 'redis', exactlyOnce: false });
  const version = new Uint32Array(s.keys);
  const replayFrom = Math.floor(s.txns * 0.95);
  const replayStart = new Uint32Array(s.keys);
  let seq = 0;
  const record = (t: number, i: number, id: number, v: number): SinkRecord => ({
    seq,
    stream: 'accounts',
    table: 'accounts',
    key: `{"id":${id}}`,
    op: v > 1 ? 'u' : 'c',
    version: v,
    writer: 1,
    before: v > 1 ? image(id, v - 1) : null,
    after: image(id, v),
    idempotencyKey: `t|db.accounts|${t}|${i}`,
    txId: String(t),
    txIndex: i,
    txEnd: i === ROWS_PER_TXN - 1,
    position: `accounts@${seq++}`,
    sinkTxn: null,
  });
  for (let t = 0; t < s.txns; t++) {
    for (let i = 0; i < ROWS_PER_TXN; i++) {
      const id = keyOf(s, t, i);
      if (t === replayFrom && i === 0) replayStart.set(version);
      pass.add(record(t, i, id, ++version[id]!));
    }
  }
  version.set(replayStart);
  for (let t = replayFrom; t < s.txns; t++) for (let i = 0; i < ROWS_PER_TXN; i++) pass.add(record(t, i, keyOf(s, t, i), ++version[keyOf(s, t, i)]!));
  return seq;
}

async function child(events: number): Promise<BenchResult> {
  const s = shapeFor(events);
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const log = buildLog(s);
  log.trim();
  const facts: RunFacts = {
    workloadStartedAt: 0,
    workloadEndedAt: 1,
    catchUpFrom: 1,
    deadlineMs: 60_000,
    checkedAt: 2,
    engine: { health: 200, pipelines: [{ name: 'bench', status: 'running' }] },
    sinks: { redis: { caughtUpAt: 1 } },
  };
  const judge = new Judge(log, CHECKER_NAMES.map((n) => checkerDef(n)));
  judge.index(); // building the index is part of judging: timed below with the records
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const records = deliver(s, judge);
  const verdicts = judge.verdicts(facts, []);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  const invalid = verdicts.filter((v) => v.validity !== 'valid').map((v) => `${v.checker}: ${v.summary}`);
  if (invalid.length > 0) throw new Error(`bench history should be valid, but: ${invalid.join('; ')}`);
  const cost = judge.cost();
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  return {
    name: `all checkers, ${records.toLocaleString('en-US')} sink records`,
    events: records,
    seconds,
    peakRssMb: peak / 1024 / 1024,
    notes: `cpu ${((used.user + used.system) / 1e6).toFixed(1)} s; ${s.keys.toLocaleString('en-US')} keys, ${log.versionCount.toLocaleString('en-US')} versions; checkers' own state ${mb(cost.checkerBytes)} MB, source log ${mb(cost.sourceBytes)} MB`,
  };
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3])).then(
    (r) => process.send!(r, () => process.exit(0)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    },
  );
}
