/**
 * What the DLQ journal reports (the reference's deltaforge_dlq_* series). The Prometheus
 * implementation belongs to the metrics module; the journal calls these per write/ack, never per
 * row scanned. Labels stay bounded: sink ids and error kinds come from the spec and the codes.
 */
export interface JournalMetrics {
  /** Events routed to the DLQ (tidemark_dlq_events_total{sink,error_kind}). */
  routed(sinkId: string, errorKind: string, count: number): void;
  /** Current unacked entries (tidemark_dlq_entries). */
  entries(count: number): void;
  /** Current entries / max_entries, 0..1 (tidemark_dlq_saturation_ratio). */
  saturation(ratio: number): void;
  /** Entries removed by overflow_policy drop_oldest (tidemark_dlq_evicted_total). */
  evicted(count: number): void;
  /** Entries not stored because of overflow_policy reject (tidemark_dlq_rejected_total). */
  rejected(count: number): void;
  /** Storage failures (tidemark_dlq_write_failures_total). */
  writeFailed(): void;
  /** True while a write waits for room under overflow_policy block: the pipeline is degraded. */
  blocked(isBlocked: boolean): void;
}

const noop = (): void => {};
export const NOOP_JOURNAL_METRICS: JournalMetrics = { routed: noop, entries: noop, saturation: noop, evicted: noop, rejected: noop, writeFailed: noop, blocked: noop };
