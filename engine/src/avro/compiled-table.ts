import avro from 'avsc';
import type { AvroEncodingSpec, EnvelopeSpec } from '../config/sinks.js';
import type { EventSchema } from '../schema/event-schema.js';
import { envelopeSchema } from './envelope-schema.js';
import { avscOptions } from './long-type.js';
import { avroNamespace, fieldNames } from './names.js';
import { compileRowCodec, type RowCodec } from './row-codec.js';
import { columnField } from './type-mapping.js';

/** One table version compiled for one sink: schemas as registered, avsc types, and ids per subject. */
export interface CompiledTable {
  readonly eventSchema: EventSchema;
  readonly path: 'ddl' | 'inferred';
  readonly valueSchema: string;
  readonly valueRecordName: string;
  readonly valueType: avro.Type;
  readonly rows: RowCodec;
  /** Primary key record (null: the table has no primary key). */
  readonly key: { readonly schema: string; readonly recordName: string; readonly type: avro.Type; readonly indexes: readonly number[]; readonly fields: readonly string[] } | null;
  /** Registry ids by subject, filled by `prepare`. */
  readonly ids: Map<string, number>;
}

/** `<namespace>.<source>.<db>.<table>`: what names the records (and the subjects of record_name strategies). */
export function tableNamespace(spec: Pick<AvroEncodingSpec, 'namespace'>, sourceName: string, schema: EventSchema): string {
  return avroNamespace([...spec.namespace.split('.'), sourceName, schema.db, schema.table]);
}

export function compileTable(spec: AvroEncodingSpec, envelope: EnvelopeSpec, sourceName: string, schema: EventSchema, path: 'ddl' | 'inferred'): CompiledTable {
  const namespace = tableNamespace(spec, sourceName, schema);
  const rows = compileRowCodec(schema, spec);
  const { schema: value, recordName } = envelopeSchema(envelope, namespace, rows.fields);
  const valueSchema = JSON.stringify(value);
  return {
    eventSchema: schema,
    path,
    valueSchema,
    valueRecordName: recordName,
    valueType: avro.Type.forSchema(JSON.parse(valueSchema) as avro.Schema, avscOptions()),
    rows,
    key: keyRecord(spec, namespace, schema),
    ids: new Map(),
  };
}

function keyRecord(spec: AvroEncodingSpec, namespace: string, schema: EventSchema): CompiledTable['key'] {
  if (schema.primaryKey.length === 0) return null;
  const indexes = schema.primaryKey.map((k) => schema.columns.findIndex((c) => c.name === k));
  if (indexes.some((i) => i < 0)) return null;
  const columns = indexes.map((i) => schema.columns[i]);
  const names = fieldNames(schema.primaryKey);
  const record = { type: 'record', name: 'Key', namespace, fields: columns.map((c, i) => columnField({ ...c!, nullable: false }, names[i]!, spec)) };
  const text = JSON.stringify(record);
  return { schema: text, recordName: `${namespace}.Key`, type: avro.Type.forSchema(record as avro.Schema, avscOptions()), indexes, fields: names };
}
