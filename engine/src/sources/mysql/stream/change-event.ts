import type { EventSchema } from '../../../schema/event-schema.js';
import { deterministicEventId, idempotencyKey, type ChangeEvent, type EventSourceInfo, type Op, type OutboxTag, type Row, type TxInfo } from '../../../event/index.js';

/**
 * A ChangeEvent whose `id` is derived on first read. The id is a SHA-1 of the idempotency key
 * and costs about a microsecond, as much as decoding the row; most sinks never look at it, and the rest pay
 * once. `toJSON` includes it, and it is deterministic, so a replay yields the same id.
 *
 * Caveat for processors: `{ ...event }` copies own fields only and drops `id`; copy it
 * explicitly (`{ ...event, id: event.id }`).
 */
export class MysqlChangeEvent implements ChangeEvent {
  #id: string | undefined = undefined;
  readonly #tenant: string;

  constructor(
    tenant: string,
    readonly source: EventSourceInfo,
    readonly op: Op,
    readonly before: Row | null,
    readonly after: Row | null,
    readonly tx: TxInfo,
    readonly ts: number,
    readonly schemaVersion: number | null,
    readonly size: number,
    readonly primaryKey: readonly string[],
    readonly outbox: OutboxTag | undefined,
    readonly schema: EventSchema | undefined = undefined,
  ) {
    this.#tenant = tenant;
  }

  get id(): string {
    return (this.#id ??= deterministicEventId(idempotencyKey(this.#tenant, this)));
  }

  toJSON(): Record<string, unknown> {
    const { source, op, before, after, tx, ts, schemaVersion, size, primaryKey, outbox } = this;
    return { id: this.id, source, op, before, after, tx, ts, schemaVersion, size, primaryKey, ...(outbox ? { outbox } : {}) };
  }
}
