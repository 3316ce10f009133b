import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend } from '../../../../../engine/src/checkpoints/index.js';
import { SchemaRegistry } from '../../../../../engine/src/sources/mysql/schema/schema-registry.js';
import { fingerprint, integerKeyColumn, type TableSchema } from '../../../../../engine/src/sources/mysql/schema/table-schema.js';

const orders = (extra: string[] = []): TableSchema => ({
  db: 'shop',
  table: 'orders',
  columns: [{ name: 'id', dataType: 'bigint', columnType: 'bigint(20) unsigned', nullable: false, charset: null }, ...extra.map((name) => ({ name, dataType: 'varchar', columnType: 'varchar(10)', nullable: true, charset: 'utf8mb4' }))],
  primaryKey: ['id'],
});

describe('schema fingerprints', () => {
  it('are SHA-256 over columns and key, stable, and change with the structure', () => {
    expect(fingerprint(orders())).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(orders())).toBe(fingerprint(orders()));
    expect(fingerprint(orders(['note']))).not.toBe(fingerprint(orders()));
    expect(fingerprint({ ...orders(), primaryKey: [] })).not.toBe(fingerprint(orders()));
  });

  it('pages by the key only when it is one integer column', () => {
    expect(integerKeyColumn(orders())?.name).toBe('id');
    expect(integerKeyColumn({ ...orders(['a']), primaryKey: ['id', 'a'] })).toBeNull();
    expect(integerKeyColumn({ ...orders(['a']), primaryKey: ['a'] })).toBeNull();
  });
});

describe('schema registry', () => {
  it('versions each table, numbers every version in one sequence, and keeps both across restarts', async () => {
    const kv = new MemoryCheckpointBackend().forPipeline('p').kv;
    const registry = new SchemaRegistry(kv, 'mysql:s');
    await registry.load();
    expect((await registry.register(orders())).schema).toMatchObject({ version: 1, sequence: 1 });
    expect((await registry.register({ ...orders(), table: 'items' })).schema).toMatchObject({ version: 1, sequence: 2 });
    expect(await registry.register(orders())).toMatchObject({ changed: false, schema: { version: 1 } });
    expect((await registry.register(orders(['note']))).schema).toMatchObject({ version: 2, sequence: 3 });

    const again = new SchemaRegistry(kv, 'mysql:s');
    await again.load();
    expect(again.get('shop', 'orders')).toMatchObject({ version: 2, sequence: 3 });
    expect((await again.register({ ...orders(), table: 'more' })).schema.sequence).toBe(4);
  });

  it('reports drift against the live schemas and continues versions through a drop', async () => {
    const registry = new SchemaRegistry(new MemoryCheckpointBackend().forPipeline('p').kv, 'mysql:s');
    await registry.load();
    await registry.register(orders());
    expect(registry.drift([orders()])).toEqual([]);
    expect(registry.drift([orders(['note'])])).toEqual([{ table: 'shop.orders', stored: expect.any(String), current: expect.any(String) }]);
    expect(registry.drift([])).toEqual([{ table: 'shop.orders', stored: expect.any(String), current: 'missing' }]);
    await registry.markDropped('shop', 'orders');
    expect(registry.get('shop', 'orders')).toBeUndefined();
    expect(registry.drift([])).toEqual([]);
    expect((await registry.register(orders())).schema.version).toBe(2);
  });
});
