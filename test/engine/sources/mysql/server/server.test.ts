import { describe, expect, it } from 'vitest';
import { classifyMysqlError } from '../../../../../engine/src/sources/mysql/protocol/mysql-errors.js';
import { evaluatePreflight, usesGtids, type ServerSettings } from '../../../../../engine/src/sources/mysql/protocol/preflight-rules.js';
import { streamPosition } from '../../../../../engine/src/sources/mysql/protocol/position.js';
import { assessRetention } from '../../../../../engine/src/sources/mysql/protocol/retention.js';
import { positionProblem } from '../../../../../engine/src/sources/mysql/server/reconcile.js';
import { binlogStatusStatements, identityFrom, identityKey, settingsFrom, type ServerState } from '../../../../../engine/src/sources/mysql/server/server-state.js';

const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const MYSQL8 = new Map([
  ['version', '8.4.2'], ['log_bin', 'ON'], ['binlog_format', 'ROW'], ['binlog_row_image', 'FULL'], ['server_id', '7'], ['server_uuid', UUID],
  ['gtid_mode', 'ON'], ['gtid_executed', `${UUID}:1-100`], ['binlog_expire_logs_seconds', '2592000'], ['expire_logs_days', '0'],
]);
const MARIADB = new Map([
  ['version', '10.11.19-MariaDB-log'], ['log_bin', 'ON'], ['binlog_format', 'ROW'], ['binlog_row_image', 'FULL'], ['server_id', '1'],
  ['gtid_domain_id', '0'], ['gtid_strict_mode', 'ON'], ['gtid_binlog_pos', '0-1-50'], ['expire_logs_days', '2'],
]);

describe('server settings and identity', () => {
  it('reads MySQL 8 variables: server_uuid identity, GTID mode, retention in seconds', () => {
    const s = settingsFrom(MYSQL8);
    expect(s).toMatchObject({ flavor: 'mysql', gtidMode: 'ON', gtidStrictMode: null, expireSeconds: 2_592_000 });
    expect(usesGtids(s)).toBe(true);
    expect(identityKey(identityFrom(MYSQL8))).toBe(`mysql:${UUID}`);
  });

  it('reads MariaDB variables: server_id + domain identity, retention from expire_logs_days', () => {
    const s = settingsFrom(MARIADB);
    expect(s).toMatchObject({ flavor: 'mariadb', gtidMode: null, gtidStrictMode: true, expireSeconds: 172_800 });
    expect(usesGtids(s)).toBe(true);
    expect(identityKey(identityFrom(MARIADB))).toBe('mariadb:1:0');
  });

  it('asks MySQL 8 for SHOW BINARY LOG STATUS first (SHOW MASTER STATUS is gone in 8.4)', () => {
    expect(binlogStatusStatements('mysql')[0]).toBe('SHOW BINARY LOG STATUS');
    expect(binlogStatusStatements('mariadb')).toContain('SHOW MASTER STATUS');
  });
});

describe('preflight', () => {
  const base: ServerSettings = settingsFrom(MARIADB);

  it('fails when binary logging is off or not row-based', () => {
    expect(evaluatePreflight({ ...base, logBin: false }).errors).toEqual([expect.stringMatching(/^log_bin is OFF/)]);
    expect(evaluatePreflight({ ...base, binlogFormat: 'MIXED' }).errors).toEqual([expect.stringMatching(/^binlog_format is MIXED, CDC needs ROW/)]);
    expect(evaluatePreflight(base)).toEqual({ errors: [], warnings: [] });
  });

  it('warns on partial row images, on MySQL without GTIDs and on MariaDB without strict mode', () => {
    expect(evaluatePreflight({ ...base, binlogRowImage: 'MINIMAL' }).warnings).toEqual([expect.stringMatching(/binlog_row_image is MINIMAL, not FULL/)]);
    expect(evaluatePreflight({ ...settingsFrom(MYSQL8), gtidMode: 'OFF' }).warnings).toEqual([expect.stringMatching(/gtid_mode is OFF: positions fall back to binlog file:pos/)]);
    expect(evaluatePreflight({ ...base, gtidStrictMode: false }).warnings).toEqual([expect.stringMatching(/gtid_strict_mode is OFF/)]);
  });
});

describe('binlog retention', () => {
  it('warns at half the retention window and flags high risk at 80%', () => {
    const tables = [{ rows: 1_000_000 }];
    expect(assessRetention({ tables, maxParallelTables: 8, expireSeconds: 0 }).level).toBe('unlimited');
    expect(assessRetention({ tables, maxParallelTables: 8, expireSeconds: 10_000 }).level).toBe('ok');
    expect(assessRetention({ tables, maxParallelTables: 8, expireSeconds: 90 }).level).toBe('warn');
    expect(assessRetention({ tables, maxParallelTables: 8, expireSeconds: 55 }).level).toBe('high-risk');
  });
});

describe('position reachability', () => {
  const state = (over: Partial<ServerState>): ServerState => ({
    settings: settingsFrom(MARIADB),
    identity: identityFrom(MARIADB),
    executed: '0-1-50',
    purged: '',
    binlogs: [{ name: 'mysql-bin.000003', size: 5000 }],
    ...over,
  });
  const gtidAt = (set: string, index = -1, gtid: string | null = null) => streamPosition({ server_id: 1, gtid, file: 'mysql-bin.000001', pos: 4, gtid_set: set }, 0, index);
  const fileAt = (file: string, pos: number) => streamPosition({ server_id: 1, gtid: null, file, pos, gtid_set: null }, 0, -1);

  it('accepts a GTID position the server has reached, on any server', () => {
    expect(positionProblem(gtidAt('0-1-40'), state({}), false)).toBeNull();
    expect(positionProblem(gtidAt('0-1-40'), state({ executed: '0-2-60' }), false)).toBeNull();
  });

  it('reports a server behind the position (RESET MASTER, lagging replica)', () => {
    expect(positionProblem(gtidAt('0-1-40'), state({ executed: '' }), true)).toMatch(/does not hold the checkpoint's transactions/);
    expect(positionProblem(gtidAt('0-1-49', 2, '0-1-51'), state({}), true)).toMatch(/never executed transaction 0-1-51/);
  });

  it('reports MySQL transactions purged before the checkpoint saw them', () => {
    const mysql = state({ settings: settingsFrom(MYSQL8), identity: identityFrom(MYSQL8), executed: `${UUID}:1-100`, purged: `${UUID}:1-60` });
    expect(positionProblem(gtidAt(`${UUID}:1-70`), mysql, true)).toBeNull();
    expect(positionProblem(gtidAt(`${UUID}:1-50`), mysql, true)).toMatch(/purged binlogs holding transactions/);
    expect(positionProblem(gtidAt('0-1-5'), mysql, true)).toMatch(/cannot be used on this server/);
  });

  it('checks file:pos positions against the binlogs of the same server only', () => {
    expect(positionProblem(fileAt('mysql-bin.000003', 900), state({}), true)).toBeNull();
    expect(positionProblem(fileAt('mysql-bin.000002', 900), state({}), true)).toMatch(/mysql-bin.000002 of the checkpoint is gone/);
    expect(positionProblem(fileAt('mysql-bin.000003', 9000), state({}), true)).toMatch(/shorter than the checkpoint offset/);
    expect(positionProblem(fileAt('mysql-bin.000003', 900), state({}), false)).toMatch(/of another server/);
  });
});

describe('driver error classification', () => {
  const err = (fields: Record<string, unknown>, message = 'boom') => Object.assign(new Error(message), fields);

  it('turns 1236 into position lost, unless another reader took our server_id', () => {
    const lost = classifyMysqlError(err({ errno: 1236 }, 'Could not find GTID state requested by slave in any binlog files'), { source: 's' });
    expect(lost).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', kind: 'fatal', remedy: 'resnapshot' });
    expect(lost.message).toMatch(/^position lost: .*Could not find GTID state.*\. Re-snapshot required\.$/);
    const conflict = classifyMysqlError(err({ errno: 1236 }, 'A replica with the same server_uuid/server_id as this replica has connected to the source'), {});
    expect(conflict.code).toBe('TIDEMARK_ERR_MYSQL_SERVER_ID_CONFLICT');
  });

  it('separates credentials, network failures and undecodable data', () => {
    expect(classifyMysqlError(err({ errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' }), {}).code).toBe('TIDEMARK_ERR_SOURCE_AUTH');
    for (const e of [err({ code: 'ECONNRESET' }), err({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), err({ errno: 2013 }), err({ code: 'ETIMEDOUT' })]) {
      expect(classifyMysqlError(e, {})).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_CONNECT', kind: 'retryable' });
    }
    expect(classifyMysqlError(new Error('Server sent a TRANSACTION_PAYLOAD_EVENT (binlog_transaction_compression=ON).'), {}).code).toBe('TIDEMARK_ERR_MYSQL_UNSUPPORTED_BINLOG');
    expect(classifyMysqlError(new Error('Unsupported type "99" on column "x"'), {})).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_DECODE', kind: 'non-retryable' });
  });
});
