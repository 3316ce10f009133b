import type { EnvelopeSpec } from '../config/sinks.js';
import type { ChangeEvent, Op } from './change-event.js';

/** The engine version written into envelopes' `source.version`. */
export const ENGINE_VERSION = '0.1.0';

/**
 * Position fields a source may expose to consumers in `source` (MySQL file/pos/gtid/server_id,
 * Postgres lsn/xid/schema). Anything else in a position is internal and stays out.
 */
const PUBLIC_POSITION_FIELDS = ['schema', 'server_id', 'gtid', 'file', 'pos', 'lsn', 'xid', 'snapshot'] as const;

export type Envelope = (event: ChangeEvent) => unknown;

/**
 * The envelope shapes of the reference, field for field and in the same order, so consumers
 * written for it read ours. `ts_ms` is the source commit time in both places: a replayed event
 * serialises to the same bytes.
 */
export function createEnvelope(spec: EnvelopeSpec): Envelope {
  switch (spec.type) {
    case 'native':
      return (e) => withTags({ before: e.before, after: e.after, source: sourceBlock(e, true), op: e.op, ts_ms: e.ts }, e);
    case 'debezium':
      return (e) => ({ schema: null, payload: withTags({ before: e.before, after: e.after, source: sourceBlock(e, false), op: e.op, ts_ms: e.ts }, e) });
    case 'cloudevents': {
      const prefix = spec.type_prefix;
      return (e) => ({
        specversion: '1.0',
        id: e.id,
        source: `tidemark/${e.source.name}/${e.source.db}.${e.source.table}`,
        type: `${prefix}.${CLOUDEVENT_TYPES[e.op]}`,
        time: new Date(e.ts).toISOString(),
        datacontenttype: 'application/json',
        subject: `${e.source.db}.${e.source.table}`,
        data: { before: e.before, after: e.after, op: e.op },
      });
    }
  }
}

/** The reference's `tags` field, only when a processor set some: other events serialise as before. */
function withTags(body: Record<string, unknown>, e: ChangeEvent): Record<string, unknown> {
  if (e.tags && e.tags.length > 0) body.tags = e.tags;
  return body;
}

const CLOUDEVENT_TYPES: Record<Op, string> = { c: 'created', u: 'updated', d: 'deleted', r: 'snapshot', t: 'truncated' };

function sourceBlock(e: ChangeEvent, withPosition: boolean): Record<string, unknown> {
  const block: Record<string, unknown> = {
    version: ENGINE_VERSION,
    connector: e.source.connector,
    name: e.source.name,
    ts_ms: e.ts,
    db: e.source.db,
    table: e.source.table,
  };
  if (withPosition) {
    const pos = e.source.position as Record<string, unknown>;
    for (const f of PUBLIC_POSITION_FIELDS) if (pos[f] !== undefined) block[f] = pos[f];
  }
  return block;
}
