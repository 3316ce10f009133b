/**
 * pgoutput protocol version 1 messages (Postgres docs, "Logical Replication Message Formats"),
 * as typed values. LSNs are bigint; timestamps are ms since the Unix epoch.
 */

/** Marks a column whose TOASTed value did not change and was therefore not sent ('u'). */
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged-toast');
export type UnchangedToast = typeof UNCHANGED_TOAST;

/** One column of a tuple: text as sent ('t'), binary ('b'), SQL NULL ('n') or unchanged TOAST ('u'). */
export type TupleValue = string | Buffer | null | UnchangedToast;
export type Tuple = TupleValue[];

/** relreplident: d = default (primary key), n = nothing, f = full row, i = a chosen index. */
export type ReplicaIdentity = 'default' | 'nothing' | 'full' | 'index';

export interface RelationColumn {
  readonly name: string;
  /** Part of the replica identity key. */
  readonly isKey: boolean;
  readonly typeOid: number;
  readonly typeMod: number;
}

export interface BeginMessage {
  readonly tag: 'begin';
  /** LSN of the commit record: the order of this transaction in the stream. */
  readonly commitLsn: bigint;
  readonly commitTimeMs: number;
  readonly xid: number;
}

export interface CommitMessage {
  readonly tag: 'commit';
  readonly flags: number;
  readonly commitLsn: bigint;
  /** End of the commit record: confirming it means "this transaction is done". */
  readonly endLsn: bigint;
  readonly commitTimeMs: number;
}

export interface OriginMessage {
  readonly tag: 'origin';
  readonly originLsn: bigint;
  readonly name: string;
}

export interface RelationMessage {
  readonly tag: 'relation';
  readonly relationId: number;
  readonly schema: string;
  readonly table: string;
  readonly replicaIdentity: ReplicaIdentity;
  readonly columns: readonly RelationColumn[];
}

export interface TypeMessage {
  readonly tag: 'type';
  readonly typeOid: number;
  readonly schema: string;
  readonly name: string;
}

export interface InsertMessage {
  readonly tag: 'insert';
  readonly relationId: number;
  readonly newTuple: Tuple;
  /** Bytes of the whole message, used as the event's approximate size. */
  readonly byteLength: number;
}

export interface UpdateMessage {
  readonly tag: 'update';
  readonly relationId: number;
  /** Replica identity key columns only ('K'), or null when the key did not change. */
  readonly keyTuple: Tuple | null;
  /** The whole old row ('O'), with REPLICA IDENTITY FULL. */
  readonly oldTuple: Tuple | null;
  readonly newTuple: Tuple;
  readonly byteLength: number;
}

export interface DeleteMessage {
  readonly tag: 'delete';
  readonly relationId: number;
  readonly keyTuple: Tuple | null;
  readonly oldTuple: Tuple | null;
  readonly byteLength: number;
}

export interface TruncateMessage {
  readonly tag: 'truncate';
  readonly cascade: boolean;
  readonly restartIdentity: boolean;
  readonly relationIds: readonly number[];
}

/** `pg_logical_emit_message(transactional, prefix, content)`. */
export interface LogicalMessage {
  readonly tag: 'message';
  readonly transactional: boolean;
  readonly lsn: bigint;
  readonly prefix: string;
  readonly content: Buffer;
}

export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalMessage;
