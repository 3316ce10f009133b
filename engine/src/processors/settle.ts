import { deterministicEventId, idempotencyKey, type ChangeEvent } from '../event/index.js';
import { TidemarkError } from '../errors/index.js';
import { deriveEvent } from './derive.js';

export interface Settled {
  readonly events: readonly ChangeEvent[];
  /** Input events with no event derived from them in the output. */
  readonly dropped: number;
}

/**
 * Puts one processor's output back under the contract, whatever the processor did:
 *
 * - **order**: events come out in the source order of the events they derive from (a stable
 *   sort; copies of one event keep the order the processor gave them), so per-key order and
 *   position order hold within the batch;
 * - **transactions**: a transaction that ended in this batch ends on its last surviving event
 *   (`tx.end` moves there when the processor dropped the last one); no other event is marked;
 * - **copies**: every extra event derived from the same source event gets its own `copy` number
 *   (and so its own idempotency key and id), deterministic across replays.
 *
 * An output event is matched to its input by (tx.id, tx.index, copy), which processors keep.
 */
export function settle(processorId: string, tenant: string, input: readonly ChangeEvent[], output: readonly ChangeEvent[]): Settled {
  if (isSubsequence(input, output)) return { events: markTransactionEnds(input, output), dropped: input.length - output.length };
  const ordered = inOriginOrder(processorId, input, output);
  const dropped = countDroppedInOrder(input, ordered);
  return { events: markTransactionEnds(input, numberCopies(ordered, tenant)), dropped };
}

/** The common case (a filter): the same objects, some left out, order kept. */
function isSubsequence(input: readonly ChangeEvent[], output: readonly ChangeEvent[]): boolean {
  let j = 0;
  for (const e of output) {
    while (j < input.length && input[j] !== e) j++;
    if (j === input.length) return false;
    j++;
  }
  return true;
}

const originKey = (e: ChangeEvent): string => `${e.tx.id}\u0000${e.tx.index}\u0000${e.copy ?? 0}`;

function inOriginOrder(processorId: string, input: readonly ChangeEvent[], output: readonly ChangeEvent[]): ChangeEvent[] {
  if (inOrderByFields(input, output)) return [...output];
  const ordinal = new Map<string, number>();
  input.forEach((e, i) => ordinal.set(originKey(e), i));
  const origins = output.map((e) => {
    const i = ordinal.get(originKey(e));
    if (i === undefined) {
      throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_CONTRACT', `processor ${processorId} returned event ${e.id} (tx ${e.tx.id} #${e.tx.index}) that is not derived from any event of its batch`, {
        context: { processor: processorId, event: e.id },
      });
    }
    return i;
  });
  let sorted = true;
  for (let k = 1; k < origins.length && sorted; k++) sorted = origins[k - 1]! <= origins[k]!;
  if (sorted) return [...output];
  // Stable counting sort by origin: O(n), copies keep their relative order.
  const buckets: ChangeEvent[][] = input.map(() => []);
  output.forEach((e, k) => buckets[origins[k]!]!.push(e));
  return buckets.flat();
}

/** New objects, but already in input order (a script that rewrites in place): no map needed. */
function inOrderByFields(input: readonly ChangeEvent[], output: readonly ChangeEvent[]): boolean {
  let j = 0;
  for (const e of output) {
    while (j < input.length && !sameOrigin(input[j]!, e)) j++;
    if (j === input.length) return false;
  }
  return true;
}

function sameOrigin(a: ChangeEvent, b: ChangeEvent): boolean {
  return a.tx.index === b.tx.index && a.tx.id === b.tx.id && (a.copy ?? 0) === (b.copy ?? 0);
}

/** `output` is in origin order: one pass over both. */
function countDroppedInOrder(input: readonly ChangeEvent[], output: readonly ChangeEvent[]): number {
  let dropped = 0;
  let k = 0;
  for (const e of input) {
    if (k < output.length && sameOrigin(e, output[k]!)) {
      while (k < output.length && sameOrigin(e, output[k]!)) k++;
    } else dropped++;
  }
  return dropped;
}

/** A second event with an origin's (tx, index, copy) becomes a new copy: the next free number. */
function numberCopies(events: ChangeEvent[], tenant: string): ChangeEvent[] {
  // The output is in origin order, so the events of one source event are adjacent.
  let used: Set<number> | null = null;
  for (let k = 1; k < events.length; k++) {
    const e = events[k]!;
    const prev = events[k - 1]!;
    if (prev.tx.id !== e.tx.id || prev.tx.index !== e.tx.index) {
      used = null;
      continue;
    }
    used ??= new Set([prev.copy ?? 0]);
    const copy = e.copy ?? 0;
    if (!used.has(copy)) {
      used.add(copy);
      continue;
    }
    const next = Math.max(...used) + 1;
    used.add(next);
    const numbered = deriveEvent(e, { copy: next });
    events[k] = deriveEvent(numbered, { id: deterministicEventId(idempotencyKey(tenant, numbered)) });
  }
  return events;
}

function markTransactionEnds(input: readonly ChangeEvent[], events: readonly ChangeEvent[]): readonly ChangeEvent[] {
  const ended = new Set<string>();
  for (const e of input) if (e.tx.end) ended.add(e.tx.id);
  let out: ChangeEvent[] | null = null;
  const marked = new Set<string>();
  for (let k = events.length - 1; k >= 0; k--) {
    const e = events[k]!;
    const end = ended.has(e.tx.id) && !marked.has(e.tx.id);
    if (end) marked.add(e.tx.id);
    if (e.tx.end === end) continue;
    out ??= [...events];
    out[k] = deriveEvent(e, { txEnd: end });
  }
  return out ?? events;
}
