import { describe } from 'vitest';
import { MemorySink } from '../../../engine/src/testing/index.js';
import { sinkContract, type SinkTarget } from '../sink-contract.js';

/** The in-memory test sink (engine/src/testing), both without and with its own checkpoint. */
function memoryTarget(ownsCheckpoint: boolean): SinkTarget {
  const sinks = new Map<string, MemorySink>();
  let cut = false;
  return {
    exactlyOnce: ownsCheckpoint,
    ordered: true,
    make(name, { routed, dlqEnabled }) {
      const sink = new MemorySink(`mem-${name}`, { ownsCheckpoint, dlqEnabled, route: routed ? `${name}.\${after.route}` : name });
      sink.beforeDeliver = () => (cut ? 'drop' : undefined);
      sinks.set(name, sink);
      return sink;
    },
    async read(name, routed) {
      const sink = sinks.get(name);
      if (!sink) return [];
      const want = routed ? `${name}.ok` : name;
      return sink.events.filter((_, i) => sink.destinations[i] === want).map((e) => e.id);
    },
    cut: async () => void (cut = true),
    heal: async () => void (cut = false),
  };
}

describe('memory sink (at-least-once)', () => sinkContract('mem-alo', () => memoryTarget(false)));
describe('memory sink (owns its checkpoint)', () => sinkContract('mem-eo', () => memoryTarget(true)));
