import type { PlaygroundState, StateMessage } from '../protocol.js';

type Key = keyof PlaygroundState;
type Listener = (state: PlaygroundState) => void;

/**
 * The page's mirror of the server's state, fed by one EventSource. Views subscribe to the keys
 * they show. On (re)connect the server sends a snapshot, so a tab opened late, or one that lost
 * its connection, shows exactly what every other tab shows.
 */
export class Store {
  state: PlaygroundState | null = null;
  private readonly listeners = new Map<Key | '*', Set<Listener>>();
  private source: EventSource | null = null;

  connect(onStatus: (open: boolean) => void): void {
    this.source = new EventSource('/api/events', { withCredentials: true });
    this.source.onopen = () => onStatus(true);
    this.source.onerror = () => onStatus(false);
    this.source.onmessage = (e: MessageEvent<string>) => this.apply(JSON.parse(e.data) as StateMessage);
  }

  on(keys: readonly Key[], listener: Listener): void {
    for (const k of keys) {
      const set = this.listeners.get(k) ?? new Set();
      set.add(listener);
      this.listeners.set(k, set);
    }
    if (this.state) listener(this.state);
  }

  private apply(m: StateMessage): void {
    const changed: Key[] = [];
    if (m.op === 'snapshot') {
      this.state = m.state;
      changed.push(...(Object.keys(m.state) as Key[]));
    } else if (!this.state) {
      return;
    } else if (m.op === 'set') {
      this.state = { ...this.state, [m.key]: m.value };
      changed.push(m.key);
    } else if (m.op === 'sample') {
      this.state = { ...this.state, samples: [...this.state.samples, m.sample].slice(-m.keep) };
      changed.push('samples');
    } else if (m.op === 'run-log' && this.state.run?.id === m.id) {
      this.state = { ...this.state, run: { ...this.state.run, log: [...this.state.run.log, m.line].slice(-m.keep) } };
      changed.push('run');
    } else if (m.op === 'run-sample' && this.state.run?.id === m.id) {
      this.state = { ...this.state, run: { ...this.state.run, samples: [...this.state.run.samples, m.sample] } };
      changed.push('run');
    }
    const called = new Set<Listener>();
    for (const k of changed) for (const l of this.listeners.get(k) ?? []) if (!called.has(l)) (called.add(l), l(this.state));
  }
}
