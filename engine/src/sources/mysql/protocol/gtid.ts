import { MariadbGtidPosition } from './gtid-mariadb.js';
import { MysqlGtidSet } from './gtid-mysql.js';

export type Flavor = 'mysql' | 'mariadb';

/** What the source needs of a GTID state, whichever server family wrote it. */
export interface GtidState {
  readonly flavor: Flavor;
  isEmpty(): boolean;
  /** Marks one transaction as executed (MySQL `uuid:n`, MariaDB `domain-server-seq`). */
  add(gtid: string): void;
  /** The transaction is part of this state. */
  covers(gtid: string): boolean;
  /** Grows by at least one with each transaction of a stream: a total order over its states. */
  ordinal(): bigint;
  /** Why a server whose executed state is `server` cannot stream from here; empty when it can. */
  missingOn(server: GtidState): string[];
  toString(): string;
}

/** MySQL sets always contain `:`, MariaDB positions never do; `''` is empty in both. */
export function flavorOfGtidText(text: string): Flavor | null {
  const t = text.trim();
  if (t === '') return null;
  return t.includes(':') ? 'mysql' : 'mariadb';
}

export function parseGtidState(text: string, flavor: Flavor): GtidState {
  const seen = flavorOfGtidText(text);
  if (seen !== null && seen !== flavor) throw new Error(`GTID state ${JSON.stringify(text)} is a ${seen} one but the server is ${flavor}`);
  return flavor === 'mysql' ? new MysqlState(MysqlGtidSet.parse(text)) : new MariadbState(MariadbGtidPosition.parse(text));
}

class MysqlState implements GtidState {
  readonly flavor = 'mysql' as const;
  constructor(private readonly set: MysqlGtidSet) {}
  isEmpty = () => this.set.isEmpty();
  add = (gtid: string) => this.set.add(gtid);
  covers = (gtid: string) => this.set.contains(gtid);
  ordinal = () => this.set.count();
  missingOn(server: GtidState): string[] {
    if (!(server instanceof MysqlState)) return [`server is ${server.flavor}, position is mysql`];
    return this.set.isSubsetOf(server.set) ? [] : [`transactions of ${this.set.toString()} are not all in the server's gtid_executed ${server.set.toString()}`];
  }
  toString = () => this.set.toString();
}

class MariadbState implements GtidState {
  readonly flavor = 'mariadb' as const;
  constructor(private readonly pos: MariadbGtidPosition) {}
  isEmpty = () => this.pos.isEmpty();
  add = (gtid: string) => this.pos.add(gtid);
  covers = (gtid: string) => this.pos.covers(gtid);
  ordinal = () => this.pos.ordinal();
  missingOn(server: GtidState): string[] {
    if (!(server instanceof MariadbState)) return [`server is ${server.flavor}, position is mariadb`];
    return this.pos.missingOn(server.pos);
  }
  toString = () => this.pos.toString();
}

const ORDINALS = new Map<string, bigint>();
const ORDINAL_CACHE_LIMIT = 4096;

/**
 * Ordinal of a GTID state given as text, cached: positions are compared per batch and the
 * same few texts come up again and again.
 */
export function gtidOrdinal(text: string): bigint {
  let n = ORDINALS.get(text);
  if (n === undefined) {
    const flavor = flavorOfGtidText(text);
    n = flavor === null ? 0n : parseGtidState(text, flavor).ordinal();
    if (ORDINALS.size >= ORDINAL_CACHE_LIMIT) ORDINALS.clear();
    ORDINALS.set(text, n);
  }
  return n;
}
