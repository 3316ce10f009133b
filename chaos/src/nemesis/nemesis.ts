import type { EngineProcess } from '../engine/engine-process.js';
import type { FaultEvent } from '../history/index.js';
import type { ReplicaName, ServiceName, Topology } from '../infra/index.js';
import type { HttpReceiver } from '../readers/http-receiver.js';

/** A row as a SQL driver returns it. */
export type SqlRow = Record<string, unknown>;

/** Where the workload should put a column, as a scenario's ddl params say (all optional). */
export interface DdlParams {
  readonly table?: string;
  readonly column?: string;
  readonly type?: string;
}

/** Where faults land, resolved by the runner for one scenario run. */
export interface NemesisContext {
  readonly topology: Topology;
  readonly engine: EngineProcess;
  /** Which source family this run uses; the target `source` means its proxy and its primary. */
  readonly source: 'mysql' | 'postgres';
  /** The service that is the family's primary right now (`mysql-b` after a MariaDB failover). */
  readonly primary: () => ServiceName;
  /** A failover promoted this replica: the runner makes it the family's primary from now on. */
  readonly onPromoted?: (replica: ReplicaName) => void;
  /** Runs one statement as admin on a database service's DIRECT endpoint. */
  readonly sql: (service: ServiceName, statement: string, params?: readonly unknown[]) => Promise<SqlRow[]>;
  /**
   * The Toxiproxy proxy the workload writes through, when it needs one: only a failover does, so
   * that the workload can follow the promotion. No other fault ever touches it.
   */
  readonly workloadProxy?: string;
  /** The MySQL database / Postgres schema the workload writes. */
  readonly database: string;
  /** Replication slot of the pipeline (Postgres). */
  readonly slot?: string;
  /** Schema changes go through the workload so its history knows the new columns. */
  readonly ddl?: (change: 'add' | 'drop', params: DdlParams) => Promise<string>;
  /** The HTTP sink's receiver, whose answers the HTTP faults change (5xx, 429, slow, reset). */
  readonly receiver?: HttpReceiver;
  readonly log: (message: string) => void;
}

/** Heals an active fault (re-enables the proxy, removes the toxic, restarts the process...). */
export type Heal = () => Promise<void>;

/**
 * One kind of fault. `inject` returns how to heal it, or null for a fault that is over once
 * injected (a purge, a promotion). Injection and healing are timestamped by the scheduler.
 */
export interface Fault {
  readonly kind: string;
  inject(ctx: NemesisContext, target: string, params: Readonly<Record<string, unknown>>): Promise<Heal | null>;
}

/** `source` is the run's source server (its primary now); other targets name a service. */
export function serviceOf(ctx: NemesisContext, target: string): ServiceName {
  if (target === 'source') return ctx.primary();
  if (target === 'engine' || target === 'http') throw new Error(`${target} is not a server of the topology: kill-server and restart-server take source, mysql, mysql-b, postgres, postgres-b, kafka, redis, nats or schema-registry`);
  return target as ServiceName;
}

/** `source` means the proxy the engine reads the source through (named after the family). */
export function proxyName(ctx: NemesisContext, target: string): string {
  return target === 'source' ? ctx.source : target;
}

export type { FaultEvent };
