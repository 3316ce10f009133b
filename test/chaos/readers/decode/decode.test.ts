import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../../../chaos/src/readers/decode/envelope.js';
import { decodeRecord, type RawRecord } from '../../../../chaos/src/readers/decode/record.js';
import { createEnvelope, eventHeaders, idempotencyKey, metadataHeaders, type ChangeEvent, type Op } from '../../../../engine/src/event/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../../chaos/src/workload/schema.js';

const ENVELOPES = [{ type: 'native' }, { type: 'debezium' }, { type: 'cloudevents', type_prefix: 'com.acme.cdc' }] as const;

const rowArb = fc.record({ writer: fc.integer({ min: 1, max: 99 }), seq: fc.integer({ min: 1, max: 99 }), version: fc.integer({ min: 1, max: 1e6 }), amount: fc.string(), status: fc.option(fc.string(), { nil: null }) });
const eventArb: fc.Arbitrary<ChangeEvent> = fc.record({ op: fc.constantFrom<Op>('c', 'u', 'd', 'r'), before: rowArb, after: rowArb, index: fc.nat(20), end: fc.boolean() }).map(({ op, before, after, index, end }) => ({
  id: 'e1',
  source: { connector: 'mysql', name: 'src', db: 'db1', table: 'chaos_orders', position: { gtid: '0-1-9', file: 'f', pos: 4 } },
  op,
  before: op === 'c' || op === 'r' ? null : before,
  after: op === 'd' ? null : after,
  tx: { id: '0-1-9', index, end },
  ts: 1_800_000_000_000,
  schemaVersion: null,
  size: 1,
  primaryKey: ['writer', 'seq'],
}));

describe('decodeEnvelope', () => {
  it('recovers op, images, db and table from every envelope the engine writes', () => {
    fc.assert(
      fc.property(eventArb, fc.constantFrom(...ENVELOPES), (event, spec) => {
        const wire = JSON.parse(JSON.stringify(createEnvelope(spec)(event))) as unknown;
        expect(decodeEnvelope(wire)).toEqual({ op: event.op, before: event.before, after: event.after, db: 'db1', table: 'chaos_orders' });
      }),
    );
  });

  it('names what is wrong with a payload that is not an envelope', () => {
    expect(() => decodeEnvelope([1])).toThrow(/payload is an array/);
    expect(() => decodeEnvelope({ hello: 1 })).toThrow(/none of the known envelope shapes \(fields: hello\)/);
    expect(() => decodeEnvelope({ op: 'x', source: {} })).toThrow(/native envelope has op "x"/);
    expect(() => decodeEnvelope({ op: 'c', after: 5 })).toThrow(/after is number/);
    expect(() => decodeEnvelope({ specversion: '1.0', id: 'z' })).toThrow(/cloudevent z has no data/);
  });
});

describe('decodeRecord', () => {
  const event: ChangeEvent = {
    id: 'e1',
    source: { connector: 'postgres', name: 'src', db: 's1', table: 'chaos_orders', position: { lsn: '0/1' } },
    op: 'd',
    before: { writer: 4, seq: 2, version: 7, amount: '1.00', status: 'new' },
    after: null,
    tx: { id: '733', index: 2, end: true },
    ts: 1,
    schemaVersion: null,
    size: 1,
    primaryKey: ['writer', 'seq'],
  };
  const raw = (payload: RawRecord['payload'], meta: RawRecord['meta']): RawRecord => ({ payload, meta, stream: 't-0', seq: 5, position: 't-0@5', sinkTxn: 1 });

  it('takes key, writer and version from the before image of a delete and tx metadata from headers', () => {
    const record = decodeRecord(raw(JSON.stringify(createEnvelope({ type: 'native' })(event)), eventHeaders(event, 'acme')), WORKLOAD_PRIMARY_KEYS);
    expect(record).toEqual({
      seq: 5, stream: 't-0', table: 'chaos_orders', db: 's1', key: '{"writer":4,"seq":2}', op: 'd', version: 7, writer: 4,
      before: event.before, after: null, idempotencyKey: idempotencyKey('acme', event), txId: '733', txIndex: 2, txEnd: true, position: 't-0@5', sinkTxn: 1,
    });
  });

  it('leaves metadata null when the sink carries none, and accepts string numbers', () => {
    const wire = { ...(createEnvelope({ type: 'native' })(event) as object), before: { writer: '4', seq: '2', version: '7' } };
    expect(decodeRecord(raw({ parsed: wire }, {}), WORKLOAD_PRIMARY_KEYS)).toMatchObject({ key: '{"writer":4,"seq":2}', version: 7, writer: 4, idempotencyKey: null, txId: null, txIndex: null, txEnd: null });
  });

  it('reads the Redis idempotency_key field and the table from tidemark-table when the envelope lacks it', () => {
    const cloud = createEnvelope({ type: 'cloudevents', type_prefix: 'x' })(event) as Record<string, unknown>;
    const record = decodeRecord(raw(Buffer.from(JSON.stringify({ ...cloud, subject: undefined })), { idempotency_key: 'k1', 'tidemark-table': 's1.chaos_orders' }), WORKLOAD_PRIMARY_KEYS);
    expect(record).toMatchObject({ table: 'chaos_orders', db: 's1', idempotencyKey: 'k1' });
    expect(() => decodeRecord(raw('{not json', {}), WORKLOAD_PRIMARY_KEYS)).toThrow(/payload is not JSON/);
  });

  it('reads the compact metadata layout (one `tidemark` header) as the full one, whatever the tx id and table contain', () => {
    const awkward = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(eventArb, awkward, awkward, (base, txId, table) => {
        const event = { ...base, tx: { ...base.tx, id: txId }, source: { ...base.source, table } };
        const payload = JSON.stringify(createEnvelope({ type: 'native' })(event));
        const full = decodeRecord(raw(payload, eventHeaders(event, 'a|b')), {});
        const compact = decodeRecord(raw(payload, metadataHeaders('compact', event, 'a|b')), {});
        expect(compact).toEqual(full);
        expect(compact).toMatchObject({ idempotencyKey: idempotencyKey('a|b', event), txId, txIndex: event.tx.index, txEnd: event.tx.end });
      }),
    );
  });

  it('names a compact metadata value that is not a JSON object', () => {
    const payload = JSON.stringify(createEnvelope({ type: 'native' })(event));
    expect(() => decodeRecord(raw(payload, { tidemark: 'tx=1' }), WORKLOAD_PRIMARY_KEYS)).toThrow(/tidemark metadata is not JSON/);
    expect(() => decodeRecord(raw(payload, { tidemark: '[1]' }), WORKLOAD_PRIMARY_KEYS)).toThrow(/not a JSON object/);
  });
});
