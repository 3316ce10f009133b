import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../../engine/src/logging/logger.js';
import type { Queryable, TableInfo } from '../../../../../engine/src/sources/postgres/server/catalog.js';
import { classifyPgError } from '../../../../../engine/src/sources/postgres/pg-errors.js';
import { preflight } from '../../../../../engine/src/sources/postgres/server/preflight.js';

/** The settings row preflight reads, with overrides: the decision logic is pure given it. */
function server(row: Partial<{ wal_level: string; slots: string; senders: string; user: string; rolreplication: boolean; rolsuper: boolean }>): Queryable {
  const full = { wal_level: 'logical', slots: '10', senders: '10', user: 'cdc', rolreplication: true, rolsuper: false, ...row };
  return { query: async <R extends object>() => ({ rows: [full] as unknown as R[] }) };
}

const table: TableInfo = { oid: 1, schema: 'public', table: 'orders', replicaIdentity: 'full', primaryKey: ['id'], columns: [{ name: 'id', typeOid: 23, typeMod: -1 }], canSelect: false };
const base = { sourceId: 'src', display: 'postgres://cdc@db:5432/shop', patterns: ['public.orders'], tables: [table], needSelect: false, logger: silentLogger() };

describe('postgres preflight', () => {
  it('names the setting to change when logical decoding is off', async () => {
    await expect(preflight(server({ wal_level: 'replica' }), base)).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_SOURCE_MISCONFIGURED',
      message: expect.stringMatching(/wal_level is replica; set wal_level = logical .* and restart the server/),
    });
    await expect(preflight(server({ slots: '0' }), base)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_MISCONFIGURED' });
  });

  it('asks for REPLICATION, and for SELECT when a snapshot must read the tables', async () => {
    await expect(preflight(server({ rolreplication: false }), base)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_AUTH', message: expect.stringContaining('ALTER ROLE cdc REPLICATION') });
    await expect(preflight(server({ rolreplication: false, rolsuper: true }), base)).resolves.toBeUndefined();
    await expect(preflight(server({}), { ...base, needSelect: true })).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_AUTH', message: expect.stringContaining('cannot SELECT public.orders') });
  });
});

describe('postgres error classification', () => {
  const classify = (e: unknown) => classifyPgError(e, 'streaming', { source: 's' });

  it('retries network trouble, a restarting server and a slot still held by a dying walsender', () => {
    expect(classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).kind).toBe('retryable');
    expect(classify(new Error('Connection terminated unexpectedly')).kind).toBe('retryable');
    expect(classify({ code: '57P01', message: 'terminating connection due to administrator command' }).kind).toBe('retryable');
    expect(classify({ code: '55006', message: 'replication slot "s" is active for PID 42' })).toMatchObject({ code: 'TIDEMARK_ERR_POSTGRES_SLOT_IN_USE', kind: 'retryable' });
  });

  it('does not retry what only the operator can fix', () => {
    expect(classify({ code: '28P01', message: 'password authentication failed for user "cdc"' })).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_AUTH', kind: 'non-retryable' });
    expect(classify({ code: '42501', message: 'permission denied' })).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_AUTH' });
    expect(classify({ code: '3D000', message: 'database "x" does not exist' })).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_MISCONFIGURED' });
    expect(classify({ code: '42601', message: 'syntax error' }).kind).toBe('non-retryable');
  });
});
