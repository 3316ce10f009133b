import type { ChangeEvent, RouteOverride, Row, TxInfo } from '../event/index.js';

/** What a processor may change on an event; everything else (source, position, tx id/index) is kept. */
export interface EventChanges {
  readonly op?: ChangeEvent['op'];
  readonly before?: Row | null;
  readonly after?: Row | null;
  readonly primaryKey?: readonly string[];
  /** `null` removes the field. */
  readonly tags?: readonly string[] | null;
  readonly routing?: RouteOverride | null;
  readonly outbox?: null;
  readonly copy?: number;
  readonly id?: string;
  readonly txEnd?: boolean;
}

/**
 * A new event from `origin` with `changes` applied. Fields are copied one by one: a source's
 * event class may compute some lazily (MySQL's `id` is a getter), so `{ ...origin }` would lose them.
 */
export function deriveEvent(origin: ChangeEvent, changes: EventChanges): ChangeEvent {
  const tx: TxInfo = changes.txEnd === undefined || changes.txEnd === origin.tx.end ? origin.tx : { id: origin.tx.id, index: origin.tx.index, end: changes.txEnd };
  const event: { -readonly [K in keyof ChangeEvent]: ChangeEvent[K] } = {
    id: changes.id ?? origin.id,
    source: origin.source,
    op: changes.op ?? origin.op,
    before: changes.before !== undefined ? changes.before : origin.before,
    after: changes.after !== undefined ? changes.after : origin.after,
    tx,
    ts: origin.ts,
    schemaVersion: origin.schemaVersion,
    size: origin.size,
    primaryKey: changes.primaryKey ?? origin.primaryKey,
  };
  if (origin.outbox && changes.outbox !== null) event.outbox = origin.outbox;
  const tags = changes.tags !== undefined ? changes.tags : origin.tags;
  if (tags) event.tags = tags;
  const routing = changes.routing !== undefined ? changes.routing : origin.routing;
  if (routing) event.routing = routing;
  const copy = changes.copy ?? origin.copy;
  if (copy) event.copy = copy;
  // The source's column schema (Avro encodes with it) still describes the row only while the
  // images are the source's own; a processor that rewrote them leaves the event without one.
  if (origin.schema && changes.before === undefined && changes.after === undefined) event.schema = origin.schema;
  return event;
}
