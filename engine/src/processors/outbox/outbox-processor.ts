import type { OutboxProcessorSpec } from '../../config/processors.js';
import type { ChangeEvent } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { deriveEvent } from '../derive.js';
import type { Processor, ProcessorContext } from '../processor.js';
import { compileTableGlobs } from '../table-glob.js';
import { mapOutboxRow, type OutboxDropReason } from './outbox-mapping.js';

/**
 * The transactional-outbox processor: every event a source tagged as outbox (a MySQL outbox
 * table row, a Postgres `pg_logical_emit_message` with a configured prefix) and matching
 * `tables` is replaced by the message it carries — routed by the topic template / aggregate
 * type, keyed by aggregate id, with the outbox headers, its payload as `after`. The raw outbox
 * row is never delivered as a table change; other events pass untouched.
 *
 * Dropped rows (non-inserts, null or non-object payloads) are counted by reason and logged at
 * warn; with `strict: true` a row missing a required field fails the batch instead, so nothing
 * is dropped silently (the stage then DLQs the batch or stops the pipeline).
 */
export function outboxProcessor(spec: OutboxProcessorSpec, ctx: ProcessorContext): Processor {
  const inScope = spec.tables.length > 0 ? compileTableGlobs(spec.tables) : () => true;
  return {
    id: spec.id,
    process(events) {
      const out: ChangeEvent[] = [];
      const drops: Record<OutboxDropReason, number> = { non_insert: 0, non_object: 0, null_payload: 0, strict_missing_fields: 0 };
      let transformed = 0;
      for (const e of events) {
        if (!e.outbox || !inScope(e)) {
          out.push(e);
          continue;
        }
        const m = mapOutboxRow(e.op, e.after, spec);
        if (m.kind === 'drop') {
          drops[m.reason]++;
          if (m.reason === 'strict_missing_fields') {
            ctx.metrics.outbox(transformed, drops);
            throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_OUTBOX', `outbox processor ${spec.id}: event ${e.id} (${e.source.db}.${e.source.table}) lacks ${m.missing!.join(', ')} (strict: true)`, {
              context: { processor: spec.id, event: e.id, table: `${e.source.db}.${e.source.table}` },
            });
          }
          ctx.logger.warn({ processor: spec.id, event: e.id, table: `${e.source.db}.${e.source.table}`, reason: m.reason }, 'outbox row dropped');
          continue;
        }
        transformed++;
        out.push(deriveEvent(e, { op: 'c', before: null, after: m.after, routing: m.routing, outbox: null, primaryKey: [] }));
      }
      ctx.metrics.outbox(transformed, drops);
      return out;
    },
  };
}
