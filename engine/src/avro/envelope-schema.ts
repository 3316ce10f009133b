import type { EnvelopeSpec } from '../config/sinks.js';
import type { ChangeEvent } from '../event/change-event.js';
import { CLOUDEVENT_TYPES, ENGINE_VERSION } from '../event/envelopes.js';
import type { AvroSchema } from './type-mapping.js';

/**
 * The Avro form of the three envelopes (event/envelopes.ts), field for field, with `before` and
 * `after` typed by the table's row record (`Value`). Debezium's JSON envelope wraps the change
 * in {schema, payload}; its Avro form is the payload itself, as Debezium's AvroConverter writes
 * it. Position fields a source may show in `source` are optional there.
 */
const POSITION_FIELDS: ReadonlyArray<readonly [string, AvroSchema]> = [
  ['schema', 'string'], ['server_id', 'long'], ['gtid', 'string'], ['file', 'string'], ['pos', 'long'], ['lsn', 'string'], ['xid', 'long'], ['snapshot', 'boolean'],
];

/** One record for `source`, shared by every table (its name is fixed). */
export const SOURCE_RECORD: AvroSchema = {
  type: 'record',
  name: 'Source',
  namespace: 'tidemark',
  fields: [
    { name: 'version', type: 'string' },
    { name: 'connector', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'ts_ms', type: 'long' },
    { name: 'db', type: 'string' },
    { name: 'table', type: 'string' },
    ...POSITION_FIELDS.map(([name, type]) => ({ name, type: ['null', type], default: null })),
  ],
};

/** The value schema of one table version under an envelope; `namespace` names the table. */
export function envelopeSchema(spec: EnvelopeSpec, namespace: string, rowFields: readonly Record<string, unknown>[]): { schema: AvroSchema; recordName: string } {
  const value = { type: 'record', name: 'Value', fields: rowFields };
  const change = [
    { name: 'before', type: ['null', value], default: null },
    { name: 'after', type: ['null', 'Value'], default: null },
  ];
  if (spec.type === 'cloudevents') {
    return {
      recordName: `${namespace}.CloudEvent`,
      schema: {
        type: 'record', name: 'CloudEvent', namespace,
        fields: [
          { name: 'specversion', type: 'string' },
          { name: 'id', type: 'string' },
          { name: 'source', type: 'string' },
          { name: 'type', type: 'string' },
          { name: 'time', type: 'string' },
          { name: 'datacontenttype', type: 'string' },
          { name: 'subject', type: 'string' },
          { name: 'data', type: { type: 'record', name: 'Data', fields: [...change, { name: 'op', type: 'string' }] } },
        ],
      },
    };
  }
  return {
    recordName: `${namespace}.Envelope`,
    schema: { type: 'record', name: 'Envelope', namespace, fields: [...change, { name: 'source', type: SOURCE_RECORD }, { name: 'op', type: 'string' }, { name: 'ts_ms', type: 'long' }] },
  };
}

/** Builds the datum for one event; `row` converts an image (null stays null). */
export function envelopeDatum(spec: EnvelopeSpec): (e: ChangeEvent, row: (image: Record<string, unknown> | null) => Record<string, unknown> | null) => Record<string, unknown> {
  switch (spec.type) {
    case 'native':
      return (e, row) => ({ before: row(e.before), after: row(e.after), source: sourceDatum(e, true), op: e.op, ts_ms: e.ts });
    case 'debezium':
      return (e, row) => ({ before: row(e.before), after: row(e.after), source: sourceDatum(e, false), op: e.op, ts_ms: e.ts });
    case 'cloudevents': {
      const prefix = spec.type_prefix;
      return (e, row) => ({
        specversion: '1.0',
        id: e.id,
        source: `tidemark/${e.source.name}/${e.source.db}.${e.source.table}`,
        type: `${prefix}.${CLOUDEVENT_TYPES[e.op]}`,
        time: new Date(e.ts).toISOString(),
        datacontenttype: 'application/avro',
        subject: `${e.source.db}.${e.source.table}`,
        data: { before: row(e.before), after: row(e.after), op: e.op },
      });
    }
  }
}

function sourceDatum(e: ChangeEvent, withPosition: boolean): Record<string, unknown> {
  const pos = e.source.position as Record<string, unknown>;
  return {
    version: ENGINE_VERSION,
    connector: e.source.connector,
    name: e.source.name,
    ts_ms: e.ts,
    db: e.source.db,
    table: e.source.table,
    schema: withPosition ? optional(pos.schema, 'string') : null,
    server_id: withPosition ? optional(pos.server_id, 'number') : null,
    gtid: withPosition ? optional(pos.gtid, 'string') : null,
    file: withPosition ? optional(pos.file, 'string') : null,
    pos: withPosition ? optional(pos.pos, 'number') : null,
    lsn: withPosition ? optional(pos.lsn, 'string') : null,
    xid: withPosition ? optional(pos.xid, 'number') : null,
    snapshot: withPosition ? optional(pos.snapshot, 'boolean') : null,
  };
}

function optional(v: unknown, type: 'string' | 'number' | 'boolean'): unknown {
  return typeof v === type ? v : null;
}
