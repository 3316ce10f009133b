import { checkerDef } from '../checkers/index.js';
import { BACKLOG, tablesFor, writeBacklog } from '../workload/index.js';
import { catchUp } from './catch-up.js';
import { EngineMonitor } from './engine-monitor.js';
import { expectedLog } from './expected-log.js';
import { dlqFeeds } from './dlq-feed.js';
import { LiveJudge } from './live-judge.js';
import type { Driven, RunState } from './run-state.js';
import { sleep } from './wait.js';

/**
 * backlog-drain: with the pipeline streaming (warm-up done), the engine is stopped (SIGTERM, its
 * checkpoints saved), `rows` rows are written as fast as the source takes them, and the engine
 * is started again: the drain is timed from that start until every sink holds as many records
 * as rows were written (cheap counts), while the engine's RSS and CPU are sampled. Only then are
 * the sinks read and judged (judging while draining would take CPU from the engine).
 */
export async function driveBacklog(s: RunState): Promise<Driven> {
  const { run, prepared, signal, progress, engine } = s;
  const backlog = run.scenario.backlog!;
  const table = tablesFor(run.source, run.scenario.workload.tables ?? [BACKLOG.name])[0]!;

  s.clock.start('load');
  await engine.stop();
  progress.log(`backlog: engine stopped; writing ${backlog.rows.toLocaleString('en-US')} rows into ${table.name} (${backlog.writers} writers, ${backlog.rows_per_tx} rows per transaction)`);
  const workloadStartedAt = Date.now();
  const written = await writeBacklog({
    source: run.source, connection: prepared!.writeConnection, database: s.ns.database, table, rows: backlog.rows, writers: backlog.writers, rowsPerTx: backlog.rows_per_tx,
    seed: run.seed, images: s.images, signal, progress: (n) => progress.log(`backlog: ${n.toLocaleString('en-US')} rows written`),
  });
  const workloadEndedAt = Date.now();
  s.load = { log: () => written.log, tables: () => [table], finished: async () => written.log, stop: async () => undefined };
  s.measurements.rows = written.rows;
  s.measurements.load_s = round(written.seconds);
  s.measurements.load_rows_per_s = Math.round(written.rows / written.seconds);

  s.clock.start('drain');
  s.monitor = new EngineMonitor(engine);
  const drainStartedAt = Date.now();
  await engine.start();
  s.monitor.start(500);
  const reached = await awaitCounts(s, written.rows, drainStartedAt + run.scenario.deadline * 1000);
  s.monitor.stop();
  const drainEndedAt = Math.max(drainStartedAt, ...Object.values(reached).map((t) => t ?? Date.now()));
  const drainS = (drainEndedAt - drainStartedAt) / 1000;
  s.measurements.drain_s = round(drainS);
  s.measurements.events_per_s = Math.round(written.rows / drainS);
  for (const [sink, at] of Object.entries(reached)) if (at !== null) s.measurements[`events_per_s.${sink}`] = Math.round(written.rows / ((at - drainStartedAt) / 1000));
  const { peakRssMb, cpuS } = s.monitor.window(drainStartedAt, drainEndedAt);
  s.measurements.engine_peak_rss_mb = Math.round(peakRssMb);
  s.measurements.engine_cpu_s = round(cpuS);
  progress.log(`backlog: drained ${written.rows.toLocaleString('en-US')} rows in ${drainS.toFixed(1)} s (${s.measurements.events_per_s.toLocaleString('en-US')} events/s), engine peak RSS ${Math.round(peakRssMb)} MB, ${cpuS.toFixed(1)} CPU s`);

  s.clock.start('catch-up');
  // With processors in the pipeline, the sinks must hold what they make of the rows written.
  const history = await expectedLog(written.log, prepared!.pipeline.document);
  s.judge = new LiveJudge(history, run.scenario.checkers.map((n) => checkerDef(n, { expect: run.scenario.expect })), prepared!.sinks, [table.name], dlqFeeds(s, history));
  s.judge.historyComplete = true;
  // The counts said everything arrived; the full read (the lost rule) decides, within the deadline.
  const caughtUpAt = await catchUp({ judge: s.judge, sinks: prepared!.sinks, deadlineAt: drainStartedAt + run.scenario.deadline * 1000, signal, log: (m) => progress.log(m) });
  for (const [sink, at] of Object.entries(caughtUpAt)) if (at !== null && reached[sink] !== null) caughtUpAt[sink] = reached[sink]!;
  return { history, workloadStartedAt, workloadEndedAt, catchUpFrom: drainStartedAt, caughtUpAt, faults: [] };
}

/** Waits until each sink's cheap count (after the warm-up baseline) reaches `rows`; the instant each did, null if not by the deadline. */
async function awaitCounts(s: RunState, rows: number, deadlineAt: number): Promise<Record<string, number | null>> {
  const sinks = s.prepared!.sinks;
  const reached: Record<string, number | null> = Object.fromEntries(sinks.map((x) => [x.name, null]));
  let lastLog = Date.now();
  while (Date.now() <= deadlineAt && Object.values(reached).some((v) => v === null)) {
    const counts = await Promise.all(sinks.map(async (x) => (await x.count().catch(() => 0)) - (s.baseline[x.name] ?? 0)));
    sinks.forEach((x, i) => {
      if (reached[x.name] === null && counts[i]! >= rows) reached[x.name] = Date.now();
    });
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      s.progress.log(`backlog: drained ${sinks.map((x, i) => `${x.name} ${counts[i]!.toLocaleString('en-US')}`).join(', ')} of ${rows.toLocaleString('en-US')}`);
    }
    await sleep(200, s.signal);
  }
  return reached;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
