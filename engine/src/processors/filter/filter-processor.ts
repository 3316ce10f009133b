import type { FilterProcessorSpec } from '../../config/processors.js';
import type { ChangeEvent, Op } from '../../event/index.js';
import type { Processor, ProcessorContext } from '../processor.js';
import { compileTableGlobs } from '../table-glob.js';
import { compilePredicate, type EventPredicate } from './predicates.js';

const OP_CODES: Record<FilterProcessorSpec['ops'][number], Op> = { create: 'c', update: 'u', delete: 'd', read: 'r', truncate: 't' };

/**
 * Drops the events that fail any configured check (the reference's filter): op types, table
 * include/exclude globs (exclude wins), and field predicates on `after` combined by `match`.
 * An omitted check passes everything. Keeps the surviving events themselves, untouched.
 */
export function compileFilter(spec: FilterProcessorSpec): EventPredicate {
  const ops = spec.ops.length > 0 ? new Set(spec.ops.map((o) => OP_CODES[o])) : null;
  const include = spec.tables.include.length > 0 ? compileTableGlobs(spec.tables.include) : null;
  const exclude = spec.tables.exclude.length > 0 ? compileTableGlobs(spec.tables.exclude) : null;
  const fields = spec.fields.map(compilePredicate);
  const fieldsPass: EventPredicate =
    fields.length === 0 ? () => true : spec.match === 'all' ? (e) => fields.every((f) => f(e)) : (e) => fields.some((f) => f(e));
  return (e: ChangeEvent) => (!ops || ops.has(e.op)) && (!include || include(e)) && !(exclude && exclude(e)) && fieldsPass(e);
}

export function filterProcessor(spec: FilterProcessorSpec, _ctx: ProcessorContext): Processor {
  const keep = compileFilter(spec);
  return { id: spec.id, process: (events) => events.filter(keep) };
}
