import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { compareSource, type SourceComparison } from './vs-debezium/compare.js';
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
}

const SYSTEMS = ['debezium', 'alo', 'eos', 'ceiling'];

/**
 * `npm run bench -- vs-debezium [--rows N] [--source mysql|postgres|both] [--partitions P]
 * [--systems debezium,alo,eos,ceiling] [--client-conf '{"compression.type":"lz4"}'] [--cpu-prof DIR]`:
 * the same backlog through Debezium on Kafka Connect and through Tidemark, side by side
 * (vs-debezium/compare.ts), printed as a table and as Markdown for the docs.
 */
export async function benchVsDebezium(args: VsDebeziumArgs, signal: AbortSignal): Promise<BenchResult[]> {
  const rows = Number(args.rows ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`--rows must be an integer of at least 1,000, got ${args.rows}`);
  const sources: SourceKind[] = args.source === undefined || args.source === 'both' ? ['mysql', 'postgres'] : args.source === 'mysql' || args.source === 'postgres' ? [args.source] : [];
  if (sources.length === 0) throw new Error(`--source must be mysql, postgres or both, got ${args.source}`);
  const partitions = Number(args.partitions ?? 6);
  const systems = new Set(args.systems?.split(',') ?? SYSTEMS);
  const unknown = [...systems].filter((s) => !SYSTEMS.includes(s));
  if (unknown.length) throw new Error(`--systems takes ${SYSTEMS.join(',')}; unknown: ${unknown.join(',')}`);
  const clientConf = JSON.parse(args['client-conf'] ?? '{}') as Record<string, string>;
  const progress = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const install = await ensureDebezium(progress);
  const comparisons: SourceComparison[] = [];
  const loadBefore = loadavg()[0]!;
  for (const source of sources) comparisons.push(await compareSource(source, install, { rows, partitions, signal, progress, clientConf, systems, ...(args['cpu-prof'] ? { cpuProfileDir: resolve(args['cpu-prof']) } : {}) }));
  const header = `${rows.toLocaleString('en-US')} rows per source in 1,000-row transactions, topics of ${partitions} partitions${Object.keys(clientConf).length ? `, Tidemark client_conf ${JSON.stringify(clientConf)}` : ''}; load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`;
  console.log(`\n${header}\n`);
  console.log(markdown(comparisons));
  return comparisons.flatMap((c) => rowsOf(c).map(([, m]) => ({ name: `${c.source}: ${m.system}`, events: m.rows, seconds: m.rows / m.eventsPerSecond, peakRssMb: m.peakRssMb, notes: `cpu ${m.cpuSecondsPerMillion.toFixed(1)} s/M, broker ${m.brokerCpuSecondsPerMillion.toFixed(1)} s/M, first ${m.firstEventSeconds.toFixed(1)} s` })));
}

function rowsOf(c: SourceComparison): Array<[string, Measured]> {
  return ([['debezium', c.debezium], ['alo', c.alo], ['eos', c.eos], ['ceiling', c.ceiling]] as Array<[string, Measured | undefined]>).filter((r): r is [string, Measured] => r[1] !== undefined);
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
      const vsAlo = key === 'eos' && c.alo ? ` (${fmt((m.eventsPerSecond / c.alo.eventsPerSecond - 1) * 100, 1)}% vs ALO)` : '';
      lines.push(
        `| ${c.source === 'mysql' ? 'MariaDB' : 'Postgres'} | ${m.system} | ${fmt(m.eventsPerSecond)}${vsAlo} | ${base ? `${fmt(m.eventsPerSecond / base, 2)}×` : '—'} | ${ceiling ? `${fmt((m.eventsPerSecond / ceiling) * 100)}%` : '—'} | ${fmt(m.firstEventSeconds, 1)} s | ${fmt(m.peakRssMb)} MB | ${fmt(m.cpuSecondsPerMillion, 1)} | ${fmt(m.brokerCpuSecondsPerMillion, 1)} | ${fmt(m.avgValueBytes)} |`,
      );
    }
  }
  return lines.join('\n');
}
