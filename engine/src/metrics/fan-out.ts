import {
  NOOP_COORDINATOR_METRICS,
  NOOP_ENCODING_METRICS,
  NOOP_SENSING_METRICS,
  NOOP_PROCESSOR_METRICS,
  NOOP_SINK_METRICS,
  NOOP_SOURCE_METRICS,
  type CoordinatorMetrics,
  type PipelineMetrics,
  type ProcessorMetrics,
  type SinkMetrics,
  type SourceMetrics,
} from './hooks.js';

type Hooks = object;

/** Calls the same hook on every target; the no-op objects name the methods of each interface. */
function fan<T extends Hooks>(template: T, targets: readonly T[]): T {
  if (targets.length === 1) return targets[0]!;
  const out: Record<string, (...args: unknown[]) => void> = {};
  for (const key of Object.keys(template)) {
    const fns = targets.map((t) => (t as Record<string, (...args: unknown[]) => void>)[key]!.bind(t));
    out[key] = (...args) => {
      for (const fn of fns) fn(...args);
    };
  }
  return out as T;
}

/** One PipelineMetrics that reports to several (Prometheus, the activity tracker, ...). */
export function fanOutMetrics(targets: readonly PipelineMetrics[]): PipelineMetrics {
  if (targets.length === 1) return targets[0]!;
  return {
    coordinator: fan<CoordinatorMetrics>(NOOP_COORDINATOR_METRICS, targets.map((t) => t.coordinator)),
    source: (id) => fan<SourceMetrics>(NOOP_SOURCE_METRICS, targets.map((t) => t.source(id))),
    sink: (id) => fan<SinkMetrics>(NOOP_SINK_METRICS, targets.map((t) => t.sink(id))),
    processor: (id) => fan<ProcessorMetrics>(NOOP_PROCESSOR_METRICS, targets.map((t) => t.processor(id))),
    // Only Prometheus collects these; the first target that does wins.
    encoding: (id) => targets.find((t) => t.encoding)?.encoding?.(id) ?? NOOP_ENCODING_METRICS,
    sensing: () => targets.find((t) => t.sensing)?.sensing?.() ?? NOOP_SENSING_METRICS,
  };
}
