/** The services a topology can hold; each one gets a Toxiproxy proxy of the same name. */
export const SERVICE_NAMES = ['mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka', 'redis', 'nats', 'schema-registry'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export type ServiceKind = 'mysql' | 'postgres' | 'kafka' | 'redis' | 'nats' | 'schema-registry';
export type ReplicaName = 'mysql-b' | 'postgres-b';
export type ProviderName = 'native' | 'testcontainers';

/** Which path a client takes: through the service's Toxiproxy proxy, or straight to the server. */
export type Via = 'proxy' | 'direct';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface Credentials {
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Plain, serialisable facts about one service (safe for vitest `provide` and the state file). */
export interface ServiceInfo {
  readonly name: ServiceName;
  readonly kind: ServiceKind;
  /** Bypasses Toxiproxy; for workloads, readers and admin work during faults. */
  readonly direct: Endpoint;
  /** Through the Toxiproxy proxy named like the service; what the engine under test uses. */
  readonly proxied: Endpoint;
  /** Admin credentials for databases (MariaDB/MySQL root, Postgres superuser). */
  readonly credentials?: Credentials;
  /** A replication user's credentials (MariaDB/MySQL: REPLICATION SLAVE/CLIENT + SELECT). */
  readonly cdcCredentials?: Credentials;
  /** For replicas: the primary they follow. */
  readonly replicaOf?: ServiceName;
  /** Where the service runs (native: data dir), for humans. */
  readonly location?: string;
}

/** A running service that can be stopped, killed and started again with its data. */
export interface ServiceHandle extends ServiceInfo {
  /** OS process id (native) while running, else undefined. */
  readonly pid: number | undefined;
  /** Graceful shutdown; resolves once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL; resolves once the process has exited and been reaped, so start() can reuse the port. */
  kill(): Promise<void>;
  /** Starts a stopped or killed service on the same port and data, and waits until it answers. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** One real client round trip on the direct endpoint. */
  isUp(): Promise<boolean>;
  /** The service's captured log output. */
  logs(): Promise<string>;
  info(): ServiceInfo;
}

/** A replica (MariaDB GTID replica or Postgres streaming standby) that can become a primary. */
export interface ReplicaHandle extends ServiceHandle {
  /** Turns the replica into a writable primary; resolves once it accepts writes. */
  promote(): Promise<void>;
}

export interface HandleByName {
  mysql: ServiceHandle;
  'mysql-b': ReplicaHandle;
  postgres: ServiceHandle;
  'postgres-b': ReplicaHandle;
  kafka: ServiceHandle;
  redis: ServiceHandle;
  nats: ServiceHandle;
  /** Confluent-compatible schema registry (Apicurio); its API is under `/apis/ccompat/v7` (see `registryUrl`). */
  'schema-registry': ServiceHandle;
}

/** What to start. Replicas pull in their primary. */
export interface TopologySpec {
  readonly services: readonly ServiceName[];
  /** Keep the temp root (data dirs, logs) after down(), for post-mortems. */
  readonly keepData?: boolean;
}

/** Serialisable description of a running topology. */
export interface TopologyInfo {
  readonly provider: ProviderName;
  /** Base URL of Toxiproxy's HTTP API, e.g. http://127.0.0.1:21234 */
  readonly toxiproxyUrl: string;
  readonly services: readonly ServiceInfo[];
  /** Native provider: the temp root holding every data dir and log. */
  readonly root?: string;
  /** Testcontainers provider: the image of each kind of server (and of toxiproxy). */
  readonly images?: Readonly<Record<string, string>>;
  /** Testcontainers provider: which image set those come from. */
  readonly imageSet?: 'local' | 'official';
  /** Testcontainers provider: the label every container and network of this topology carries. */
  readonly session?: string;
}
