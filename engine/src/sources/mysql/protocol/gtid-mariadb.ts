/**
 * MariaDB GTID positions (`@@gtid_binlog_pos`): the last transaction per replication domain,
 * `domain-server-seq[,...]`. With gtid_strict_mode sequence numbers only grow within a domain,
 * whichever server wrote them, which is what makes a position comparable across a failover.
 */
/** `seq` is kept as its decimal text: exact over u64 without a BigInt per transaction. */
interface DomainHead {
  readonly server: number;
  readonly seq: string;
}

export class MariadbGtidPosition {
  private readonly domains = new Map<number, DomainHead>();
  private text: string | null = '';

  static parse(input: string): MariadbGtidPosition {
    const pos = new MariadbGtidPosition();
    const cleaned = input.replace(/\s+/g, '');
    if (cleaned === '') return pos;
    for (const item of cleaned.split(',')) {
      const { domain, server, seq } = parseMariadbGtid(item);
      if (pos.domains.has(domain)) throw new Error(`GTID position ${JSON.stringify(input)} names domain ${domain} twice`);
      pos.set(domain, server, seq);
    }
    return pos;
  }

  isEmpty(): boolean {
    return this.domains.size === 0;
  }

  /** Records `domain-server-seq` as the last transaction of its domain (an overwrite, as the server does). */
  add(gtid: string): void {
    const { domain, server, seq } = parseMariadbGtid(gtid);
    this.set(domain, server, seq);
  }

  set(domain: number, server: number, seq: string): void {
    this.domains.set(domain, { server, seq });
    this.text = null;
  }

  /** Whether the transaction `gtid` is at or before this position in its domain. */
  covers(gtid: string): boolean {
    const { domain, seq } = parseMariadbGtid(gtid);
    const head = this.domains.get(domain);
    return head !== undefined && BigInt(seq) <= BigInt(head.seq);
  }

  /** Sum of the domains' sequence numbers: grows with every transaction of a stream. */
  ordinal(): bigint {
    let n = 0n;
    for (const { seq } of this.domains.values()) n += BigInt(seq);
    return n;
  }

  /**
   * Domains where `server` (a server's gtid_binlog_pos) is behind this position: a server that
   * is behind in any domain cannot stream from here. Empty when it can.
   */
  missingOn(server: MariadbGtidPosition): string[] {
    const missing: string[] = [];
    for (const [domain, { seq }] of this.domains) {
      const theirs = server.domains.get(domain);
      if (!theirs || BigInt(theirs.seq) < BigInt(seq)) missing.push(`domain ${domain} needs seq ${seq}, server has ${theirs ? theirs.seq : 'none'}`);
    }
    return missing;
  }

  toString(): string {
    if (this.text !== null) return this.text;
    if (this.domains.size === 1) {
      // The common case, once per transaction: no sort, no join.
      const [[domain, { server, seq }]] = this.domains;
      return (this.text = `${domain}-${server}-${seq}`);
    }
    const parts: string[] = [];
    for (const domain of [...this.domains.keys()].sort((a, b) => a - b)) {
      const { server, seq } = this.domains.get(domain)!;
      parts.push(`${domain}-${server}-${seq}`);
    }
    this.text = parts.join(',');
    return this.text;
  }
}

/** Called once per transaction on the streaming hot path: one regex, no BigInt. */
export function parseMariadbGtid(gtid: string): { domain: number; server: number; seq: string } {
  if (!GTID.test(gtid)) throw new Error(`${JSON.stringify(gtid)} is not a MariaDB GTID (domain-server-seq)`);
  const a = gtid.indexOf('-');
  const b = gtid.indexOf('-', a + 1);
  // Leading zeros would make equal sequence numbers look different in text.
  return { domain: Number(gtid.slice(0, a)), server: Number(gtid.slice(a + 1, b)), seq: stripZeros(gtid.slice(b + 1)) };
}

const GTID = /^\d+-\d+-\d+$/;

function stripZeros(digits: string): string {
  return digits.length > 1 && digits.charCodeAt(0) === 48 ? BigInt(digits).toString() : digits;
}
