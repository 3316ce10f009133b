/**
 * The exactly-once Kafka sink's delivery state, with the only transitions allowed between
 * states (kafkajs' eosManager transactionStateMachine and coordinator/lifecycle.ts are the
 * models). An illegal transition is a bug in the sink and throws.
 *
 *                 ┌───────────── checkpoint read ──────────────┐
 *                 ▼                                            │
 *   ──► recovering ──► beginning ──► sending ──► committing ──► ready ──► beginning ...
 *          ▲  ▲            │            │  fatal     │   │
 *          │  └── failed ──┘            │ ──────►    │   └─ failed: outcome unknown ─► unresolved
 *          │                            ▼                                                 │
 *          └──────────────────────── aborting ◄─ failed                                   │
 *          └──────────────────────────── checkpoint read ◄────────────────────────────────┘
 *
 * recovering  what Kafka holds is known (or nothing is), but the next batch may overlap it:
 *             compare before sending (after open, a checkpoint read, or a failed transaction);
 * unresolved  a commit failed and may have landed: read the checkpoint back before sending;
 * ready       the last batch was our own commit: the next one follows it, nothing to compare;
 * beginning / sending / committing / aborting: a transaction in flight.
 */
export type TransactionState = 'recovering' | 'unresolved' | 'ready' | 'beginning' | 'sending' | 'committing' | 'aborting';

const LEGAL: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  recovering: ['beginning', 'recovering'],
  ready: ['beginning', 'recovering'],
  unresolved: ['recovering'],
  beginning: ['sending', 'recovering'],
  sending: ['committing', 'aborting', 'recovering'],
  committing: ['ready', 'unresolved'],
  aborting: ['recovering'],
};

export const TRANSACTION_STATES = Object.keys(LEGAL) as TransactionState[];

export function canTransition(from: TransactionState, to: TransactionState): boolean {
  return LEGAL[from].includes(to);
}

/** The phase a transaction failed in, for error messages. */
const PHASE: Partial<Record<TransactionState, string>> = { beginning: 'begin', sending: 'send', committing: 'commit' };

export class TransactionStateMachine {
  private current: TransactionState = 'recovering';

  get state(): TransactionState {
    return this.current;
  }

  /** The phase of the transaction in flight ('begin', 'send', 'commit'), or the state's name. */
  get phase(): string {
    return PHASE[this.current] ?? this.current;
  }

  /** A batch may overlap what Kafka already holds: compare its events with the held checkpoint. */
  get mayOverlap(): boolean {
    return this.current !== 'ready';
  }

  to(next: TransactionState): void {
    if (!canTransition(this.current, next)) throw new Error(`illegal kafka transaction transition ${this.current} -> ${next}`);
    this.current = next;
  }

  /**
   * The transaction in flight failed. A failed commit leaves its outcome unknown; a failed send
   * is aborted unless the producer is fenced (fatal: nothing may be done with it); a failed begin
   * left nothing open. Returns the state the sink is in now.
   */
  failed(fatal: boolean): TransactionState {
    if (this.current === 'committing') this.to('unresolved');
    else if (this.current === 'sending' && !fatal) this.to('aborting');
    else this.to('recovering');
    return this.current;
  }
}
