import type { ToxicSpec } from '../infra/index.js';
import { proxyName, type Fault } from './nemesis.js';

/** Partition: the proxy refuses connections and drops open ones. */
export const partition: Fault = {
  kind: 'partition',
  async inject(ctx, target) {
    const proxy = proxyName(ctx, target);
    await ctx.topology.toxiproxy.down(proxy);
    return () => ctx.topology.toxiproxy.up(proxy);
  },
};

const num = (params: Readonly<Record<string, unknown>>, key: string, fallback: number): number => {
  const v = params[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
};

/**
 * A scenario's toxic params (snake_case, defaults filled by the scenario loader) as a ToxicSpec.
 * The fallbacks repeat the loader's defaults for callers that build steps by hand.
 */
export function toxicFor(kind: ToxicSpec['type'], params: Readonly<Record<string, unknown>>): ToxicSpec {
  const stream = params.stream === 'upstream' ? 'upstream' : 'downstream';
  const base = { stream, toxicity: num(params, 'toxicity', 1), name: `chaos_${kind}_${stream}` } as const;
  switch (kind) {
    case 'latency':
      return { ...base, type: 'latency', latencyMs: num(params, 'latency_ms', 300), jitterMs: num(params, 'jitter_ms', 100) };
    case 'bandwidth':
      return { ...base, type: 'bandwidth', rateKBps: num(params, 'rate_kbps', 64) };
    case 'slow_close':
      return { ...base, type: 'slow_close', delayMs: num(params, 'delay_ms', 2000) };
    case 'timeout':
      return { ...base, type: 'timeout', timeoutMs: num(params, 'timeout_ms', 0) };
    case 'reset_peer':
      return { ...base, type: 'reset_peer', timeoutMs: num(params, 'timeout_ms', 500) };
    case 'slicer':
      return { ...base, type: 'slicer', averageSize: num(params, 'average_size', 64), sizeVariation: num(params, 'size_variation', 32), delayUs: num(params, 'delay_us', 50) };
    case 'limit_data':
      return { ...base, type: 'limit_data', bytes: num(params, 'bytes', 65_536) };
  }
}

/** Every Toxiproxy toxic as a fault on one proxy; healing removes the toxic. */
export function toxicFault(kind: ToxicSpec['type']): Fault {
  return {
    kind,
    async inject(ctx, target, params) {
      const proxy = proxyName(ctx, target);
      const name = await ctx.topology.toxiproxy.addToxic(proxy, toxicFor(kind, params));
      return () => ctx.topology.toxiproxy.removeToxic(proxy, name);
    },
  };
}
