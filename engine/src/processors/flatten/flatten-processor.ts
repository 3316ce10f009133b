import type { FlattenProcessorSpec } from '../../config/processors.js';
import type { ChangeEvent, Row } from '../../event/index.js';
import { deriveEvent } from '../derive.js';
import type { Processor, ProcessorContext } from '../processor.js';
import { flattenObject } from './flatten.js';

/**
 * Flattens `before` and `after` of every event, whatever its origin (a table row, an outbox
 * payload): the reference applies flatten to every object-valued field of the event, and those
 * two are ours. An image with nothing nested is passed through as the same object.
 */
export function flattenProcessor(spec: FlattenProcessorSpec, _ctx: ProcessorContext): Processor {
  const flat = (row: Row | null): Row | null => (row && hasNested(row) ? flattenObject(row, spec) : row);
  return {
    id: spec.id,
    process: (events) =>
      events.map((e: ChangeEvent) => {
        const before = flat(e.before);
        const after = flat(e.after);
        return before === e.before && after === e.after ? e : deriveEvent(e, { before, after });
      }),
  };
}

function hasNested(row: Row): boolean {
  for (const k in row) {
    const v = row[k];
    if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) return true;
  }
  return false;
}
