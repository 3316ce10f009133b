import type { CommitPolicySpec } from '../config/index.js';

export interface PolicySink {
  readonly id: string;
  readonly required: boolean;
}

/**
 * Decides when a batch is committed (its checkpoints may be saved) from the set of sinks that
 * acknowledged it.
 *   required (default) — every `required: true` sink acknowledged
 *   all                — every sink acknowledged
 *   quorum             — at least `quorum` sinks acknowledged
 */
export class CommitPolicy {
  readonly mode: CommitPolicySpec['mode'];
  private readonly quorum: number;
  private readonly gating: readonly string[];

  constructor(spec: CommitPolicySpec, private readonly sinks: readonly PolicySink[]) {
    this.mode = spec.mode;
    this.quorum = spec.mode === 'quorum' ? Math.min(spec.quorum ?? sinks.length, sinks.length) : 0;
    this.gating = spec.mode === 'all' ? sinks.map((s) => s.id) : spec.mode === 'required' ? sinks.filter((s) => s.required).map((s) => s.id) : [];
  }

  isSatisfied(acked: ReadonlySet<string>): boolean {
    if (this.mode === 'quorum') return acked.size >= this.quorum;
    for (const id of this.gating) if (!acked.has(id)) return false;
    return true;
  }

  /** A sink whose failure blocks commits outright (under quorum no single sink is critical). */
  isCritical(sinkId: string): boolean {
    return this.gating.includes(sinkId);
  }

  /** Can the policy still be met if only `attached` sinks keep acknowledging? */
  isReachable(attached: ReadonlySet<string>): boolean {
    if (this.mode === 'quorum') return attached.size >= this.quorum;
    return this.gating.every((id) => attached.has(id));
  }

  describe(): string {
    if (this.mode === 'quorum') return `quorum of ${this.quorum}/${this.sinks.length} sinks`;
    if (this.mode === 'all') return 'all sinks';
    return this.gating.length === 0 ? 'no required sink (checkpoints follow any acknowledgement)' : `required sinks: ${this.gating.join(', ')}`;
  }
}
