import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import type { SystemIdentity } from '../replication-connection.js';

/** What the KV keeps about the server a source streamed from (key `identity`). */
export interface StoredIdentity {
  readonly systemId: string;
  readonly timeline: number;
  /** Slot generation: incremented whenever the slot had to be recreated. */
  readonly generation: number;
  readonly updatedAt: number;
}

export type IdentityChange =
  | { readonly kind: 'first' }
  | { readonly kind: 'same' }
  /** Same cluster, new timeline: a standby was promoted (PG 15 slots do not follow). */
  | { readonly kind: 'promoted'; readonly fromTimeline: number; readonly toTimeline: number }
  /** A different cluster answers at this address: its LSNs mean nothing for our positions. */
  | { readonly kind: 'other-cluster'; readonly fromSystemId: string; readonly toSystemId: string };

export function compareIdentity(stored: StoredIdentity | undefined, now: SystemIdentity): IdentityChange {
  if (!stored) return { kind: 'first' };
  if (stored.systemId !== now.systemId) return { kind: 'other-cluster', fromSystemId: stored.systemId, toSystemId: now.systemId };
  if (stored.timeline !== now.timeline) return { kind: 'promoted', fromTimeline: stored.timeline, toTimeline: now.timeline };
  return { kind: 'same' };
}

export function describeIdentityChange(change: IdentityChange): string {
  switch (change.kind) {
    case 'promoted':
      return `the server moved from timeline ${change.fromTimeline} to ${change.toTimeline} (a standby was promoted: failover)`;
    case 'other-cluster':
      return `a different cluster answers (system identifier ${change.fromSystemId} before, ${change.toSystemId} now)`;
    default:
      return 'the server is the one seen before';
  }
}

export class IdentityStore {
  constructor(private readonly kv: KeyValueStore, private readonly namespace: string) {}

  get(): Promise<StoredIdentity | undefined> {
    return this.kv.get<StoredIdentity>(this.namespace, 'identity');
  }

  put(identity: SystemIdentity, generation: number): Promise<void> {
    const record: StoredIdentity = { systemId: identity.systemId, timeline: identity.timeline, generation, updatedAt: Date.now() };
    return this.kv.put(this.namespace, 'identity', record);
  }
}
