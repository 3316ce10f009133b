import type { LoadedPipeline } from '../config/index.js';
import { redact } from '../config/index.js';
import { encodingName } from '../event/encoding.js';

/** A human summary of validated pipelines; secrets masked. */
export function summarize(pipelines: readonly LoadedPipeline[]): string {
  const lines: string[] = [];
  for (const { spec, origin } of pipelines) {
    const s = spec.spec;
    const source = redact(s.source.config) as { id: string; dsn: string; tables?: string[] };
    lines.push(`pipeline ${spec.metadata.name} (tenant ${spec.metadata.tenant}) from ${origin.file}`);
    lines.push(`  source   ${s.source.type} ${source.id}  ${source.dsn}  tables: ${source.tables?.length ? source.tables.join(', ') : 'all'}`);
    for (const p of s.processors) lines.push(`  process  ${p.type} ${p.id}`);
    for (const sink of s.sinks) {
      const c = sink.config;
      const where = 'topic' in c ? c.topic : 'stream' in c ? c.stream : 'subject' in c ? c.subject : 'url' in c ? (redact({ url: c.url }) as { url: string }).url : '';
      const eos = 'exactly_once' in c && c.exactly_once ? ', exactly-once' : '';
      lines.push(`  sink     ${sink.type} ${c.id} -> ${where}  (${c.required ? 'required' : 'optional'}, ${c.envelope.type}/${encodingName(c.encoding)}${eos})`);
    }
    const b = s.batch;
    lines.push(`  batch    max_events ${b.max_events}, max_bytes ${b.max_bytes}, max_ms ${b.max_ms}, respect_source_tx ${b.respect_source_tx}, max_inflight ${b.max_inflight}`);
    lines.push(`  commit   ${s.commit_policy.mode}${s.commit_policy.mode === 'quorum' ? ` ${s.commit_policy.quorum}` : ''}; DLQ ${s.journal.enabled ? `on (max ${s.journal.dlq.max_entries}, ${s.journal.dlq.overflow_policy})` : 'off'}`);
  }
  lines.push(`${pipelines.length} pipeline${pipelines.length === 1 ? '' : 's'} valid`);
  return lines.join('\n');
}
