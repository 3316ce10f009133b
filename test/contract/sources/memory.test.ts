import { describe } from 'vitest';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { memoryEvent, MemorySource, type MemoryPosition } from '../../../engine/src/testing/index.js';
import { sourceContract, type Row, type SourceStream, type SourceTarget } from '../source-contract.js';

/** The memory source over a log that grows as transactions commit; its "server position" is what it was told to acknowledge. */
function memoryTarget(): SourceTarget {
  const sources: MemorySource[] = [];
  return {
    async open(): Promise<SourceStream> {
      const log: ChangeEvent[] = [];
      let tx = 0;
      return {
        make: () => {
          const source = new MemorySource({ get length() { return log.length; }, at: (i) => log[i]! }, { chunk: 3, follow: true });
          sources.push(source);
          return source;
        },
        async commit(txns) {
          for (const rows of txns) {
            const txId = `tx-${tx++}`;
            rows.forEach((r, index) => log.push(memoryEvent(log.length, { table: r.table, key: r.id, version: r.v, txId, txIndex: index, txEnd: index === rows.length - 1 })));
          }
        },
        rowOf: (e) => ({ table: e.source.table as Row['table'], id: (e.after as { id: number }).id, v: (e.after as { v: number }).v }),
        close: async () => {},
      };
    },
    serverPosition: {
      held: async () => BigInt(Math.max(-1, ...sources.flatMap((s) => s.acknowledged.map((p) => (p as MemoryPosition).offset)))),
      releasable: (p) => BigInt((p as MemoryPosition).offset),
      chancesToReport: async () => {},
    },
  };
}

describe('memory source', () => sourceContract(memoryTarget));
