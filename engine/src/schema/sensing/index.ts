/** Schema sensing: schemas inferred from the events, drift against the source's (docs/schema-sensing.md). */
export { SchemaSensor, type SchemaSensorOptions } from './schema-sensor.js';
export { sensingSettings, type SensingSettings } from './settings.js';
export { TableSensor, fingerprintOf, type Observation } from './table-sensor.js';
export { DriftTracker, type DriftType, type TableDrift, type ColumnDrift } from './drift-tracker.js';
export { fitsColumnType } from './value-legality.js';
export { jsonKind, type JsonKind, type ValueKind } from './json-kind.js';
export { ShapeNode, DYNAMIC_KEY } from './shape-node.js';
export { toJsonSchema, JSON_SCHEMA_DRAFT } from './json-schema.js';
export type { SensedField } from './fields.js';
export type { SensedSchema, SensedSchemaSummary, SensingStats, Classifications } from './views.js';
