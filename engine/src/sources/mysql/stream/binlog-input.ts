/**
 * The binlog as the transaction assembler sees it: a few plain shapes, independent of the
 * decoder library, so the assembly rules are unit-tested with literal objects.
 */
export interface BinlogColumn {
  readonly name: string;
  readonly type: number;
  readonly metadata?: unknown;
  /** Character set of string columns; null for binary ones (zongji's table map). */
  readonly charset?: string | null;
}

export type BinlogInput =
  /** The dump switched to `file`, starting at `pos`. */
  | { readonly kind: 'rotate'; readonly file: string; readonly pos: number }
  /** A transaction (or DDL group) begins. `gtid` null for MySQL's anonymous transactions. */
  | { readonly kind: 'gtid'; readonly gtid: string | null; readonly serverId: number | null; readonly ts: number; readonly endPos: number }
  | { readonly kind: 'query'; readonly sql: string; readonly schema: string; readonly ts: number; readonly endPos: number }
  | {
      readonly kind: 'rows';
      readonly op: 'c' | 'u' | 'd';
      readonly db: string;
      readonly table: string;
      readonly columns: readonly BinlogColumn[];
      /** Inserts/deletes: row images; updates: { before, after } pairs. */
      readonly rows: readonly unknown[];
      /** Bytes of the binlog event, shared among its rows for the events' size. */
      readonly size: number;
      readonly ts: number;
    }
  /** XID, or the XA PREPARE that ends an XA transaction's group. */
  | { readonly kind: 'commit'; readonly ts: number; readonly endPos: number }
  /**
   * A real event outside transactions (format description, previous GTIDs, checkpoints): moves
   * the offset where the next transaction starts. Artificial events sent at dump start carry 0.
   */
  | { readonly kind: 'offset'; readonly endPos: number };
