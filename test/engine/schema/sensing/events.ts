/** Event and settings builders for the schema sensing tests. */
import { schemaSensingSpec } from '../../../../engine/src/config/pipeline-spec.js';
import type { ChangeEvent, Row } from '../../../../engine/src/event/change-event.js';
import { eventSchema, type ColumnType, type EventSchema } from '../../../../engine/src/schema/event-schema.js';
import { sensingSettings, type SensingSettings } from '../../../../engine/src/schema/sensing/index.js';

let n = 0;

/** One event of `table` with `row` as its after image (before image for a delete). */
export function rowEvent(row: Row, options: { op?: ChangeEvent['op']; schema?: EventSchema; table?: string } = {}): ChangeEvent {
  const op = options.op ?? 'c';
  n++;
  return {
    id: `e${n}`,
    source: { connector: 'memory', name: 's', db: 'shop', table: options.table ?? 'orders', position: { n } },
    op,
    before: op === 'd' ? row : null,
    after: op === 'd' ? null : row,
    tx: { id: `t${n}`, index: 0, end: true },
    ts: 0,
    schemaVersion: null,
    size: 100,
    primaryKey: ['id'],
    ...(options.schema ? { schema: options.schema } : {}),
  };
}

/** A source schema for `shop.orders` from `name: [sourceType, type, nullable]`. */
export function sourceSchema(columns: Record<string, [string, ColumnType, boolean]>, table = 'orders'): EventSchema {
  return eventSchema('shop', table, Object.entries(columns).map(([name, [sourceType, type, nullable]]) => ({ name, sourceType, type, nullable })), ['id']);
}

/** `spec.schema_sensing` with overrides, as the sensor reads it. */
export function spec(overrides: Record<string, unknown> = {}) {
  return schemaSensingSpec.parse({ enabled: true, ...overrides });
}

export function settings(overrides: Record<string, unknown> = {}): SensingSettings {
  return sensingSettings(spec(overrides));
}
