import fc from 'fast-check';
import type { ChangeEvent } from '../../engine/src/event/index.js';
import { memoryEvent } from '../../engine/src/testing/index.js';

/** A generated source history: transactions of 1..maxTxSize events over a few keys and tables. */
export interface TxShape {
  readonly events: ReadonlyArray<{ readonly key: number; readonly table: string; readonly size: number }>;
}

export const txArb = (maxTxSize = 6): fc.Arbitrary<TxShape> =>
  fc.record({
    events: fc.array(fc.record({ key: fc.integer({ min: 0, max: 7 }), table: fc.constantFrom('t1', 't2'), size: fc.integer({ min: 1, max: 300 }) }), { minLength: 1, maxLength: maxTxSize }),
  });

/** Flattens transactions into a log of events with offsets as positions and per-key versions. */
export function buildLog(txs: readonly TxShape[]): ChangeEvent[] {
  const log: ChangeEvent[] = [];
  const versions = new Map<string, number>();
  txs.forEach((tx, t) => {
    tx.events.forEach((e, i) => {
      const k = `${e.table}:${e.key}`;
      const version = (versions.get(k) ?? 0) + 1;
      versions.set(k, version);
      log.push(
        memoryEvent(log.length, { table: e.table, key: e.key, txId: `tx-${t}`, txIndex: i, txEnd: i === tx.events.length - 1, op: version === 1 ? 'c' : 'u', version, size: e.size }),
      );
    });
  });
  return log;
}
