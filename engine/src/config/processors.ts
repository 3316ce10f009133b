import { Script } from 'node:vm';
import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, show, stringList, stringMap } from './primitives.js';

/**
 * The four processor types, field for field as the reference defines them (DeltaForge book,
 * "Processors"). Additions, each because the issue or our engine needs it: javascript `file`
 * (the script from a file instead of `inline`), `mem_mb` at least 8 (isolated-vm's floor), a
 * syntax check of inline scripts and a compile check of filter regexes at load, so `tidemark
 * validate` and the REST API reject them before a pipeline starts.
 */

const limitsSpec = z
  .strictObject({
    /** CPU time the script may use per batch. */
    cpu_ms: positiveInt().default(50),
    /** Heap of the script's isolate; isolated-vm needs at least 8 MB. */
    mem_mb: positiveInt().min(8, { error: (i) => `expected at least 8 (isolated-vm's minimum heap), got ${show(i.input)}` }).default(128),
    /** Wall-clock time per batch. */
    timeout_ms: positiveInt().default(500),
  })
  .prefault({});

export const javascriptProcessor = z
  .strictObject({
    type: z.literal('javascript'),
    id: nonEmptyString(),
    inline: nonEmptyString().optional(),
    /** A file holding the script (absolute, or relative to the engine's working directory). */
    file: nonEmptyString().optional(),
    limits: limitsSpec,
  })
  .superRefine((p, ctx) => {
    if ((p.inline === undefined) === (p.file === undefined)) {
      ctx.addIssue({ code: 'custom', path: [p.inline === undefined ? 'inline' : 'file'], message: 'expected exactly one of inline (the script) or file (a path to it)' });
    }
    const problem = p.inline === undefined ? null : syntaxProblem(p.inline);
    if (problem) ctx.addIssue({ code: 'custom', path: ['inline'], message: problem });
  });

export const flattenProcessor = z.strictObject({
  type: z.literal('flatten'),
  id: nonEmptyString().default('flatten'),
  separator: nonEmptyString().default('__'),
  max_depth: positiveInt().optional(),
  on_collision: oneOf(['last', 'first', 'error'] as const).default('last'),
  empty_object: oneOf(['preserve', 'drop', 'null'] as const).default('preserve'),
  lists: oneOf(['preserve', 'index'] as const).default('preserve'),
  empty_list: oneOf(['preserve', 'drop', 'null'] as const).default('preserve'),
});

export const FIELD_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists', 'contains', 'regex', 'changed'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

const fieldPredicate = z
  .strictObject({
    /** Dot-separated path into event.after, e.g. `status` or `order.total`. */
    path: nonEmptyString(),
    op: oneOf(FIELD_OPS),
    value: z.unknown().optional(),
  })
  .superRefine((f, ctx) => {
    const problem = valueProblem(f.op, f.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

export const filterProcessor = z.strictObject({
  type: z.literal('filter'),
  id: nonEmptyString().default('filter'),
  ops: z.array(oneOf(['create', 'update', 'delete', 'read', 'truncate'] as const)).default([]),
  tables: z.strictObject({ include: stringList().default([]), exclude: stringList().default([]) }).prefault({}),
  fields: z.array(fieldPredicate).default([]),
  match: oneOf(['all', 'any'] as const).default('all'),
});

export const outboxProcessor = z.strictObject({
  type: z.literal('outbox'),
  id: nonEmptyString().default('outbox'),
  tables: stringList().default([]),
  topic: nonEmptyString().optional(),
  default_topic: nonEmptyString().optional(),
  key: nonEmptyString().optional(),
  raw_payload: bool().default(false),
  strict: bool().default(false),
  columns: z
    .strictObject({
      payload: nonEmptyString().default('payload'),
      aggregate_type: nonEmptyString().default('aggregate_type'),
      aggregate_id: nonEmptyString().default('aggregate_id'),
      event_type: nonEmptyString().default('event_type'),
      topic: nonEmptyString().default('topic'),
      event_id: nonEmptyString().default('id'),
    })
    .prefault({}),
  additional_headers: stringMap()
    .refine((m) => Object.keys(m).every(isHeaderName), { error: (i) => `expected header names of letters, digits and !#$%&'*+-.^_\`|~ only, got ${Object.keys(i.input as object).filter((k) => !isHeaderName(k)).map((k) => JSON.stringify(k)).join(', ')}` })
    .default({}),
});

export const processorSpec = z.discriminatedUnion(
  'type',
  [javascriptProcessor, flattenProcessor, filterProcessor, outboxProcessor],
  { error: (i) => `expected a processor with type javascript, flatten, filter or outbox, got ${JSON.stringify((i.input as { type?: unknown } | undefined)?.type ?? null)}` },
);

export type ProcessorSpec = z.infer<typeof processorSpec>;
export type JavascriptProcessorSpec = z.infer<typeof javascriptProcessor>;
export type FlattenProcessorSpec = z.infer<typeof flattenProcessor>;
export type FilterProcessorSpec = z.infer<typeof filterProcessor>;
export type OutboxProcessorSpec = z.infer<typeof outboxProcessor>;

/** An HTTP header token (RFC 9110): what Kafka, NATS and HTTP all accept as a name. */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name);
}

/**
 * Compiles (never runs) the script in this process to report a syntax error at load time with
 * its line. Running happens only inside the processor's isolate.
 */
function syntaxProblem(code: string): string | null {
  try {
    new Script(code, { filename: 'inline' });
    return null;
  } catch (e) {
    const line = /inline:(\d+)/.exec((e as Error).stack ?? '')?.[1];
    return `the script does not compile: ${(e as Error).message}${line ? ` (line ${line})` : ''}`;
  }
}

function valueProblem(op: FieldOp, value: unknown): string | null {
  switch (op) {
    case 'exists':
    case 'not_exists':
    case 'changed':
      return null;
    case 'in':
    case 'not_in':
      return Array.isArray(value) ? null : `op ${op} needs a list of values, got ${show(value)}`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' || typeof value === 'string' ? null : `op ${op} needs a number or a string, got ${show(value)}`;
    case 'regex': {
      if (typeof value !== 'string') return `op regex needs a pattern string, got ${show(value)}`;
      try {
        new RegExp(value, 'u');
        return null;
      } catch (e) {
        return `invalid regex: ${(e as Error).message}`;
      }
    }
    default:
      return value === undefined ? `op ${op} needs a value` : null;
  }
}
