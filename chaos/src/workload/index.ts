/**
 * The workload: N writers on a direct connection to MariaDB/MySQL or Postgres, writing known row
 * versions and recording the source history. See docs/workload.md.
 */
export { startWorkload, prepareSchema, type WorkloadHandle, type WorkloadOptions, type WorkloadTarget } from './workload.js';
export { workloadSettings, parseSettings, type WorkloadSettings, type ResolvedSettings } from './settings.js';
export type { WorkloadCounters } from './recorder.js';
export { WORKLOAD_TABLES, WORKLOAD_PRIMARY_KEYS, SchemaModel, LARGE_KINDS, type TableDef, type ColumnDef, type ColumnKind } from './schema.js';
export { ALL_TABLES, REALISM_TABLES, tablesFor, TYPES, DOCS, DOCS_FULL, NOPK, WIDE, BULK, BACKLOG } from './tables.js';
export { writeBacklog, type Backlog as WrittenBacklog, type BacklogOptions } from './backlog.js';
export type { Mix } from './planner.js';
export type { DdlChange } from './ddl.js';
export { expectedState, finalColumns, type ExpectedState, type TableState } from './expected-state.js';
export { readSourceState } from './table-state.js';
export type { ConnectionOptions } from './sql/session.js';
export type { SourceKind } from './sql/dialect.js';
