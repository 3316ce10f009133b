import type { SinkHistory, SinkKind, SinkRecord } from '../../history/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../workload/schema.js';
import { decodeAvroPayloads } from './avro-payloads.js';
import { decodeRecord, type RawRecord } from './record.js';

/** Options every reader takes. */
export interface ReaderOptions {
  /** The sink's name in the pipeline (SinkHistory.sink); defaults to the reader kind. */
  readonly sink?: string;
  /** The sink promises no duplicates (exactly_once). */
  readonly exactlyOnce?: boolean;
  /** Primary key columns per table, to build record keys; defaults to the workload's tables. */
  readonly primaryKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * Avro sinks: the schema registry's Confluent-compatible URL (direct endpoint). Framed
   * payloads are decoded with the writer schema of their id into the envelope JSON carries.
   */
  readonly registryUrl?: string;
}

/** Decodes raw records as a reader finds them; keeps what it cannot decode, with where it was. */
export class RecordCollector {
  readonly records: SinkRecord[] = [];
  readonly undecodable: { position: string; error: string }[] = [];
  private readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  private readonly registryUrl: string | undefined;

  constructor(options: ReaderOptions) {
    this.primaryKeys = options.primaryKeys ?? WORKLOAD_PRIMARY_KEYS;
    this.registryUrl = options.registryUrl;
  }

  /** Adds records read in one go; Avro payloads are first decoded through the registry (one lookup per schema id). */
  async addAll(raws: readonly RawRecord[]): Promise<void> {
    const decoded = this.registryUrl ? await decodeAvroPayloads(raws, this.registryUrl) : raws;
    for (const raw of decoded) this.add(raw);
  }

  add(raw: RawRecord): void {
    try {
      this.records.push(decodeRecord(raw, this.primaryKeys));
    } catch (err) {
      this.undecodable.push({ position: raw.position, error: err instanceof Error ? err.message : String(err) });
    }
  }

  history(kind: SinkKind, options: ReaderOptions, extra: Partial<Pick<SinkHistory, 'isolation' | 'complete'>> = {}): SinkHistory {
    return {
      sink: options.sink ?? kind,
      kind,
      exactlyOnce: options.exactlyOnce ?? false,
      ...extra,
      records: this.records,
      ...(this.undecodable.length > 0 ? { undecodable: this.undecodable } : {}),
    };
  }
}
