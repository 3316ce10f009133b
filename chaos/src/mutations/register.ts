/**
 * Deliberate engine bugs for proving that the checkers catch real faults. Preloaded into the
 * engine process with `node --import` by the harness when TIDEMARK_MUTATION is set; the engine
 * itself has no such flag. Each mutation patches one method of the engine's own classes, so it
 * runs inside the real engine against real servers.
 */
import { Coordinator } from '@tidemark/engine/coordinator/coordinator';
import { SinkLane } from '@tidemark/engine/coordinator/sink-lane';
import type { ChangeEvent } from '@tidemark/engine';
import { staleSchemaId } from './avro-mutations.js';
import { MUTATIONS, type MutationName } from './catalog.js';

type Patchable = Record<string, (...args: unknown[]) => unknown>;

function patch(proto: object, method: string, wrap: (original: (...args: unknown[]) => unknown) => (this: Patchable, ...args: unknown[]) => unknown): void {
  const target = proto as Patchable;
  const original = target[method];
  // A renamed method must fail loudly: a mutation that silently does nothing proves nothing.
  if (typeof original !== 'function') throw new Error(`mutation cannot patch ${method}: not found on ${proto.constructor.name}`);
  target[method] = wrap(original);
}

/** A changed event: `id` may be a getter on the source's event class, so a spread alone would drop it. */
const copy = (e: ChangeEvent, change: Partial<ChangeEvent>): ChangeEvent => ({ ...e, id: e.id, ...change });

const keyOf = (e: ChangeEvent): string => `${e.source.db}.${e.source.table}|${JSON.stringify(e.primaryKey.map((c) => (e.after ?? e.before)?.[c]))}`;

const APPLY: Record<MutationName, () => void> = {
  /** Checkpoints move to a batch as soon as it is sealed, before any sink has it. */
  'checkpoint-before-delivery': () =>
    patch(Coordinator.prototype, 'enqueue', (original) =>
      function (this: Patchable, ...args: unknown[]) {
        const batch = args[0] as { position: unknown };
        const self = this as unknown as { writer: { set(id: string, p: unknown): void }; o: { sinks: Array<{ id: string }> } };
        for (const s of self.o.sinks) self.writer.set(s.id, batch.position);
        return original.apply(this, args);
      },
    ),

  /** The end-of-transaction mark moves to each transaction's first event: batches split transactions. */
  'drop-tx-end': () => {
    let lastTx: string | null = null;
    patch(Coordinator.prototype, 'onEvent', (original) =>
      function (this: Patchable, ...args: unknown[]) {
        const e = args[0] as ChangeEvent;
        const first = e.tx.id !== lastTx;
        lastTx = e.tx.id;
        return original.call(this, copy(e, { tx: { ...e.tx, end: first } }));
      },
    );
  },

  /** Holds back one change of a key and lets the key's next change overtake it. */
  'swap-events': () => {
    let held: { key: string; event: ChangeEvent; age: number } | null = null;
    patch(Coordinator.prototype, 'onEvent', (original) =>
      function (this: Patchable, ...args: unknown[]) {
        const e = args[0] as ChangeEvent;
        if (e.op === 'r' || e.op === 't') return original.call(this, e);
        const key = keyOf(e);
        if (held && held.key === key) {
          const late = held.event;
          held = null;
          original.call(this, e);
          return original.call(this, late);
        }
        if (held && ++held.age > 500) {
          const late = held.event;
          held = null;
          original.call(this, late);
        }
        if (!held && e.op === 'u') {
          held = { key, event: e, age: 0 };
          return undefined;
        }
        return original.call(this, e);
      },
    );
  },

  /** An exactly-once sink gets every 10th batch twice, as if a retry ignored what it already committed. */
  'replay-batch-eos': () => {
    let n = 0;
    patch(SinkLane.prototype, 'deliver', (original) =>
      async function (this: Patchable, ...args: unknown[]) {
        const ok = await original.apply(this, args);
        const sink = (this as unknown as { o: { sink: { ownsCheckpoint: boolean; deliver(b: unknown): Promise<unknown> } } }).o.sink;
        if (ok === true && sink.ownsCheckpoint && ++n % 10 === 0) await sink.deliver((args[0] as { batch: unknown }).batch);
        return ok;
      },
    );
  },

  /** After the source reconnects, the first event it emits is dropped. */
  'skip-after-reconnect': () =>
    patch(Coordinator.prototype, 'sourceContext', (original) =>
      function (this: Patchable, ...args: unknown[]) {
        const ctx = original.apply(this, args) as { emit(e: ChangeEvent): void; metrics: { reconnected(): void } };
        let skipNext = false;
        // A delegating wrapper, not a copy: the hooks may live on a prototype.
        const metrics = Object.assign(Object.create(ctx.metrics) as object, {
          reconnected: () => {
            skipNext = true;
            ctx.metrics.reconnected();
          },
        });
        return {
          ...ctx, // sourceContext() builds a plain object literal
          metrics,
          emit: (e: ChangeEvent) => {
            if (skipNext) {
              skipNext = false;
              return;
            }
            ctx.emit(e);
          },
        };
      },
    ),

  /** After a DDL, events keep the schema id the table's destination had first (avro-mutations.ts). */
  'stale-schema-id': staleSchemaId,
};

const wanted = process.env.TIDEMARK_MUTATION;
if (wanted) {
  if (!(wanted in APPLY)) throw new Error(`unknown TIDEMARK_MUTATION "${wanted}" (known: ${MUTATIONS.join(', ')})`);
  APPLY[wanted as MutationName]();
  process.stderr.write(`tidemark-chaos: mutation ${wanted} applied to this engine process\n`);
}
