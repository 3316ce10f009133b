/**
 * The scale checkers' deliberate bugs, through the engine's public component seam
 * (`REGISTRY_COMPONENTS`, where a pipeline builds its source and sinks), like the others: the
 * engine process is preloaded with them (`node --import`, TIDEMARK_MUTATION); the engine has no
 * such flag.
 */
import type { Batch } from '@tidemark/engine/event/index';
import type { ChangeEvent, SourceContext } from '@tidemark/engine';
import { REGISTRY_COMPONENTS } from '@tidemark/engine/runtime/index';
import type { ScaleMutationName } from './scale-catalog.js';

/** Every source built from now on starts with `mutate(ctx)`. */
function mutateSourceContext(mutate: (ctx: SourceContext) => SourceContext): void {
  const build = REGISTRY_COMPONENTS.source;
  REGISTRY_COMPONENTS.source = (spec, ctx) => {
    const source = build(spec, ctx);
    const start = source.start.bind(source);
    source.start = (c: SourceContext) => start(mutate(c));
    return source;
  };
}

/** Every sink built from now on calls `observe(batch)` before delivering it. */
function observeSinkDelivery(observe: (batch: Batch) => void): void {
  const build = REGISTRY_COMPONENTS.sink;
  REGISTRY_COMPONENTS.sink = (spec, ctx) => {
    const sink = build(spec, ctx);
    const deliver = sink.deliver.bind(sink);
    sink.deliver = (batch: Batch) => {
      observe(batch);
      return deliver(batch);
    };
    return sink;
  };
}

const BOOKKEEPING = new Set(['writer', 'version']);

/** The last column of an update's after image that is neither key nor bookkeeping: the one the bug drops. */
function victim(e: ChangeEvent): string | undefined {
  const columns = Object.keys(e.after ?? {}).filter((c) => !e.primaryKey.includes(c) && !BOOKKEEPING.has(c));
  return columns.at(-1);
}

export const SCALE_APPLY: Record<ScaleMutationName, () => void> = {
  /** Updates lose one column's value from their after image: a consumer applying them keeps a stale or empty column. */
  'drop-column-value': () =>
    mutateSourceContext((ctx) => ({
      ...ctx,
      emit: (e: ChangeEvent) => {
        const column = e.op === 'u' ? victim(e) : undefined;
        if (!column) return ctx.emit(e);
        const after = { ...e.after };
        delete after[column];
        ctx.emit({ ...e, id: e.id, after });
      },
    })),

  /**
   * Every batch a sink delivers is kept for ever, with a 64 kB working buffer per batch (a send
   * buffer cached per batch and never released): the engine's live heap grows with the stream.
   * The batches alone (compact events) grow the heap by less than V8's collection swings over a
   * one-minute probe; the buffer is what a real per-batch leak usually holds.
   */
  'leak-per-batch': () => {
    const kept: Array<{ batch: Batch; buffer: number[] }> = [];
    (globalThis as { __tidemarkLeak?: unknown[] }).__tidemarkLeak = kept;
    // A plain array of small integers lives on the V8 heap (a typed array's store would not).
    observeSinkDelivery((batch) => void kept.push({ batch, buffer: Array.from({ length: 8192 }, (_, i) => (i + batch.seq) & 0xff) }));
  },
};
