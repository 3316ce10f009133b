import type { Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';

/**
 * The exactly-once checkpoint as stored in the compacted checkpoint topic: key
 * `{pipeline}/{sink}`, value JSON. Written in the same transaction as the batch's events, so a
 * read_committed reader sees a checkpoint exactly when it sees the events it covers.
 */
export interface CheckpointRecord {
  readonly v: 1;
  readonly position: Position;
  /** The coordinator's batch sequence and event count, for humans reading the topic. */
  readonly batch: number;
  readonly events: number;
}

export const CHECKPOINT_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  // Compaction never touches the active segment: roll hourly so old checkpoints go away.
  'segment.ms': '3600000',
  'min.cleanable.dirty.ratio': '0.1',
};

/** Partitions of a checkpoint topic the sink creates; keys hash onto them (murmur2). */
export const CHECKPOINT_TOPIC_PARTITIONS = 8;

export function checkpointKey(pipeline: string, sink: string): string {
  return `${pipeline}/${sink}`;
}

export function encodeCheckpoint(record: Omit<CheckpointRecord, 'v'>): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, position: record.position, batch: record.batch, events: record.events }));
}

export function decodeCheckpoint(value: Buffer | null, where: { topic: string; key: string; offset: string }): Position {
  let parsed: unknown;
  try {
    parsed = value === null ? null : JSON.parse(value.toString('utf8'));
  } catch (e) {
    throw corrupt(where, `is not JSON (${(e as Error).message})`);
  }
  const record = parsed as Partial<CheckpointRecord> | null;
  if (!record || record.v !== 1 || typeof record.position !== 'object' || record.position === null || Array.isArray(record.position)) {
    throw corrupt(where, 'is not a version-1 checkpoint record {v:1, position:{...}}');
  }
  return record.position;
}

function corrupt(where: { topic: string; key: string; offset: string }, problem: string): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_KAFKA_CHECKPOINT', `checkpoint record ${where.key} at ${where.topic} offset ${where.offset} ${problem}`, { context: { ...where } });
}

/** Positions are plain JSON from the source: equal when their canonical JSON is. */
export function samePosition(a: Position, b: Position): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
