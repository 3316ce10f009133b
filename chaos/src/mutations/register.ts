/**
 * Deliberate engine bugs for proving that the checkers catch real faults. Preloaded into the
 * engine process with `node --import` by the harness when TIDEMARK_MUTATION is set; the engine
 * itself has no such flag. Each mutation goes through a public seam of the engine, so it runs
 * inside the real engine against real servers and survives refactoring of its internals:
 * - the component factory (`REGISTRY_COMPONENTS`, where a pipeline builds its source and sinks):
 *   a source whose context (`emit`, `metrics`) is tampered with, or a sink that delivers twice;
 * - the commit queue's `push`, whose checkpoint moves the coordinator saves.
 */
import type { ChangeEvent, Sink, Source, SourceContext } from '@tidemark/engine';
import { CommitQueue, type CommitStep } from '@tidemark/engine/coordinator/index';
import { REGISTRY_COMPONENTS } from '@tidemark/engine/runtime/index';
import type { Batch } from '@tidemark/engine/event/index';
import { staleSchemaId } from './avro-mutations.js';
import { MUTATIONS, type MutationName } from './catalog.js';
import { SCALE_MUTATIONS } from './scale-catalog.js';
import { SCALE_APPLY } from './scale-mutations.js';

/** Every source the engine builds from now on gets `mutate` applied to the context it starts with. */
function mutateSourceContext(mutate: (ctx: SourceContext) => SourceContext): void {
  const build = REGISTRY_COMPONENTS.source;
  REGISTRY_COMPONENTS.source = (spec, ctx) => {
    const source: Source = build(spec, ctx);
    const start = source.start.bind(source);
    source.start = (c) => start(mutate(c));
    return source;
  };
}

/** Every sink the engine builds from now on delivers through `deliver(original, batch, sink)`. */
function mutateSinkDelivery(deliver: (original: Sink['deliver'], batch: Batch, sink: Sink) => ReturnType<Sink['deliver']>): void {
  const build = REGISTRY_COMPONENTS.sink;
  REGISTRY_COMPONENTS.sink = (spec, ctx) => {
    const sink = build(spec, ctx);
    const original = sink.deliver.bind(sink);
    sink.deliver = (batch) => deliver(original, batch, sink);
    return sink;
  };
}

/** A changed event: `id` may be a getter on the source's event class, so a spread alone would drop it. */
const copy = (e: ChangeEvent, change: Partial<ChangeEvent>): ChangeEvent => ({ ...e, id: e.id, ...change });

const keyOf = (e: ChangeEvent): string => `${e.source.db}.${e.source.table}|${JSON.stringify(e.primaryKey.map((c) => (e.after ?? e.before)?.[c]))}`;

const APPLY: Record<MutationName, () => void> = {
  /** Checkpoints move to a batch as soon as it is sealed, before any sink has it. */
  'checkpoint-before-delivery': () => {
    const push = CommitQueue.prototype.push;
    CommitQueue.prototype.push = function (this: CommitQueue, batch: Batch, sealedAt: number): CommitStep {
      const step = push.call(this, batch, sealedAt);
      return { ...step, moves: [...this.sinkIds.map((sinkId) => ({ sinkId, position: batch.position })), ...step.moves] };
    };
  },

  /** The end-of-transaction mark moves to each transaction's first event: batches split transactions. */
  'drop-tx-end': () => {
    let lastTx: string | null = null;
    mutateSourceContext((ctx) => ({
      ...ctx,
      emit: (e) => {
        const first = e.tx.id !== lastTx;
        lastTx = e.tx.id;
        ctx.emit(copy(e, { tx: { ...e.tx, end: first } }));
      },
    }));
  },

  /** Holds back one change of a key and lets the key's next change overtake it. */
  'swap-events': () => {
    let held: { key: string; event: ChangeEvent; age: number } | null = null;
    mutateSourceContext((ctx) => ({
      ...ctx,
      emit: (e) => {
        if (e.op === 'r' || e.op === 't') return ctx.emit(e);
        const key = keyOf(e);
        if (held && held.key === key) {
          const late = held.event;
          held = null;
          ctx.emit(e);
          return ctx.emit(late);
        }
        if (held && ++held.age > 500) {
          const late = held.event;
          held = null;
          ctx.emit(late);
        }
        if (!held && e.op === 'u') {
          held = { key, event: e, age: 0 };
          return;
        }
        ctx.emit(e);
      },
    }));
  },

  /** An exactly-once sink gets every 10th batch twice, as if a retry ignored what it already committed. */
  'replay-batch-eos': () => {
    let n = 0;
    mutateSinkDelivery(async (deliver, batch, sink) => {
      const report = await deliver(batch);
      if (sink.ownsCheckpoint && ++n % 10 === 0) await deliver(batch);
      return report;
    });
  },

  /** After the source reconnects, the first event it emits is dropped. */
  'skip-after-reconnect': () =>
    mutateSourceContext((ctx) => {
      let skipNext = false;
      // A delegating wrapper, not a copy: the hooks may live on a prototype.
      const metrics = Object.assign(Object.create(ctx.metrics) as SourceContext['metrics'], {
        reconnected: () => {
          skipNext = true;
          ctx.metrics.reconnected();
        },
      });
      return {
        ...ctx,
        metrics,
        emit: (e) => {
          if (skipNext) {
            skipNext = false;
            return;
          }
          ctx.emit(e);
        },
      };
    }),

  /** After a DDL, events keep the schema id the table's destination had first (avro-mutations.ts). */
  'stale-schema-id': staleSchemaId,
};

const wanted = process.env.TIDEMARK_MUTATION;
if (wanted) {
  const all: Record<string, () => void> = { ...APPLY, ...SCALE_APPLY };
  if (!(wanted in all)) throw new Error(`unknown TIDEMARK_MUTATION "${wanted}" (known: ${[...MUTATIONS, ...SCALE_MUTATIONS].join(', ')})`);
  all[wanted]!();
  process.stderr.write(`tidemark-chaos: mutation ${wanted} applied to this engine process\n`);
}
