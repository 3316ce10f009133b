import { createHash } from 'node:crypto';
import type { ChangeEvent, Row } from '../../event/change-event.js';
import { DriftTracker, type DriftType } from './drift-tracker.js';
import { nestedFields } from './fields.js';
import { KeyClassifier } from './key-classifier.js';
import type { SensingSettings } from './settings.js';
import { DYNAMIC_KEY, ShapeNode, type ObserveContext } from './shape-node.js';
import { StructureCache, structureSignature } from './structure-cache.js';

/** Object paths per table the classifier follows; beyond it new paths are not classified. */
const MAX_CLASSIFIED_PATHS = 1_000;

/** What one event did to its table's sensing state. */
export interface Observation {
  readonly analysed: boolean;
  /** Structure cache: true hit, false miss, null when no cache or not analysed. */
  readonly cacheHit: boolean | null;
  /** The fingerprint changed from an earlier one. */
  readonly evolved: boolean;
  readonly drift: ReadonlySet<DriftType>;
  /** Paths this event classified as dynamic maps. */
  readonly dynamicMaps: number;
}

/** A versioned inferred schema: the table's, or one JSON column's. */
export interface Versioned {
  fingerprint: string;
  sequence: number;
  readonly firstSeen: number;
  lastSeen: number;
}

const NOTHING: ReadonlySet<DriftType> = new Set();

/**
 * Schema sensing for one table: counts every event, analyses the warmup and then one in
 * `sampleRate` (skipping rows whose structure is cached), folds dynamic map keys, versions the
 * inferred schema by fingerprint (the table's and each JSON column's), and judges drift.
 */
export class TableSensor {
  readonly root = new ShapeNode();
  readonly cache: StructureCache | null;
  readonly classifiers = new Map<string, KeyClassifier>();
  readonly drift = new DriftTracker();
  readonly jsonColumns = new Map<string, Versioned & { fields: ReadonlySet<string> }>();
  eventCount = 0;
  analysed = 0;
  version: Versioned | null = null;
  private deepAnalysed = 0;
  private sinceEvolution = 0;
  private readonly pendingFolds: string[] = [];
  private readonly deep: ObserveContext;
  private readonly shallow: ObserveContext;

  constructor(readonly name: string, private readonly settings: SensingSettings) {
    this.cache = settings.cacheSize === null ? null : new StructureCache(settings.cacheSize);
    const fieldName = (path: string, key: string) => (this.classifiers.get(path)?.keeps(key) ?? true ? key : DYNAMIC_KEY);
    const objectAt = settings.highCardinality ? (path: string, object: Readonly<Record<string, unknown>>) => this.classify(path, object) : undefined;
    this.deep = { maxDepth: settings.maxDepth, fieldName, ...(objectAt ? { objectAt } : {}) };
    this.shallow = { maxDepth: 1, fieldName, ...(objectAt ? { objectAt } : {}) };
  }

  /** Stabilized: the warmup is over and the last tenth of a warmup's worth of analysed events left the schema as it was. */
  get stabilized(): boolean {
    return this.eventCount > this.settings.warmupEvents && this.sinceEvolution >= Math.max(1, Math.ceil(this.settings.warmupEvents / 10));
  }

  observe(event: ChangeEvent, row: Row, now: number): Observation {
    this.eventCount++;
    const n = this.eventCount - this.settings.warmupEvents;
    if (n > 0 && n % this.settings.sampleRate !== 0) {
      if (this.version) this.version.lastSeen = now;
      return { analysed: false, cacheHit: null, evolved: false, drift: NOTHING, dynamicMaps: 0 };
    }
    this.analysed++;
    const wasStable = this.stabilized;
    const ctx = this.deepAnalysed++ < this.settings.deepSampleSize ? this.deep : this.shallow;
    const cacheHit = this.cache ? this.cache.check(structureSignature(row, '', 0, ctx)) : null;
    let changed = cacheHit === true ? false : this.root.observe(row, '', 0, ctx);
    const dynamicMaps = this.pendingFolds.length;
    while (this.pendingFolds.length > 0) {
      const path = this.pendingFolds.pop()!;
      const classifier = this.classifiers.get(path)!;
      changed = this.root.fold(path, (key) => classifier.keeps(key)) || changed;
      // Signatures cached so far name the keys now folded.
      this.cache?.clear();
    }
    let evolved = false;
    const structureChanges = new Map<string, readonly string[]>();
    if (changed) {
      evolved = this.revise(now);
      this.versionJsonColumns(now, wasStable, structureChanges);
    }
    if (evolved) this.sinceEvolution = 0;
    else this.sinceEvolution++;
    if (this.version) this.version.lastSeen = now;
    return { analysed: true, cacheHit, evolved, drift: this.drift.observe(event, structureChanges), dynamicMaps };
  }

  private revise(now: number): boolean {
    const fingerprint = fingerprintOf(this.root);
    if (this.version === null) {
      this.version = { fingerprint, sequence: 1, firstSeen: now, lastSeen: now };
      return false;
    }
    if (this.version.fingerprint === fingerprint) return false;
    this.version.fingerprint = fingerprint;
    this.version.sequence++;
    return true;
  }

  /** JSON columns (object values) get their own version; a change once the table was stable is drift. */
  private versionJsonColumns(now: number, wasStable: boolean, changes: Map<string, readonly string[]>): void {
    for (const [column, node] of this.root.children ?? []) {
      if (!node.kinds.has('object') || !node.children) continue;
      const fingerprint = fingerprintOf(node);
      const known = this.jsonColumns.get(column);
      if (known?.fingerprint === fingerprint) continue;
      const fields = new Set(nestedFields(node).map((f) => f.name));
      if (!known) {
        this.jsonColumns.set(column, { fingerprint, sequence: 1, firstSeen: now, lastSeen: now, fields });
        continue;
      }
      if (wasStable) changes.set(column, [...fields].filter((f) => !known.fields.has(f)).map((f) => `+${f}`));
      this.jsonColumns.set(column, { ...known, fingerprint, sequence: known.sequence + 1, lastSeen: now, fields });
    }
  }

  private classify(path: string, object: Readonly<Record<string, unknown>>): void {
    let classifier = this.classifiers.get(path);
    if (!classifier) {
      if (this.classifiers.size >= MAX_CLASSIFIED_PATHS) return;
      this.classifiers.set(path, (classifier = new KeyClassifier(this.settings.highCardinality!)));
    }
    if (classifier.observe(object)?.has_dynamic_fields) this.pendingFolds.push(path);
  }
}

/** `sha256:<hex>` of a shape's canonical form. */
export function fingerprintOf(node: ShapeNode): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(node.canonical())).digest('hex')}`;
}
