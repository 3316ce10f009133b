/**
 * MySQL GTID sets (`@@gtid_executed`): `uuid:1-5:7,uuid2:1-3`, and from 8.3 tagged intervals
 * `uuid:1-5:tag_a:1-3` (a non-numeric item names the tag of the intervals after it). Exact over
 * the full 63-bit range, so sequence numbers are bigints.
 */
type Interval = [start: bigint, end: bigint];

export class MysqlGtidSet {
  /** Key `uuid` or `uuid:tag` → sorted, disjoint, non-adjacent inclusive intervals. */
  private readonly sources = new Map<string, Interval[]>();
  private text: string | null = '';

  static parse(input: string): MysqlGtidSet {
    const set = new MysqlGtidSet();
    const cleaned = input.replace(/\s+/g, '');
    if (cleaned === '') return set;
    for (const block of cleaned.split(',')) {
      const items = block.split(':');
      const uuid = normaliseUuid(items[0]!, input);
      if (items.length < 2) throw new Error(`GTID set ${JSON.stringify(input)}: ${JSON.stringify(block)} has no interval`);
      let tag = '';
      for (const item of items.slice(1)) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(item);
        if (!m) {
          if (!/^[a-z_][a-z0-9_]{0,31}$/i.test(item)) throw new Error(`GTID set ${JSON.stringify(input)}: bad interval or tag ${JSON.stringify(item)}`);
          tag = item.toLowerCase();
          continue;
        }
        const start = BigInt(m[1]!);
        const end = m[2] === undefined ? start : BigInt(m[2]);
        if (start < 1n || end < start) throw new Error(`GTID set ${JSON.stringify(input)}: bad interval ${JSON.stringify(item)}`);
        set.addInterval(tag ? `${uuid}:${tag}` : uuid, start, end);
      }
    }
    return set;
  }

  isEmpty(): boolean {
    return this.sources.size === 0;
  }

  /** Adds one transaction, `uuid:n` or `uuid:tag:n`. */
  add(gtid: string): void {
    const { key, gno } = parseGtid(gtid);
    this.addInterval(key, gno, gno);
  }

  contains(gtid: string): boolean {
    const { key, gno } = parseGtid(gtid);
    return (this.sources.get(key) ?? []).some(([s, e]) => s <= gno && gno <= e);
  }

  /** Number of transactions in the set: grows by one per transaction of a stream. */
  count(): bigint {
    let n = 0n;
    for (const intervals of this.sources.values()) for (const [s, e] of intervals) n += e - s + 1n;
    return n;
  }

  /** Every transaction of this set is also in `other`. */
  isSubsetOf(other: MysqlGtidSet): boolean {
    for (const [key, intervals] of this.sources) {
      const theirs = other.sources.get(key) ?? [];
      for (const [s, e] of intervals) if (!theirs.some(([os, oe]) => os <= s && e <= oe)) return false;
    }
    return true;
  }

  /** Canonical text: uuids sorted, each with its untagged intervals first, then tags sorted. */
  toString(): string {
    if (this.text !== null) return this.text;
    const byUuid = new Map<string, Array<[tag: string, intervals: Interval[]]>>();
    for (const [key, intervals] of this.sources) {
      const [uuid, tag = ''] = key.split(':');
      const list = byUuid.get(uuid!) ?? [];
      list.push([tag, intervals]);
      byUuid.set(uuid!, list);
    }
    const blocks: string[] = [];
    for (const uuid of [...byUuid.keys()].sort()) {
      const parts = [uuid];
      for (const [tag, intervals] of byUuid.get(uuid)!.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        if (tag) parts.push(tag);
        for (const [s, e] of intervals) parts.push(s === e ? `${s}` : `${s}-${e}`);
      }
      blocks.push(parts.join(':'));
    }
    this.text = blocks.join(',');
    return this.text;
  }

  private addInterval(key: string, start: bigint, end: bigint): void {
    const list = this.sources.get(key) ?? [];
    const merged: Interval[] = [];
    let [s, e] = [start, end];
    for (const [os, oe] of list) {
      if (oe + 1n < s || e + 1n < os) merged.push([os, oe]);
      else [s, e] = [os < s ? os : s, oe > e ? oe : e];
    }
    merged.push([s, e]);
    merged.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.sources.set(key, merged);
    this.text = null;
  }
}

function normaliseUuid(uuid: string, input: string): string {
  const u = uuid.toLowerCase();
  if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/.test(u)) throw new Error(`GTID set ${JSON.stringify(input)}: ${JSON.stringify(uuid)} is not a server uuid`);
  return u.length === 32 ? `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}` : u;
}

function parseGtid(gtid: string): { key: string; gno: bigint } {
  const parts = gtid.trim().split(':');
  if (parts.length < 2 || parts.length > 3 || !/^\d+$/.test(parts[parts.length - 1]!)) throw new Error(`${JSON.stringify(gtid)} is not a MySQL GTID (uuid:n or uuid:tag:n)`);
  const uuid = normaliseUuid(parts[0]!, gtid);
  const key = parts.length === 3 ? `${uuid}:${parts[1]!.toLowerCase()}` : uuid;
  return { key, gno: BigInt(parts[parts.length - 1]!) };
}
