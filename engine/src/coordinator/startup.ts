import { sinkCheckpointKey, type CheckpointStore } from '../checkpoints/index.js';
import type { Position } from '../event/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { Sink } from '../sinks/sink.js';
import type { BackoffPolicy } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import { Retrier } from '../util/retry/index.js';
import type { Compare } from './positions.js';

export interface OpenOptions {
  readonly pipeline: string;
  readonly backoff: BackoffPolicy;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Aborted when the pipeline stops or fails: open attempts end. */
  readonly signal: AbortSignal;
}

/**
 * Opens every sink, retrying a sink that is not reachable yet (retryable errors) until it is or
 * the pipeline stops. Resolves false when stopped first; rejects with the first error no retry
 * can fix.
 */
export async function openSinks(sinks: readonly Sink[], o: OpenOptions): Promise<boolean> {
  try {
    await Promise.all(
      sinks.map((sink) =>
        new Retrier({
          what: `sink ${sink.id} open`,
          classify: (e) => asOpenError(e).withContext({ pipeline: o.pipeline, sink: sink.id }),
          policy: o.backoff,
          clock: o.clock,
          random: o.random,
          logger: o.logger,
          fields: { sink: sink.id },
        }).run(() => sink.open(), { signal: o.signal }),
      ),
    );
    return true;
  } catch (e) {
    if (o.signal.aborted) return false;
    throw e;
  }
}

/**
 * What each sink already holds: its own record when it keeps one (and the store is corrected
 * to it), else the store's; null for a sink that never had a checkpoint.
 */
export async function recoverCheckpoints(sinks: readonly Sink[], store: CheckpointStore, sourceId: string, compare: Compare): Promise<Map<string, Position | null>> {
  const positions = new Map<string, Position | null>();
  for (const sink of sinks) {
    const key = sinkCheckpointKey(sourceId, sink.id);
    const stored = (await store.load(key))?.position ?? null;
    if (!sink.ownsCheckpoint) {
      positions.set(sink.id, stored);
      continue;
    }
    const own = await sink.readCheckpoint();
    if (own && (!stored || compare(own, stored) !== 0)) await store.save([{ key, position: own }]);
    positions.set(sink.id, own ?? stored);
  }
  return positions;
}

/**
 * A sink with no checkpoint yet gets one at the position the source starts after, before any
 * event is acknowledged: nothing before it was ever sent to that sink, and after a crash the
 * source must resume no later than this for it. Returns the sinks anchored.
 */
export async function anchorNewSinks(store: CheckpointStore, sourceId: string, positions: ReadonlyMap<string, Position | null>, startedAfter: Position): Promise<string[]> {
  const fresh = [...positions].filter(([, p]) => p === null).map(([id]) => id);
  if (fresh.length > 0) await store.save(fresh.map((id) => ({ key: sinkCheckpointKey(sourceId, id), position: startedAfter })));
  return fresh;
}

/** A sink's open failure: classified errors keep their kind, anything else is "unavailable" (retryable). */
function asOpenError(e: unknown): TidemarkError {
  return isTidemarkError(e) ? e : new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', errorMessage(e), { cause: e });
}
