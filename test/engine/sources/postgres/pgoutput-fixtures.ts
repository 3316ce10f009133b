/**
 * Byte fixtures for pgoutput and streaming-replication messages, written field by field from
 * the Postgres documentation ("Logical Replication Message Formats"), independent of the
 * decoder under test.
 */
const PG_EPOCH_MS = 946_684_800_000;

class Writer {
  private parts: Buffer[] = [];
  byte(v: number | string): this {
    this.parts.push(Buffer.from([typeof v === 'string' ? v.charCodeAt(0) : v]));
    return this;
  }
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  uint32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    this.parts.push(b);
    return this;
  }
  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  cstring(s: string): this {
    this.parts.push(Buffer.from(s, 'utf8'), Buffer.from([0]));
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const micros = (ms: number) => BigInt(ms - PG_EPOCH_MS) * 1000n;

/** A column value in a fixture tuple: text, null, 'unchanged' TOAST or binary. */
export type FixtureValue = string | null | { unchanged: true } | { binary: Buffer };

function tuple(w: Writer, values: readonly FixtureValue[]): Writer {
  w.int16(values.length);
  for (const v of values) {
    if (v === null) w.byte('n');
    else if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      w.byte('t').int32(b.length).raw(b);
    } else if ('unchanged' in v) w.byte('u');
    else w.byte('b').int32(v.binary.length).raw(v.binary);
  }
  return w;
}

export const pgout = {
  begin: (commitLsn: bigint, xid: number, commitTimeMs = 1_700_000_000_000) => new Writer().byte('B').int64(commitLsn).int64(micros(commitTimeMs)).uint32(xid).done(),
  commit: (commitLsn: bigint, endLsn: bigint, commitTimeMs = 1_700_000_000_000) => new Writer().byte('C').byte(0).int64(commitLsn).int64(endLsn).int64(micros(commitTimeMs)).done(),
  origin: (lsn: bigint, name: string) => new Writer().byte('O').int64(lsn).cstring(name).done(),
  relation: (
    relationId: number,
    schema: string,
    table: string,
    columns: ReadonlyArray<{ name: string; typeOid: number; key?: boolean; typeMod?: number }>,
    identity: 'd' | 'n' | 'f' | 'i' = 'd',
  ) => {
    const w = new Writer().byte('R').uint32(relationId).cstring(schema).cstring(table).byte(identity).int16(columns.length);
    for (const c of columns) w.byte(c.key ? 1 : 0).cstring(c.name).uint32(c.typeOid).int32(c.typeMod ?? -1);
    return w.done();
  },
  type: (oid: number, schema: string, name: string) => new Writer().byte('Y').uint32(oid).cstring(schema).cstring(name).done(),
  insert: (relationId: number, values: readonly FixtureValue[]) => tuple(new Writer().byte('I').uint32(relationId).byte('N'), values).done(),
  update: (relationId: number, values: readonly FixtureValue[], old?: { kind: 'K' | 'O'; values: readonly FixtureValue[] }) => {
    const w = new Writer().byte('U').uint32(relationId);
    if (old) tuple(w.byte(old.kind), old.values);
    return tuple(w.byte('N'), values).done();
  },
  delete: (relationId: number, kind: 'K' | 'O', values: readonly FixtureValue[]) => tuple(new Writer().byte('D').uint32(relationId).byte(kind), values).done(),
  truncate: (relationIds: readonly number[], options = 0) => {
    const w = new Writer().byte('T').uint32(relationIds.length).byte(options);
    for (const id of relationIds) w.uint32(id);
    return w.done();
  },
  message: (transactional: boolean, lsn: bigint, prefix: string, content: string | Buffer) => {
    const b = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return new Writer().byte('M').byte(transactional ? 1 : 0).int64(lsn).cstring(prefix).uint32(b.length).raw(b).done();
  },
};

/** CopyData payloads of the replication protocol. */
export const repl = {
  xlogData: (walStart: bigint, payload: Buffer, walEnd = walStart, sendTimeMs = 1_700_000_000_000) =>
    new Writer().byte('w').int64(walStart).int64(walEnd).int64(micros(sendTimeMs)).raw(payload).done(),
  keepalive: (walEnd: bigint, replyRequested: boolean, sendTimeMs = 1_700_000_000_000) => new Writer().byte('k').int64(walEnd).int64(micros(sendTimeMs)).byte(replyRequested ? 1 : 0).done(),
};
