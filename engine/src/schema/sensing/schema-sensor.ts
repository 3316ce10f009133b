import type { SchemaSensingSpec } from '../../config/pipeline-spec.js';
import type { ChangeEvent } from '../../event/change-event.js';
import type { Logger } from '../../logging/logger.js';
import { NOOP_SENSING_METRICS, type SensingMetrics } from '../../metrics/hooks.js';
import type { TableDrift } from './drift-tracker.js';
import { sensingSettings, type SensingSettings } from './settings.js';
import { TableSensor } from './table-sensor.js';
import { classificationsView, detailView, jsonSchemaView, statsView, summaryViews, type Classifications, type SensedSchema, type SensedSchemaSummary, type SensingStats } from './views.js';

export interface SchemaSensorOptions {
  readonly metrics?: SensingMetrics;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Schema sensing for one pipeline (docs/schema-sensing.md): every event the source emits is
 * shown to its table's sensor; the REST API reads the results. Observing never throws: a bug
 * here is logged once and sensing stops, the pipeline goes on.
 */
export class SchemaSensor {
  private readonly settings: SensingSettings;
  private readonly tables = new Map<string, TableSensor>();
  private readonly metrics: SensingMetrics;
  private readonly now: () => number;
  private dynamicMaps = 0;
  private broken = false;

  constructor(readonly spec: SchemaSensingSpec, private readonly options: SchemaSensorOptions = {}) {
    this.settings = sensingSettings(spec);
    this.metrics = options.metrics ?? NOOP_SENSING_METRICS;
    this.now = options.now ?? Date.now;
  }

  observe(event: ChangeEvent): void {
    if (this.broken) return;
    const row = event.op === 'd' ? event.before : (event.after ?? event.before);
    if (!row) return;
    try {
      const name = `${event.source.db}.${event.source.table}`;
      let table = this.tables.get(name);
      if (!table) {
        this.tables.set(name, (table = new TableSensor(name, this.settings)));
        this.metrics.tables(this.tables.size);
      }
      const m = this.metrics.table(name);
      m.event();
      const started = performance.now();
      const seen = table.observe(event, row, this.now());
      if (!seen.analysed) return;
      m.latency((performance.now() - started) / 1000);
      if (seen.cacheHit !== null) m.cache(seen.cacheHit);
      for (const type of seen.drift) m.drift(type);
      if (seen.dynamicMaps > 0) this.metrics.dynamicMaps((this.dynamicMaps += seen.dynamicMaps));
      if (seen.evolved) {
        m.evolution();
        const log = table.stabilized ? this.options.logger?.info.bind(this.options.logger) : this.options.logger?.debug.bind(this.options.logger);
        log?.({ table: name, sequence: table.version?.sequence, fingerprint: table.version?.fingerprint }, 'inferred schema evolved');
      }
    } catch (e) {
      this.broken = true;
      this.options.logger?.error({ err: e }, 'schema sensing failed and is off for this run; the pipeline is not affected');
    }
  }

  /** `GET …/sensing/schemas`: every table, and every JSON column as `table:column`. */
  schemas(): SensedSchemaSummary[] {
    return [...this.tables.values()].flatMap((t) => summaryViews(t));
  }

  /** `GET …/sensing/schemas/{table}`; null when nothing by that name was sensed. */
  schema(name: string): SensedSchema | null {
    const found = this.find(name);
    return found && detailView(found.table, found.column);
  }

  jsonSchema(name: string): Record<string, unknown> | null {
    const found = this.find(name);
    return found && jsonSchemaView(found.table, found.column);
  }

  classifications(name: string): Classifications | null {
    const found = this.find(name);
    return found && !found.column ? classificationsView(found.table) : null;
  }

  stats(): SensingStats {
    return statsView([...this.tables.values()], this.settings.cacheSize ?? 0);
  }

  drift(): TableDrift[] {
    return [...this.tables.values()].map((t) => t.drift.report(t.name));
  }

  driftOf(name: string): TableDrift | null {
    const found = this.find(name);
    return found && !found.column ? found.table.drift.report(found.table.name) : null;
  }

  /**
   * `db.table`, or just `table` when one database has it; `…:column` names a JSON column.
   * Null when no sensed table (or no JSON column of it) matches.
   */
  private find(name: string): { table: TableSensor; column: string | null } | null {
    const colon = name.lastIndexOf(':');
    const tableName = colon > 0 ? name.slice(0, colon) : name;
    const column = colon > 0 ? name.slice(colon + 1) : null;
    let table = this.tables.get(tableName);
    if (!table && !tableName.includes('.')) {
      const matches = [...this.tables.values()].filter((t) => t.name.slice(t.name.indexOf('.') + 1) === tableName);
      if (matches.length === 1) table = matches[0];
    }
    if (!table || (column !== null && !table.jsonColumns.has(column))) return null;
    return { table, column };
  }
}
