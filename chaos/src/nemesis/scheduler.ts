import type { FaultEvent } from '../history/index.js';
import type { Fault, Heal, NemesisContext } from './nemesis.js';
import { faultOf } from './registry.js';

export interface ScheduledFault {
  /** Seconds after the workload started. */
  readonly at: number;
  readonly fault: string;
  readonly target: string;
  /** Seconds the fault stays active before it heals (0: heal at once). */
  readonly duration: number;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * Plays a fault schedule against a run and timestamps every fault into the history.
 * Faults on different targets may overlap; each heals on its own timer.
 */
export class NemesisScheduler {
  readonly events: FaultEvent[] = [];
  private readonly active = new Map<number, { event: FaultEvent; heal: Heal }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pending: Promise<void>[] = [];
  private stopped = false;
  /** Faults injected by inject(), numbered after the schedule's entries. */
  private manual = 0;
  /** Aborted by healAll(): faults waiting out their duration heal at once. */
  private readonly abort = new AbortController();
  readonly errors: string[] = [];

  constructor(
    private readonly ctx: NemesisContext,
    private readonly schedule: readonly ScheduledFault[],
    private readonly lookup: (kind: string) => Fault = faultOf,
  ) {}

  /** Arms every fault relative to now. */
  start(): void {
    this.schedule.forEach((entry, i) => {
      this.timers.push(setTimeout(() => this.pending.push(this.run(i, entry)), entry.at * 1000));
    });
  }

  /** Faults active right now, for live progress. */
  activeFaults(): string[] {
    return [...this.active.values()].map(({ event }) => `${event.kind}@${event.target}`);
  }

  /** Active faults with the id `heal(id)` takes (the playground's active-faults panel). */
  activeEntries(): { id: number; event: FaultEvent }[] {
    return [...this.active].map(([id, { event }]) => ({ id, event }));
  }

  /**
   * Injects one fault now, outside the schedule (the playground's buttons). It stays active until
   * heal(id) or healAll(); an instant fault (a purge, a promotion) returns id null. A failed
   * injection is recorded with its window closed, and rethrown.
   */
  async inject(fault: string, target: string, params: Readonly<Record<string, unknown>> = {}): Promise<{ id: number | null; event: FaultEvent }> {
    const id = this.schedule.length + ++this.manual;
    const event: { -readonly [K in keyof FaultEvent]: FaultEvent[K] } = { kind: fault, target, at: Date.now(), until: null, detail: params };
    this.events.push(event);
    this.ctx.log(`nemesis: ${fault} on ${target}`);
    let heal: Heal | null;
    try {
      heal = await this.lookup(fault).inject(this.ctx, target, params);
    } catch (e) {
      event.until = Date.now();
      this.errors.push(`${fault} on ${target}: ${(e as Error).message}`);
      throw e;
    }
    if (!heal) {
      event.until = Date.now();
      return { id: null, event };
    }
    this.active.set(id, { event, heal });
    return { id, event };
  }

  /** Heals one active fault; false when no fault with this id is active. */
  async heal(id: number): Promise<boolean> {
    const entry = this.active.get(id);
    if (!entry) return false;
    await this.healOne(id, entry.event, entry.heal);
    return true;
  }

  /** Cancels what has not started and heals everything active (the "heal" phase). */
  async healAll(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.abort.abort();
    await Promise.allSettled(this.pending);
    for (const [i, { event, heal }] of [...this.active]) await this.healOne(i, event, heal);
  }

  private async run(i: number, entry: ScheduledFault): Promise<void> {
    if (this.stopped) return;
    const event: { -readonly [K in keyof FaultEvent]: FaultEvent[K] } = { kind: entry.fault, target: entry.target, at: Date.now(), until: null, detail: entry.params };
    this.events.push(event);
    this.ctx.log(`nemesis: ${entry.fault} on ${entry.target}${entry.duration ? ` for ${entry.duration}s` : ''}`);
    let heal: Heal | null;
    try {
      heal = await this.lookup(entry.fault).inject(this.ctx, entry.target, entry.params ?? {});
    } catch (e) {
      event.until = Date.now();
      this.errors.push(`${entry.fault} on ${entry.target}: ${(e as Error).message}`);
      this.ctx.log(`nemesis: ${entry.fault} on ${entry.target} failed: ${(e as Error).message}`);
      return;
    }
    if (!heal) {
      event.until = Date.now();
      return;
    }
    this.active.set(i, { event, heal });
    await sleep(entry.duration * 1000, this.abort.signal);
    const still = this.active.get(i);
    if (still) await this.healOne(i, still.event, still.heal);
  }

  private async healOne(i: number, event: FaultEvent, heal: Heal): Promise<void> {
    if (!this.active.delete(i)) return;
    try {
      await heal();
    } catch (e) {
      this.errors.push(`healing ${event.kind} on ${event.target}: ${(e as Error).message}`);
    }
    (event as { until: number | null }).until = Date.now();
    this.ctx.log(`nemesis: healed ${event.kind} on ${event.target}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
