import { describe, expect, it } from 'vitest';
import { schemaInfo, schemaNamespace } from '../../../engine/src/api/schema-records.js';

describe('schema records', () => {
  it('names the namespace the sources write', () => {
    expect(schemaNamespace('mysql', 'm1')).toBe('mysql:m1:schemas');
    expect(schemaNamespace('postgres', 'pg')).toBe('postgres:pg:schemas');
  });

  it('renders a Postgres record (no db/table fields) from its schema.table key', () => {
    const pg = { version: 3, fingerprint: 'ff', replicaIdentity: 'full', primaryKey: ['a', 'b'], columns: [{ name: 'a', type: 'int4', typeMod: -1 }], updatedAt: 1_700_000_000_000 };
    expect(schemaInfo('public.items', pg, false)).toEqual({
      database: 'public', table: 'items', column_count: 1, primary_key: ['a', 'b'], fingerprint: 'sha256:ff', registry_version: 3, replica_identity: 'full', updated_at: '2023-11-14T22:13:20.000Z',
    });
  });

  it('keeps a MySQL tombstone visible as dropped, and survives an unexpected value', () => {
    expect(schemaInfo('shop.gone', { db: 'shop', table: 'gone', columns: [], fingerprint: 'aa', version: 1, dropped: true }, true)).toMatchObject({ dropped: true, columns: [] });
    expect(schemaInfo('weird', 42, false)).toMatchObject({ database: '', table: 'weird', fingerprint: null, registry_version: null });
  });
});
