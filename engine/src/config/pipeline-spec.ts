import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, show } from './primitives.js';
import { sourceSpec } from './sources.js';
import { sinkSpec } from './sinks.js';
import { processorSpec } from './processors.js';

/** Defaults are the reference's (DeltaForge book, "Batching"). */
export const batchSpec = z.strictObject({
  max_events: positiveInt().default(500),
  max_bytes: positiveInt().default(1_048_576),
  max_ms: positiveInt().default(1000),
  respect_source_tx: bool().default(true),
  /** Sealed batches that may wait for delivery before the source is paused. */
  max_inflight: positiveInt().default(2),
});

export const commitPolicySpec = z
  .strictObject({
    mode: oneOf(['required', 'all', 'quorum'] as const).default('required'),
    quorum: positiveInt().optional(),
  })
  .refine((p) => p.mode !== 'quorum' || p.quorum !== undefined, { error: 'mode quorum needs quorum: <number of sinks>', path: ['quorum'] });

export const schemaSensingSpec = z.strictObject({
  enabled: bool().default(false),
  deep_inspect: z.strictObject({ enabled: bool().default(true), max_depth: positiveInt().default(10), max_sample_size: positiveInt().default(1000) }).prefault({}),
  sampling: z
    .strictObject({
      warmup_events: positiveInt().default(1000),
      sample_rate: positiveInt().default(10),
      structure_cache: bool().default(true),
      structure_cache_size: positiveInt().default(100),
    })
    .prefault({}),
  high_cardinality: z
    .strictObject({
      enabled: bool().default(true),
      min_events: positiveInt().default(100),
      stable_threshold: z.number({ error: (i) => `expected a number between 0 and 1, got ${show(i.input)}` }).min(0).max(1).default(0.5),
      min_dynamic_fields: positiveInt().default(5),
    })
    .prefault({}),
});

export const journalSpec = z.strictObject({
  enabled: bool().default(false),
  /** Larger DLQ payloads keep their metadata but have before/after truncated. */
  max_event_bytes: positiveInt().default(262_144),
  dlq: z
    .strictObject({
      max_entries: positiveInt().default(10_000),
      max_age_secs: positiveInt().default(604_800),
      overflow_policy: oneOf(['drop_oldest', 'reject', 'block'] as const).default('drop_oldest'),
    })
    .prefault({}),
});

const name = z
  .string({ error: (i) => `expected a name, got ${show(i.input)}` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'expected letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit)' });

export const pipelineSpec = z.strictObject({
  apiVersion: oneOf(['tidemark/v1', 'deltaforge/v1'] as const),
  kind: z.literal('Pipeline', { error: (i) => `expected Pipeline, got ${show(i.input)}` }),
  metadata: z.strictObject({
    name,
    tenant: nonEmptyString(),
    labels: z.record(z.string(), z.string(), { error: 'expected a mapping of label names to strings' }).default({}),
  }),
  spec: z
    .strictObject({
      source: sourceSpec,
      processors: z.array(processorSpec).default([]),
      sinks: z.array(sinkSpec).min(1, { error: 'expected at least one sink' }),
      batch: batchSpec.prefault({}),
      commit_policy: commitPolicySpec.prefault({}),
      schema_sensing: schemaSensingSpec.prefault({}),
      journal: journalSpec.prefault({}),
    })
    .superRefine((spec, ctx) => {
      const seen = new Map<string, number>();
      spec.sinks.forEach((s, i) => {
        const prior = seen.get(s.config.id);
        if (prior !== undefined) ctx.addIssue({ code: 'custom', path: ['sinks', i, 'config', 'id'], message: `duplicate sink id "${s.config.id}" (also used by sinks[${prior}])` });
        seen.set(s.config.id, i);
      });
      const { mode, quorum } = spec.commit_policy;
      if (mode === 'quorum' && quorum !== undefined && quorum > spec.sinks.length) {
        ctx.addIssue({ code: 'custom', path: ['commit_policy', 'quorum'], message: `quorum ${quorum} exceeds the number of sinks (${spec.sinks.length})` });
      }
    }),
});

export type PipelineSpec = z.infer<typeof pipelineSpec>;
/** What a user writes, before defaults are applied. */
export type PipelineSpecInput = z.input<typeof pipelineSpec>;
export type BatchSpec = z.infer<typeof batchSpec>;
export type CommitPolicySpec = z.infer<typeof commitPolicySpec>;
export type JournalSpec = z.infer<typeof journalSpec>;
export type SchemaSensingSpec = z.infer<typeof schemaSensingSpec>;
