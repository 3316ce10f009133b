import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import type { MysqlSourceConfig } from '../../../config/index.js';
import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { MysqlDsn } from '../config/dsn.js';
import type { TableFilter } from '../config/table-filter.js';
import { positionLostMessage } from '../protocol/mysql-errors.js';
import { streamPosition, type MysqlPosition } from '../protocol/position.js';
import { evaluatePreflight, usesGtids } from '../protocol/preflight-rules.js';
import { loadSchemas } from '../schema/schema-loader.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { tableKey } from '../schema/table-schema.js';
import type { SchemaChange } from '../stream/tx-assembler.js';
import { openControl, type Control, type Timeouts } from './control.js';
import { positionProblem } from './reconcile.js';
import { identityKey, readBinlogHead, readServerState, type ServerIdentity, type ServerState } from './server-state.js';

export interface SessionOptions {
  readonly sourceId: string;
  readonly dsn: MysqlDsn;
  readonly timeouts: Timeouts;
  readonly kv: KeyValueStore;
  readonly namespace: string;
  readonly filter: TableFilter;
  readonly registry: SchemaRegistry;
  readonly onSchemaDrift: MysqlSourceConfig['on_schema_drift'];
  readonly logger: Logger;
}

/**
 * The control side of the source: one SQL connection, reopened at every connect, and the
 * checks made each time: preflight, server identity, reachability of the position, schemas.
 */
export class ServerSession {
  private controlValue: Control | null = null;
  private readonly warned = new Set<string>();

  constructor(private readonly options: SessionOptions) {}

  get control(): Control {
    if (!this.controlValue) throw new Error('mysql control connection is not open');
    return this.controlValue;
  }

  /**
   * (Re)connects and reconciles. `from` is checked for reachability on this server; a changed
   * server identity (failover) also triggers the schema drift check. Throws classified errors.
   */
  async connect(from: MysqlPosition | null, options: { syncSchemas: boolean }): Promise<ServerState> {
    await this.close();
    this.controlValue = await openControl(this.options.dsn, this.options.timeouts);
    const state = await readServerState(this.control);
    this.preflight(state);
    const stored = await this.options.kv.get<ServerIdentity>(this.options.namespace, 'identity');
    const changed = stored !== undefined && identityKey(stored) !== identityKey(state.identity);
    if (from) {
      const problem = positionProblem(from, state, !changed);
      if (problem) throw new TidemarkError('TIDEMARK_ERR_SOURCE_POSITION_LOST', positionLostMessage(problem), { context: { source: this.options.sourceId, server: identityKey(state.identity) } });
    }
    if (changed) this.options.logger.warn({ before: stored, now: state.identity }, 'server identity changed (failover or a different server behind the address): the checkpoint is reachable here, reconciling schemas');
    if (changed || options.syncSchemas) await this.syncSchemas(changed);
    if (!stored || changed) await this.options.kv.put(this.options.namespace, 'identity', state.identity);
    return state;
  }

  /** The binlog tail: where a first start without snapshot begins. */
  async tail(state: ServerState): Promise<MysqlPosition> {
    const head = await readBinlogHead(this.control, state.identity.flavor);
    let gtidSet: string | null = null;
    if (usesGtids(state.settings)) {
      if (state.identity.flavor === 'mysql') gtidSet = head.executedGtidSet ?? state.executed;
      else gtidSet = (await this.control.query<{ pos: string }>('SELECT @@GLOBAL.gtid_binlog_pos AS pos'))[0]?.pos ?? '';
    }
    return streamPosition({ server_id: state.identity.serverId, gtid: null, file: head.file, pos: head.pos, gtid_set: gtidSet }, 0, -1);
  }

  /** After DDL: re-reads the named tables; those gone (dropped, renamed away) become tombstones. */
  async refreshSchemas(change: SchemaChange): Promise<void> {
    const live = await loadSchemas(this.control, this.options.filter, change);
    for (const schema of live) {
      const { schema: registered, changed } = await this.options.registry.register(schema);
      if (changed) this.options.logger.info({ table: tableKey(schema.db, schema.table), version: registered.version, sequence: registered.sequence }, 'table schema changed');
    }
    const seen = new Set(live.map((s) => tableKey(s.db, s.table)));
    const named = [...change.tables.map((t) => tableKey(t.db, t.table)), ...this.options.registry.all().filter((s) => change.schemas.includes(s.db)).map((s) => tableKey(s.db, s.table))];
    for (const key of named) {
      if (seen.has(key)) continue;
      const current = this.options.registry.all().find((s) => tableKey(s.db, s.table) === key);
      if (current) await this.options.registry.markDropped(current.db, current.table);
    }
  }

  async close(): Promise<void> {
    const c = this.controlValue;
    this.controlValue = null;
    await c?.close();
  }

  private preflight(state: ServerState): void {
    const verdict = evaluatePreflight(state.settings);
    if (verdict.errors.length > 0) {
      throw new TidemarkError('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `the server is not set up for CDC: ${verdict.errors.join('; ')}`, { context: { source: this.options.sourceId } });
    }
    for (const w of verdict.warnings) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.options.logger.warn({ source: this.options.sourceId }, w);
    }
  }

  private async syncSchemas(driftCheck: boolean): Promise<void> {
    const live = await loadSchemas(this.control, this.options.filter);
    if (driftCheck) {
      const drift = this.options.registry.drift(live);
      if (drift.length > 0 && this.options.onSchemaDrift === 'halt') {
        throw new TidemarkError('TIDEMARK_ERR_SOURCE_SCHEMA_DRIFT', `the new server's schemas differ from the stored ones: ${drift.map((d) => `${d.table} (${d.stored} -> ${d.current})`).join(', ')}; on_schema_drift is halt`, { context: { source: this.options.sourceId } });
      }
      if (drift.length > 0) this.options.logger.warn({ drift }, 'schemas differ on the new server; adapting (new versions registered)');
    }
    for (const schema of live) await this.options.registry.register(schema);
  }
}
