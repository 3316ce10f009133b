/** Where a run's time went: setup, engine, warm-up, workload, heal, catch-up, read, check, teardown. */
export class PhaseClock {
  private readonly done: { name: string; ms: number }[] = [];
  private current: { name: string; since: number } | null = null;

  constructor(private readonly onPhase: (name: string) => void = () => {}) {}

  start(name: string): void {
    this.stop();
    this.current = { name, since: Date.now() };
    this.onPhase(name);
  }

  stop(): void {
    if (this.current) this.done.push({ name: this.current.name, ms: Date.now() - this.current.since });
    this.current = null;
  }

  phases(): { name: string; ms: number }[] {
    return [...this.done];
  }
}
