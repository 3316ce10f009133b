import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTopic } from '../sink-kafka.js';
import { readTopic, type TopicContents } from './topic-read.js';
import { timeline, TopicWatch } from './topic-watch.js';

/** A system writing the backlog into one topic: Connect, the engine, or Kafka's producer benchmark. */
export interface SystemUnderTest {
  pid(): number | undefined;
  /** null while it works; otherwise why it does not (with its log). */
  deathNotice(): Promise<string | null> | string | null;
  stop(): Promise<void>;
}

export interface Measured {
  readonly system: string;
  readonly rows: number;
  readonly eventsPerSecond: number;
  /** From the system's launch to its first record in the topic. */
  readonly firstEventSeconds: number;
  readonly peakRssMb: number;
  /** The system's CPU (every thread) between its first and its Nth record, per million records. */
  readonly cpuSecondsPerMillion: number;
  /** The broker's CPU over the same window, per million records. */
  readonly brokerCpuSecondsPerMillion: number;
  readonly avgValueBytes: number;
  readonly contents: TopicContents;
}

export interface MeasureOptions {
  readonly name: string;
  readonly brokers: string;
  readonly brokerPid: number | undefined;
  readonly topic: string;
  readonly partitions: number;
  readonly rows: number;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
  /** Whether every row id 1..rows must be in the keys (false for the producer benchmark, which sends none). */
  readonly checkRows: boolean;
  /** Starts the system in `dir` (a fresh temp dir, removed afterwards unless the run failed). */
  readonly launch: (dir: string) => Promise<SystemUnderTest>;
}

/**
 * Runs one system alone against the topic, from launch until the topic holds every row and has
 * been still for 3 s, then stops it and reads the topic back: events/s from the first record to
 * the Nth, time to first record, peak RSS (VmHWM), CPU per million records for the system and the
 * broker, and a check that every row arrived.
 */
export async function measure(o: MeasureOptions): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), `tidemark-vs-debezium-${o.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-`));
  let keep = true;
  await createTopic(o.brokers, o.topic, o.partitions);
  let system: SystemUnderTest | null = null;
  const watch = new TopicWatch(o.brokers, o.topic, { system: () => system?.pid(), broker: o.brokerPid });
  await watch.start();
  try {
    const launchedAt = performance.now() - watch.startedAt;
    system = await o.launch(dir);
    const sut = system;
    await watch.untilSettled({
      atLeast: o.rows,
      settleMs: 3_000,
      stallMs: 180_000,
      signal: o.signal,
      alive: () => sut.deathNotice(),
      progress: (total, seconds) => o.progress(`${o.name}: ${total.toLocaleString('en-US')} of ${o.rows.toLocaleString('en-US')} records after ${seconds.toFixed(0)} s`),
    });
    await sut.stop();
    system = null;
    await watch.stop();
    const ends = watch.samples.at(-1)!.ends;
    o.progress(`${o.name}: reading the topic back (${ends.reduce((a, b) => a + b, 0).toLocaleString('en-US')} offsets)`);
    const contents = await readTopic(o.brokers, o.topic, ends, o.rows);
    if (o.checkRows && contents.distinctRows !== o.rows) throw new Error(`${o.name} delivered ${contents.distinctRows.toLocaleString('en-US')} of ${o.rows.toLocaleString('en-US')} rows (topic ${o.topic}, files in ${dir})`);
    const t = timeline(watch.samples, contents.dataOffsets, o.rows);
    const seconds = (t.nthAt - t.firstAt) / 1000;
    const perMillion = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? NaN : ((b - a) / o.rows) * 1e6);
    const peakRssMb = Math.max(...watch.samples.map((s) => s.system?.peakRssMb ?? 0));
    keep = false;
    return {
      system: o.name,
      rows: o.rows,
      eventsPerSecond: o.rows / seconds,
      firstEventSeconds: (t.firstAt - launchedAt) / 1000,
      peakRssMb,
      cpuSecondsPerMillion: perMillion(t.first.system?.cpuSeconds, t.nth.system?.cpuSeconds),
      brokerCpuSecondsPerMillion: perMillion(t.first.broker?.cpuSeconds, t.nth.broker?.cpuSeconds),
      avgValueBytes: contents.valueBytes / Math.max(1, contents.records),
      contents,
    };
  } finally {
    await system?.stop();
    await watch.stop();
    if (keep) o.progress(`${o.name}: logs and files kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}
