import type { ChangeEvent, Position } from '../../../event/index.js';
import { ChangeAssembler } from '../change-assembler.js';
import { maxLsn, type Lsn } from '../lsn.js';
import { positionKey, startLsnOf, type PgPosition, type PositionKey } from '../position.js';
import type { SchemaRegistry, TableSchema } from '../schema-registry.js';
import { snapshotFilter, type SnapshotRecord } from '../snapshot/snapshot-state.js';
import type { Cursor } from '../start-plan.js';
import { compileGlobs, qualifiedText } from '../table-patterns.js';
import type { FlushPolicy, FlushPolicyFactory } from './flush-tracker.js';

export interface CaptureOptions {
  readonly sourceId: string;
  readonly database: string;
  readonly schemas: SchemaRegistry;
  readonly outboxPrefixes: readonly string[];
  readonly flushPolicy: FlushPolicyFactory;
  /** Hands an event to the coordinator. */
  readonly emit: (event: ChangeEvent) => void;
}

/** A slot generation about to stream: its number, where it starts, and the slot's flush floor. */
export interface GenerationStart {
  readonly generation: number;
  readonly anchor: Cursor;
  readonly floor: Lsn;
}

/**
 * What the source has captured in the current slot generation: the assembler turning pgoutput
 * into events, the flush policy deciding what the slot may release, the newest event emitted
 * (the resume point of a reconnect) and the snapshot filter (stream changes a table snapshot
 * already holds). A recreated slot begins a new generation: positions of older ones say
 * nothing about it.
 */
export class Capture {
  private generationValue = 0;
  private anchor: Cursor = { startLsn: 0n, skip: null };
  private lastEmitted: PgPosition | null = null;
  private snapshotLsns = new Map<string, Lsn>();
  private snapshotMaxLsn: Lsn = 0n;
  private trackerValue: FlushPolicy | null = null;
  private assemblerValue: ChangeAssembler | null = null;
  private readonly isOutbox: (prefix: string) => boolean;

  constructor(private readonly options: CaptureOptions) {
    this.isOutbox = compileGlobs(options.outboxPrefixes);
  }

  get generation(): number {
    return this.generationValue;
  }

  get tracker(): FlushPolicy {
    if (!this.trackerValue) throw new Error('capture used before begin()');
    return this.trackerValue;
  }

  get assembler(): ChangeAssembler {
    if (!this.assemblerValue) throw new Error('capture used before begin()');
    return this.assemblerValue;
  }

  /** A fresh assembler and flush policy for a slot generation. */
  begin(start: GenerationStart): void {
    this.generationValue = start.generation;
    this.anchor = start.anchor;
    this.trackerValue = this.options.flushPolicy(start.floor);
    this.assemblerValue = new ChangeAssembler(
      {
        sourceId: this.options.sourceId,
        database: this.options.database,
        generation: start.generation,
        schemas: this.options.schemas,
        isOutbox: this.isOutbox,
        coveredBySnapshot: (t, lsn) => this.coveredBySnapshot(t, lsn),
        emit: this.emit,
      },
      start.anchor.skip,
    );
  }

  /** The snapshot record changed: stream changes before each table's snapshot LSN are dropped. */
  applyRecord(record: SnapshotRecord | undefined): void {
    this.snapshotLsns = snapshotFilter(record);
    this.snapshotMaxLsn = [...this.snapshotLsns.values()].reduce(maxLsn, 0n);
  }

  /** Snapshot rows and stream changes both leave through here. */
  readonly emit = (event: ChangeEvent): void => {
    this.lastEmitted = event.source.position as PgPosition;
    this.options.emit(event);
  };

  /** Resume after the newest emitted event of this generation, else at the anchor. */
  cursor(): Cursor {
    const last = this.lastEmittedKey();
    if (last && last.g === this.generationValue) return { startLsn: startLsnOf(last), skip: last };
    return this.anchor;
  }

  lastEmittedKey(): PositionKey | null {
    return this.lastEmitted ? positionKey(this.lastEmitted) : null;
  }

  /** The minimum durable checkpoint moved; true when the slot may be told a new flush LSN. */
  acknowledge(position: Position): boolean {
    const key = positionKey(position);
    // A checkpoint from before a slot recreation says nothing about the new slot.
    if (!this.trackerValue || key.g !== this.generationValue) return false;
    return this.trackerValue.acknowledge(key);
  }

  private coveredBySnapshot(table: TableSchema, commitLsn: Lsn): boolean {
    if (commitLsn >= this.snapshotMaxLsn) return false;
    const lsn = this.snapshotLsns.get(qualifiedText(table));
    return lsn !== undefined && commitLsn < lsn;
  }
}
