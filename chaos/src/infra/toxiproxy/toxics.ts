import type { ICreateToxicBody, ToxicDirection, ToxicType } from 'toxiproxy-node-client';

/** Where and how often a toxic applies; Toxiproxy's defaults are downstream, toxicity 1. */
export interface ToxicPlacement {
  /** upstream = client→server, downstream = server→client. */
  readonly stream?: ToxicDirection;
  /** Probability (0..1) that a connection is affected. */
  readonly toxicity?: number;
  /** Defaults to `<type>_<stream>`, Toxiproxy's own convention. */
  readonly name?: string;
}

/** Every toxic Toxiproxy 2.12 has (`down` is not a toxic: see ToxiproxyControl.down). */
export type ToxicSpec = ToxicPlacement &
  (
    | { readonly type: 'latency'; readonly latencyMs: number; readonly jitterMs?: number }
    | { readonly type: 'bandwidth'; readonly rateKBps: number }
    | { readonly type: 'slow_close'; readonly delayMs: number }
    /** Stops data and closes after timeoutMs; 0 holds the data until the toxic is removed. */
    | { readonly type: 'timeout'; readonly timeoutMs: number }
    /** TCP RST, immediately or after timeoutMs. */
    | { readonly type: 'reset_peer'; readonly timeoutMs?: number }
    | { readonly type: 'slicer'; readonly averageSize: number; readonly sizeVariation?: number; readonly delayUs?: number }
    /** Closes the connection once this many bytes went through. */
    | { readonly type: 'limit_data'; readonly bytes: number }
  );

export type ToxicKind = ToxicSpec['type'];

export const TOXIC_KINDS: readonly ToxicKind[] = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'];

type Attributes = Record<string, number>;

function attributesOf(spec: ToxicSpec): Attributes {
  switch (spec.type) {
    case 'latency':
      return { latency: spec.latencyMs, jitter: spec.jitterMs ?? 0 };
    case 'bandwidth':
      return { rate: spec.rateKBps };
    case 'slow_close':
      return { delay: spec.delayMs };
    case 'timeout':
      return { timeout: spec.timeoutMs };
    case 'reset_peer':
      return { timeout: spec.timeoutMs ?? 0 };
    case 'slicer':
      return { average_size: spec.averageSize, size_variation: spec.sizeVariation ?? 0, delay: spec.delayUs ?? 0 };
    case 'limit_data':
      return { bytes: spec.bytes };
  }
}

/** The body Toxiproxy's API expects for a toxic (pure; unit-tested). */
export function toxicBody(spec: ToxicSpec): ICreateToxicBody<Attributes> {
  const stream: ToxicDirection = spec.stream ?? 'downstream';
  const toxicity = spec.toxicity ?? 1;
  if (!(toxicity >= 0 && toxicity <= 1)) throw new Error(`toxicity must be within 0..1, got ${toxicity}`);
  const type: ToxicType = spec.type;
  return { name: spec.name ?? `${spec.type}_${stream}`, type, stream, toxicity, attributes: attributesOf(spec) };
}
