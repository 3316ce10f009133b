import { z } from 'zod';
import { FAULT_KINDS, PROCESS_FAULTS, PROXY_FAULTS, nemesisStepSchema, type FaultKind } from '../scenarios/index.js';
import type { FaultSpec, ParamSpec, Preset } from './protocol.js';

interface JsonSchema {
  readonly type?: string;
  readonly const?: string;
  readonly enum?: readonly string[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

const group = (kind: FaultKind): FaultSpec['group'] =>
  (PROXY_FAULTS as readonly string[]).includes(kind) ? 'network' : (PROCESS_FAULTS as readonly string[]).includes(kind) ? 'process' : 'source';

function param(name: string, s: JsonSchema): ParamSpec {
  const type: ParamSpec['type'] = s.enum ? 'enum' : s.type === 'integer' ? 'integer' : s.type === 'number' ? 'number' : 'string';
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (type === 'integer' ? 1 : 0) : undefined);
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  return { name, type, optional: s.default === undefined, ...(s.default !== undefined ? { default: s.default } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(s.enum ? { options: s.enum } : {}) };
}

/**
 * Every fault the nemesis knows, with its targets and parameters, read from the scenario
 * schema (the one place they are defined) so the page offers exactly what a scenario may use.
 */
export function faultCatalog(): FaultSpec[] {
  const schema = z.toJSONSchema(nemesisStepSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const options = schema.oneOf ?? schema.anyOf ?? [];
  const byKind = new Map(options.map((o) => [o.properties?.fault?.const ?? '', o]));
  return FAULT_KINDS.map((kind) => {
    const o = byKind.get(kind);
    if (!o?.properties) throw new Error(`the scenario schema has no step for fault ${kind}`);
    const target = o.properties.target ?? {};
    const params = Object.entries(o.properties.params?.properties ?? {}).map(([name, s]) => param(name, s));
    return { kind, group: group(kind), targets: target.enum ?? [], ...(typeof target.default === 'string' ? { defaultTarget: target.default } : {}), params };
  });
}

/**
 * A fault as the page sends it, checked and completed (defaults filled) by the scenario schema,
 * exactly as a scenario's nemesis step would be. Throws with a readable reason.
 */
export function parseFaultRequest(body: unknown): { fault: FaultKind; target: string; params: Record<string, unknown> } {
  const input = (body ?? {}) as Record<string, unknown>;
  const parsed = nemesisStepSchema.safeParse({ at: 0, fault: input.fault, ...(input.target !== undefined ? { target: input.target } : {}), params: input.params ?? {} });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`);
    throw new Error(problems.join('; '));
  }
  return { fault: parsed.data.fault, target: parsed.data.target, params: parsed.data.params as Record<string, unknown> };
}

/** One-click faults; each goes through parseFaultRequest like a hand-made one (a unit test checks them). */
export const PRESETS: readonly Preset[] = [
  { id: 'kafka-outage', label: 'Kafka outage', fault: 'partition', target: 'kafka', params: {} },
  { id: 'source-partition', label: 'Source partition', fault: 'partition', target: 'source', params: {} },
  { id: 'redis-outage', label: 'Redis outage', fault: 'partition', target: 'redis', params: {} },
  { id: 'source-latency', label: 'Source latency 500±100 ms', fault: 'latency', target: 'source', params: { latency_ms: 500, jitter_ms: 100 } },
  { id: 'kafka-latency', label: 'Kafka latency 1 s', fault: 'latency', target: 'kafka', params: { latency_ms: 1000, jitter_ms: 200 } },
  { id: 'source-throttle', label: 'Source throttled to 32 KB/s', fault: 'bandwidth', target: 'source', params: { rate_kbps: 32 } },
  { id: 'nats-blackhole', label: 'NATS black hole (timeout)', fault: 'timeout', target: 'nats', params: { timeout_ms: 0 } },
  { id: 'redis-resets', label: 'Redis connection resets', fault: 'reset_peer', target: 'redis', params: { timeout_ms: 500 } },
  { id: 'http-slicer', label: 'HTTP sliced packets', fault: 'slicer', target: 'http', params: { average_size: 16, size_variation: 8, delay_us: 500 } },
  { id: 'kafka-limit', label: 'Kafka cut after 64 KB', fault: 'limit_data', target: 'kafka', params: { bytes: 65536 } },
  { id: 'engine-crash', label: 'Engine crash (SIGKILL)', fault: 'kill-engine', target: 'engine', params: {} },
  { id: 'engine-term', label: 'Engine stop (SIGTERM)', fault: 'term-engine', target: 'engine', params: {} },
  { id: 'kafka-crash', label: 'Kafka broker crash', fault: 'kill-server', target: 'kafka', params: {} },
  { id: 'source-restart', label: 'Source server restart', fault: 'restart-server', target: 'source', params: {} },
  { id: 'failover', label: 'Failover to the replica', fault: 'failover', target: 'source', params: {} },
  { id: 'binlog-purge', label: 'Binlog purge', fault: 'binlog-purge', target: 'source', params: { gap_ms: 2000 }, sources: ['mysql'] },
  { id: 'slot-drop', label: 'Replication slot drop', fault: 'slot-drop', target: 'source', params: {}, sources: ['postgres'] },
  { id: 'ddl-add', label: 'DDL: add a column', fault: 'ddl-add-column', target: 'source', params: {} },
];

/** Faults that destroy state or stop things for good: the page asks before injecting them. */
export const DESTRUCTIVE_FAULTS: readonly string[] = ['failover', 'binlog-purge', 'slot-drop', 'ddl-drop-column'];
