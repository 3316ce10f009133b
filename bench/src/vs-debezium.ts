import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { compareSource, TIDEMARK_VARIANTS, type SourceComparison } from './vs-debezium/compare.js';
import { ensureDebezium } from './vs-debezium/install.js';
import type { Measured } from './vs-debezium/measure.js';
import type { SourceKind } from './vs-debezium/backlog.js';
import type { BenchResult } from './report.js';

export interface VsDebeziumArgs {
  readonly rows?: string;
  readonly source?: string;
  readonly partitions?: string;
  readonly systems?: string;
  readonly 'client-conf'?: string;
  readonly 'cpu-prof'?: string;
  readonly 'sink-conf'?: string;
  readonly 'node-args'?: string;
  readonly batch?: string;
}

const SYSTEMS = ['debezium', ...Object.keys(TIDEMARK_VARIANTS), 'ceiling'];
/** The issue's table: Debezium, Tidemark with its defaults in both modes, the ceiling. */
const DEFAULT_SYSTEMS = ['debezium', 'alo', 'eos', 'ceiling'];

/**
 * `npm run bench -- vs-debezium [--rows N] [--source mysql|postgres|both] [--partitions P]
 * [--systems debezium,alo,eos,ceiling] [--client-conf '{"compression.type":"lz4"}'] [--cpu-prof DIR] [--sink-conf '{"metadata_headers":"compact"}'] [--node-args '--max-semi-space-size=64']`:
 * the same backlog through Debezium on Kafka Connect and through Tidemark, side by side
 * (vs-debezium/compare.ts), printed as a table and as Markdown for the docs.
 */
export async function benchVsDebezium(args: VsDebeziumArgs, signal: AbortSignal): Promise<BenchResult[]> {
  const rows = Number(args.rows ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`--rows must be an integer of at least 1,000, got ${args.rows}`);
  const sources: SourceKind[] = args.source === undefined || args.source === 'both' ? ['mysql', 'postgres'] : args.source === 'mysql' || args.source === 'postgres' ? [args.source] : [];
  if (sources.length === 0) throw new Error(`--source must be mysql, postgres or both, got ${args.source}`);
  const partitions = Number(args.partitions ?? 6);
  const systems = new Set(args.systems?.split(',') ?? DEFAULT_SYSTEMS);
  const unknown = [...systems].filter((s) => !SYSTEMS.includes(s));
  if (unknown.length) throw new Error(`--systems takes ${SYSTEMS.join(',')}; unknown: ${unknown.join(',')}`);
  const clientConf = jsonOption(args['client-conf'], '--client-conf') as Record<string, string>;
  const sinkConf = jsonOption(args['sink-conf'], '--sink-conf');
  const batch = jsonOption(args.batch, '--batch');
  const nodeArgs = args['node-args']?.split(/\s+/).filter((a) => a.length > 0) ?? [];
  const progress = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const install = await ensureDebezium(progress);
  const comparisons: SourceComparison[] = [];
  const loadBefore = loadavg()[0]!;
  for (const source of sources) comparisons.push(await compareSource(source, install, { rows, partitions, signal, progress, clientConf, sinkConf, nodeArgs, batch, systems, ...(args['cpu-prof'] ? { cpuProfileDir: resolve(args['cpu-prof']) } : {}) }));
  const header = `${rows.toLocaleString('en-US')} rows per source in 1,000-row transactions, topics of ${partitions} partitions${Object.keys(clientConf).length ? `, Tidemark client_conf ${JSON.stringify(clientConf)}` : ''}${Object.keys(sinkConf).length ? `, Tidemark sink ${JSON.stringify(sinkConf)}` : ''}${nodeArgs.length ? `, engine node ${nodeArgs.join(' ')}` : ''}${Object.keys(batch).length ? `, Tidemark batch ${JSON.stringify(batch)}` : ''}; load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`;
  console.log(`\n${header}\n`);
  console.log(markdown(comparisons));
  return comparisons.flatMap((c) => rowsOf(c).map(([, m]) => ({ name: `${c.source}: ${m.system}`, events: m.rows, seconds: m.rows / m.eventsPerSecond, peakRssMb: m.peakRssMb, notes: `cpu ${m.cpuSecondsPerMillion.toFixed(1)} s/M, broker ${m.brokerCpuSecondsPerMillion.toFixed(1)} s/M, first ${m.firstEventSeconds.toFixed(1)} s` })));
}

function jsonOption(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${flag} takes a JSON object, e.g. '{"metadata_headers":"compact"}', got ${text}`);
}

function rowsOf(c: SourceComparison): Array<[string, Measured]> {
  const rows: Array<[string, Measured | undefined]> = [['debezium', c.debezium], ...c.tidemark.map((t): [string, Measured] => [t.variant, t.measured]), ['ceiling', c.ceiling]];
  return rows.filter((r): r is [string, Measured] => r[1] !== undefined);
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');

/** The result as the Markdown table docs/benchmarks.md and the README carry. */
export function markdown(comparisons: readonly SourceComparison[]): string {
  const lines = [
    '| source → Kafka | system | events/s | × Debezium | % of ceiling | first event | peak RSS | CPU s / M events | broker CPU s / M events | value bytes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of comparisons) {
    const base = c.debezium?.eventsPerSecond;
    const ceiling = c.ceiling?.eventsPerSecond;
    for (const [key, m] of rowsOf(c)) {
      // Each exactly-once row against the at-least-once row with the same headers.
      const alo = key.startsWith('eos') ? c.tidemark.find((t) => t.variant === key.replace('eos', 'alo'))?.measured : undefined;
      const vsAlo = alo ? ` (${fmt((m.eventsPerSecond / alo.eventsPerSecond - 1) * 100, 1)}% vs ALO)` : '';
      lines.push(
        `| ${c.source === 'mysql' ? 'MariaDB' : 'Postgres'} | ${m.system} | ${fmt(m.eventsPerSecond)}${vsAlo} | ${base ? `${fmt(m.eventsPerSecond / base, 2)}×` : '—'} | ${ceiling ? `${fmt((m.eventsPerSecond / ceiling) * 100)}%` : '—'} | ${fmt(m.firstEventSeconds, 1)} s | ${fmt(m.peakRssMb)} MB | ${fmt(m.cpuSecondsPerMillion, 1)} | ${fmt(m.brokerCpuSecondsPerMillion, 1)} | ${fmt(m.avgValueBytes)} |`,
      );
    }
  }
  return lines.join('\n');
}
