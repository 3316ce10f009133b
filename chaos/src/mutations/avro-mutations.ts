/**
 * The Avro encoding's deliberate bug, through a public seam like the others: the engine's
 * exported `AvroSerializer` class, whose `serialize` every Avro sink calls per event (the
 * process is preloaded with it, `node --import`, only when TIDEMARK_MUTATION names it).
 */
import { AvroSerializer, readFrame, writeHeader, type ChangeEvent } from '@tidemark/engine';

/**
 * After a DDL the sink keeps framing a table's events with the schema id it used first for
 * that destination, while the body is written with the new schema: a cache keyed by subject
 * that never learns of a new version. A consumer decodes such records with the wrong schema.
 */
export function staleSchemaId(): void {
  const serialize = AvroSerializer.prototype.serialize;
  const firstIds = new WeakMap<AvroSerializer, Map<string, number>>();
  AvroSerializer.prototype.serialize = function (this: AvroSerializer, event: ChangeEvent, destination = ''): Buffer {
    const bytes = serialize.call(this, event, destination);
    let ids = firstIds.get(this);
    if (!ids) firstIds.set(this, (ids = new Map()));
    const subject = `${destination}\u0000${event.source.db}.${event.source.table}`;
    const { schemaId } = readFrame(bytes);
    const first = ids.get(subject);
    if (first === undefined) ids.set(subject, schemaId);
    else if (first !== schemaId) writeHeader(bytes, first);
    return bytes;
  };
}
