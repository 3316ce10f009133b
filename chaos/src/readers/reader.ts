import type { SinkMeta } from '../checkers/index.js';
import type { SinkHistory, SinkKind } from '../history/index.js';
import type { SinkTail } from './tails/tail.js';

/** One history the checkers judge, read incrementally. */
export interface SinkFeed {
  readonly meta: SinkMeta;
  readonly tail: SinkTail;
}

/**
 * The reader contract: the runner's handle on one attached sink for one run. Prepares what the
 * sink writes into, counts cheaply what it holds (for progress and to decide when a full read is
 * worth it), and reads everything back through the DIRECT endpoint (docs/workload.md, "Readers").
 * One implementation per sink kind in ./io/; every one passes test/contract/reader-contract.ts.
 */
export interface SinkIo {
  readonly kind: SinkKind;
  /** The sink's id in the pipeline: the name its histories and facts carry. */
  readonly name: string;
  readonly exactlyOnce: boolean;
  /** Creates topics / the stream before the pipeline starts. */
  prepare(): Promise<void>;
  /** Records held now, from offsets or lengths (may count markers or duplicates). */
  count(): Promise<number>;
  /** What a consumer sees (Kafka: read_committed). */
  read(): Promise<SinkHistory>;
  /** Every history the checkers judge (Kafka: read_committed and read_uncommitted). */
  readAll(): Promise<SinkHistory[]>;
  /**
   * The same histories as tails that keep their place (the first is what a consumer sees), for
   * runs judged while they stream. Created once per run; closed by `close()`. A tail may
   * release what it has read (HTTP frees the bodies it judged), so a run reads either through
   * the feeds or through `read()`, not both.
   */
  feeds(primaryKeys: Readonly<Record<string, readonly string[]>>): SinkFeed[];
  /** Closes the feeds and every connection the handle opened. */
  close(): Promise<void>;
}

/** How the readers decode payloads: through the schema registry (direct URL) for Avro pipelines. */
export interface PayloadDecoding {
  readonly registryUrl?: string;
}
