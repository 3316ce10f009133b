import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeKeepalive,
  decodePgoutput,
  decodeXLogDataHeader,
  encodeStandbyStatus,
  PgoutputDecodeError,
  UNCHANGED_TOAST,
  xlogDataPayload,
} from '../../../../../engine/src/sources/postgres/protocol/index.js';
import { formatLsn, parseLsn } from '../../../../../engine/src/sources/postgres/lsn.js';
import { pgout, repl } from '../pgoutput-fixtures.js';

describe('pgoutput decoder', () => {
  it('decodes begin and commit with LSNs, xid and commit time', () => {
    expect(decodePgoutput(pgout.begin(0x1_0000_00a0n, 4_000_000_123, 1_700_000_000_123))).toEqual({
      tag: 'begin',
      commitLsn: 0x1_0000_00a0n,
      xid: 4_000_000_123,
      commitTimeMs: 1_700_000_000_123,
    });
    expect(decodePgoutput(pgout.commit(0x10n, 0x48n, 1_700_000_000_000))).toEqual({ tag: 'commit', flags: 0, commitLsn: 0x10n, endLsn: 0x48n, commitTimeMs: 1_700_000_000_000 });
  });

  it('decodes a relation with key flags, type OIDs, typmods and replica identity', () => {
    const msg = decodePgoutput(
      pgout.relation(16385, 'public', 'orders', [
        { name: 'id', typeOid: 23, key: true },
        { name: 'amount', typeOid: 1700, typeMod: 655366 },
      ], 'f'),
    );
    expect(msg).toEqual({
      tag: 'relation',
      relationId: 16385,
      schema: 'public',
      table: 'orders',
      replicaIdentity: 'full',
      columns: [
        { name: 'id', isKey: true, typeOid: 23, typeMod: -1 },
        { name: 'amount', isKey: false, typeOid: 1700, typeMod: 655366 },
      ],
    });
  });

  it('decodes tuples with text, null, unchanged TOAST and binary values', () => {
    const msg = decodePgoutput(pgout.insert(7, ['42', null, { unchanged: true }, { binary: Buffer.from([1, 2]) }, 'héllo']));
    expect(msg).toMatchObject({ tag: 'insert', relationId: 7, newTuple: ['42', null, UNCHANGED_TOAST, Buffer.from([1, 2]), 'héllo'] });
  });

  it('decodes updates without, with key and with full old tuples', () => {
    expect(decodePgoutput(pgout.update(7, ['1', 'b']))).toMatchObject({ tag: 'update', keyTuple: null, oldTuple: null, newTuple: ['1', 'b'] });
    expect(decodePgoutput(pgout.update(7, ['2', 'b'], { kind: 'K', values: ['1', null] }))).toMatchObject({ keyTuple: ['1', null], oldTuple: null });
    expect(decodePgoutput(pgout.update(7, ['1', 'b'], { kind: 'O', values: ['1', 'a'] }))).toMatchObject({ keyTuple: null, oldTuple: ['1', 'a'] });
  });

  it('decodes deletes, truncates, origins, types and logical messages', () => {
    expect(decodePgoutput(pgout.delete(7, 'K', ['1', null]))).toMatchObject({ tag: 'delete', keyTuple: ['1', null], oldTuple: null });
    expect(decodePgoutput(pgout.delete(7, 'O', ['1', 'a']))).toMatchObject({ tag: 'delete', keyTuple: null, oldTuple: ['1', 'a'] });
    expect(decodePgoutput(pgout.truncate([7, 8], 3))).toEqual({ tag: 'truncate', cascade: true, restartIdentity: true, relationIds: [7, 8] });
    expect(decodePgoutput(pgout.origin(0x99n, 'node_a'))).toEqual({ tag: 'origin', originLsn: 0x99n, name: 'node_a' });
    expect(decodePgoutput(pgout.type(16400, 'public', 'mood'))).toEqual({ tag: 'type', typeOid: 16400, schema: 'public', name: 'mood' });
    expect(decodePgoutput(pgout.message(true, 0x55n, 'outbox.orders', '{"a":1}'))).toEqual({
      tag: 'message',
      transactional: true,
      lsn: 0x55n,
      prefix: 'outbox.orders',
      content: Buffer.from('{"a":1}'),
    });
  });

  it('rejects unknown tags and truncated messages with a decode error naming the tag', () => {
    expect(() => decodePgoutput(Buffer.from('S\x00\x00\x00\x01', 'latin1'))).toThrow(/unsupported pgoutput message "S"/);
    const insert = pgout.insert(7, ['12345']);
    expect(() => decodePgoutput(insert.subarray(0, insert.length - 2))).toThrow(PgoutputDecodeError);
    expect(() => decodePgoutput(insert.subarray(0, insert.length - 2))).toThrow(/malformed pgoutput "I" message: message truncated/);
    expect(() => decodePgoutput(Buffer.alloc(0))).toThrow(/empty/);
  });

  it('round-trips any tuple of text/null/unchanged values (property)', () => {
    const value = fc.oneof(fc.string(), fc.constant(null), fc.constant({ unchanged: true as const }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffffffff }), fc.array(value, { maxLength: 40 }), (rel, values) => {
        const msg = decodePgoutput(pgout.insert(rel, values));
        const expected = values.map((v) => (v !== null && typeof v === 'object' ? UNCHANGED_TOAST : v));
        expect(msg).toMatchObject({ tag: 'insert', relationId: rel, newTuple: expected });
      }),
    );
  });
});

describe('replication messages', () => {
  it('reads the XLogData header and hands out the payload without copying', () => {
    const chunk = repl.xlogData(0x1_0000_0010n, pgout.begin(0x20n, 5), 0x30n, 1_700_000_000_500);
    expect(decodeXLogDataHeader(chunk)).toEqual({ walStart: 0x1_0000_0010n, walEnd: 0x30n, sendTimeMs: 1_700_000_000_500 });
    const payload = xlogDataPayload(chunk);
    expect(payload.buffer).toBe(chunk.buffer);
    expect(decodePgoutput(payload)).toMatchObject({ tag: 'begin', xid: 5 });
  });

  it('reads keepalives with and without a reply request', () => {
    expect(decodeKeepalive(repl.keepalive(0xabn, true, 1_700_000_000_000))).toEqual({ walEnd: 0xabn, replyRequested: true, sendTimeMs: 1_700_000_000_000 });
    expect(decodeKeepalive(repl.keepalive(0xabn, false)).replyRequested).toBe(false);
  });

  it('encodes a standby status update field by field', () => {
    const b = encodeStandbyStatus({ written: 0x1_0000_0002n, flushed: 0x10n, applied: 0x10n, nowMs: 946_684_800_001, replyRequested: false });
    expect(b.length).toBe(34);
    expect(String.fromCharCode(b[0]!)).toBe('r');
    expect(b.readBigUInt64BE(1)).toBe(0x1_0000_0002n);
    expect(b.readBigUInt64BE(9)).toBe(0x10n);
    expect(b.readBigUInt64BE(17)).toBe(0x10n);
    expect(b.readBigInt64BE(25)).toBe(1000n);
    expect(b[33]).toBe(0);
  });
});

describe('LSN text', () => {
  it('parses and formats the server rendering, and orders as integers (property)', () => {
    expect(formatLsn(parseLsn('16/b374d848'))).toBe('16/B374D848');
    expect(parseLsn('0/0')).toBe(0n);
    expect(() => parseLsn('16-B3')).toThrow(/not an LSN/);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (a, b) => {
        expect(parseLsn(formatLsn(a))).toBe(a);
        expect(Math.sign(Number(a - b))).toBe(Math.sign(Number(parseLsn(formatLsn(a)) - parseLsn(formatLsn(b)))));
      }),
    );
  });
});
