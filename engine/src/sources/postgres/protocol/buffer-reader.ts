/**
 * Sequential big-endian reads over one message, as Postgres writes them. Throws RangeError
 * when a message is shorter than its own fields say, so a truncated message never decodes
 * into plausible garbage.
 */
export class BufferReader {
  private offset: number;

  constructor(private readonly buf: Buffer, offset = 0) {
    this.offset = offset;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  uint8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Unsigned 64-bit (LSNs, timestamps as stored). */
  uint64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new RangeError(`unterminated string at byte ${this.offset} of a ${this.buf.length}-byte message`);
    const s = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return s;
  }

  utf8(length: number): string {
    this.need(length);
    // Buffer#utf8Slice skips toString's argument juggling: this runs once per column value.
    const s = (this.buf as Utf8Sliceable).utf8Slice(this.offset, this.offset + length);
    this.offset += length;
    return s;
  }

  /** A view (not a copy) of the next `length` bytes. */
  bytes(length: number): Buffer {
    this.need(length);
    const b = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return b;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) {
      throw new RangeError(`message truncated: need ${n} byte(s) at offset ${this.offset}, message has ${this.buf.length}`);
    }
  }
}

type Utf8Sliceable = Buffer & { utf8Slice(start: number, end: number): string };
