import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryUrl, startTopology, type Topology } from '../../../chaos/src/infra/index.js';
import { createAvroSerializer, type RegistryClient } from '../../../engine/src/index.js';
import { admin, cdcDsn, Run, startMariadb, until } from '../sources/mysql/harness.js';
import { TYPES_EXPECTED, TYPES_INSERT, TYPES_TABLE } from '../sources/mysql/types-fixture.js';
import { avroSpec, consumer, serializerFor, subjectVersions, throughAvro } from './avro-support.js';
import { authFront } from './registry-front.js';
import type { AvroDecoder } from '../../../engine/src/index.js';
import { RecordCollector } from '../../../chaos/src/readers/decode/collector.js';
import { decodeAvroPayloads } from '../../../chaos/src/readers/decode/avro-payloads.js';

let db: Topology;
let registry: Topology;
let conn: mysql.Connection;
let decoder: AvroDecoder;
let client: RegistryClient;

beforeAll(async () => {
  [db, registry] = await Promise.all([startMariadb(), startTopology(['schema-registry'], { provider: 'native' })]);
  conn = await admin(db);
  await conn.query("SET time_zone = '+00:00'");
  await conn.query(TYPES_TABLE);
  ({ decoder, client } = await consumer(registry));
}, 180_000);

afterAll(async () => {
  await client?.close();
  await conn?.end();
  await Promise.all([db?.down(), registry?.down()]);
});

/** Streams whatever `write` does to the types table and returns the events the source emitted. */
async function capture(write: () => Promise<unknown>, count: number) {
  const run = new Run({ config: { dsn: cdcDsn(db), tables: ['tidemark.types'] } });
  await run.start();
  try {
    await write();
    await until(() => run.events.length >= count, `${count} events`);
  } finally {
    await run.stop();
  }
  return run.events;
}

describe('avro with the real schema registry (MariaDB source)', () => {
  it('round-trips every column type: decoded with the registry schema, the row equals the source row', async () => {
    const events = await capture(() => conn.query(TYPES_INSERT), 1);
    expect(events[0]!.schema?.columns.map((c) => c.name)).toEqual(Object.keys(TYPES_EXPECTED));
    const [decoded] = await throughAvro(serializerFor(registry), decoder, events, 'mysql-types');
    expect(decoded!.value.after).toEqual(TYPES_EXPECTED);
    expect(decoded!.value.op).toBe('c');
    expect(await subjectVersions(registry, 'mysql-types-value')).toEqual([1]);
    expect(await subjectVersions(registry, 'mysql-types-key')).toEqual([1]);
  });

  it('registers a new version after ADD and DROP COLUMN, before the first event that needs it', async () => {
    const serializer = serializerFor(registry);
    const events = await capture(async () => {
      await conn.query('UPDATE types SET nul = 1 WHERE id = 1');
      await conn.query('ALTER TABLE types ADD COLUMN added VARCHAR(10)');
      await conn.query("UPDATE types SET nul = 2, added = 'new' WHERE id = 1");
      await conn.query('ALTER TABLE types DROP COLUMN ch');
      await conn.query('UPDATE types SET nul = 3 WHERE id = 1');
    }, 3);
    const decoded = await throughAvro(serializer, decoder, events, 'mysql-evolve');
    expect(decoded.map((d) => (d.value.after as Record<string, unknown>).nul)).toEqual([1, 2, 3]);
    expect(decoded[0]!.value.after).not.toHaveProperty('added');
    expect((decoded[1]!.value.after as Record<string, unknown>).added).toBe('new');
    expect(decoded[2]!.value.after).not.toHaveProperty('ch');
    expect(new Set(decoded.map((d) => d.schemaId)).size).toBe(3);
    expect(await subjectVersions(registry, 'mysql-evolve-value')).toEqual([1, 2, 3]);
  });

  it('fails with the subject and the registry message when a change is incompatible', async () => {
    const serializer = serializerFor(registry);
    const before = await capture(() => conn.query('UPDATE types SET nul = 4 WHERE id = 1'), 1);
    await throughAvro(serializer, decoder, before, 'mysql-incompatible');
    // INT -> VARCHAR: under BACKWARD a reader of strings cannot read the old ints.
    const after = await capture(async () => {
      await conn.query('ALTER TABLE types MODIFY COLUMN nul VARCHAR(10)');
      await conn.query("UPDATE types SET nul = 'five' WHERE id = 1");
    }, 1);
    await expect(serializer.prepare(after, () => 'mysql-incompatible')).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_SCHEMA_INCOMPATIBLE',
      kind: 'non-retryable',
      message: expect.stringMatching(/subject "mysql-incompatible-value".*incompatible: .+/),
    });
    await conn.query('UPDATE types SET nul = NULL WHERE id = 1');
    await conn.query('ALTER TABLE types MODIFY COLUMN nul INT');
  });

  it('keeps encoding cached schemas through a registry outage and makes a new schema wait for it', async () => {
    const serializer = serializerFor(registry);
    const first = await capture(() => conn.query('UPDATE types SET nul = 10 WHERE id = 1'), 1);
    const [known] = await throughAvro(serializer, decoder, first, 'mysql-outage');
    const proxy = registry.toxiproxy;
    await proxy.down('schema-registry');
    try {
      const cached = await capture(() => conn.query('UPDATE types SET nul = 11 WHERE id = 1'), 1);
      await serializer.prepare(cached, () => 'mysql-outage');
      const payload = serializer.serialize(cached[0]!, 'mysql-outage');
      expect(decoder.decode(payload)).toMatchObject({ schemaId: known!.schemaId, exact: true });

      const evolved = await capture(async () => {
        await conn.query('ALTER TABLE types ADD COLUMN during_outage INT');
        await conn.query('UPDATE types SET nul = 12, during_outage = 1 WHERE id = 1');
      }, 1);
      await expect(serializer.prepare(evolved, () => 'mysql-outage')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', kind: 'retryable' });
      // Nothing was registered for it: serialize would have no id to use.
      expect(() => serializer.serialize(evolved[0]!, 'mysql-outage')).toThrow(/not prepared/);
      await proxy.up('schema-registry');
      await serializer.prepare(evolved, () => 'mysql-outage');
      const [after] = await throughAvro(serializer, decoder, evolved, 'mysql-outage');
      expect(after!.schemaId).not.toBe(known!.schemaId);
      expect((after!.value.after as Record<string, unknown>).during_outage).toBe(1);
    } finally {
      await proxy.up('schema-registry');
    }
  });

  it('sends basic and bearer credentials, and names a rejection', async () => {
    const upstream = registry.get('schema-registry').info().direct;
    const events = await capture(() => conn.query('UPDATE types SET nul = 20 WHERE id = 1'), 1);
    const path = new URL(registryUrl(registry.get('schema-registry').info())).pathname;
    const basic = await authFront(upstream, (a) => a === `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    const bearer = await authFront(upstream, (a) => a === 'Bearer tok-123');
    try {
      const ok = createAvroSerializer(avroSpec(basic.url + path, { username: 'alice', password: 's3cret' }), { type: 'native' }, { who: 'basic' });
      await ok.prepare(events, () => 'mysql-auth');
      expect(decoder.decode(ok.serialize(events[0]!, 'mysql-auth'))).toMatchObject({ exact: true });
      const wrong = createAvroSerializer(avroSpec(basic.url + path, { username: 'alice', password: 'nope' }), { type: 'native' }, { who: 'basic' });
      await expect(wrong.prepare(events, () => 'mysql-auth')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED', message: expect.stringMatching(/refused the credentials/) });
      const withToken = createAvroSerializer(avroSpec(bearer.url + path, { bearer_token: 'tok-123' }), { type: 'native' }, { who: 'bearer' });
      await withToken.prepare(events, () => 'mysql-auth-bearer');
      expect(bearer.requests.some((r) => r.startsWith('POST') && r.endsWith('Bearer tok-123'))).toBe(true);
      await Promise.all([ok.close(), wrong.close(), withToken.close()]);
    } finally {
      await Promise.all([basic.close(), bearer.close()]);
    }
  });

  it('lets the chaos reader decode Avro like JSON, and flags a record framed with a wrong schema id', async () => {
    const serializer = serializerFor(registry);
    const events = await capture(async () => {
      await conn.query('UPDATE types SET nul = 30 WHERE id = 1');
      await conn.query('ALTER TABLE types ADD COLUMN reader_col INT');
      await conn.query('UPDATE types SET nul = 31, reader_col = 5 WHERE id = 1');
    }, 2);
    await serializer.prepare(events, () => 'mysql-reader');
    const [old, evolved] = events.map((e) => serializer.serialize(e, 'mysql-reader'));
    // The stale-id bug: the evolved row's body under the old version's id.
    const stale = Buffer.concat([old!.subarray(0, 5), evolved!.subarray(5)]);
    const raw = (payload: Buffer, seq: number) => ({ payload, meta: { 'tidemark-table': 'tidemark.types' }, stream: 'mysql-reader-0', seq, position: `@${seq}`, sinkTxn: null });
    const decoded = await decodeAvroPayloads([raw(old!, 0), raw(evolved!, 1), raw(stale, 2)], registryUrl(registry.get('schema-registry').info(), 'direct'));
    const collector = new RecordCollector({ primaryKeys: { types: ['id'] } });
    decoded.forEach((r) => collector.add(r));
    expect(collector.records.map((r) => [r.table, r.key, (r.after as Record<string, unknown>).nul])).toEqual([['types', '{"id":1}', 30], ['types', '{"id":1}', 31]]);
    expect((collector.records[1]!.after as Record<string, unknown>).reader_col).toBe(5);
    expect(collector.undecodable).toEqual([{ position: '@2', error: expect.stringMatching(/avro: .*(schema|short|decode)/) }]);
  });
});
