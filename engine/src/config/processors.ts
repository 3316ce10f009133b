import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, stringList, stringMap } from './primitives.js';

export const javascriptProcessor = z.strictObject({
  type: z.literal('javascript'),
  id: nonEmptyString(),
  inline: nonEmptyString(),
  limits: z
    .strictObject({
      cpu_ms: positiveInt().default(50),
      mem_mb: positiveInt().default(128),
      timeout_ms: positiveInt().default(500),
    })
    .prefault({}),
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

const fieldPredicate = z.strictObject({
  path: nonEmptyString(),
  op: oneOf(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists', 'contains', 'regex', 'changed'] as const),
  value: z.unknown().optional(),
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
  additional_headers: stringMap().default({}),
});

export const processorSpec = z.discriminatedUnion(
  'type',
  [javascriptProcessor, flattenProcessor, filterProcessor, outboxProcessor],
  { error: (i) => `expected a processor with type javascript, flatten, filter or outbox, got ${JSON.stringify((i.input as { type?: unknown } | undefined)?.type ?? null)}` },
);

export type ProcessorSpec = z.infer<typeof processorSpec>;
