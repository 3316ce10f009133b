/**
 * The playground's server-side state machine: brings the topology up (or attaches to `infra
 * up`'s), starts the engine, opens the live pipeline, keeps the hub's state current, and carries
 * out what the page asks. Everything it runs is the harness's own code; this file only wires.
 * (Longer than most: it is the one place the playground's pieces meet.)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EngineProcess } from '../engine/engine-process.js';
import { allocatePort } from '../infra/ports.js';
import { readInfraState } from '../infra/state-file.js';
import { pidAlive } from '../infra/process/pid-status.js';
import { SERVICE_NAMES, type ServiceName } from '../infra/types.js';
import { startTopology } from '../infra/start-topology.js';
import type { ProviderChoice } from '../infra/select-provider.js';
import { ChaosSession } from '../runner/session.js';
import { loadScenarioFile, loadScenarios } from '../scenarios/index.js';
import { attachedTopology } from './attached-topology.js';
import { faultCatalog, parseFaultRequest, PRESETS } from './fault-catalog.js';
import { Hub } from './hub.js';
import { checkNow } from './live/check-now.js';
import { LiveSession } from './live/live-session.js';
import type { FaultOrigin, FaultView, PlaygroundState, RunRequest, RunView, SourceFamily } from './protocol.js';
import { HistoryStore } from './runs/history-store.js';
import { RunManager } from './runs/run-manager.js';
import { engineView, serviceViews } from './services-monitor.js';
import type { LiveSettings } from '../workload/workload.js';

export interface PlaygroundOptions {
  readonly provider: ProviderChoice;
  /** An `infra up` state file to attach to instead of starting servers. */
  readonly attach: string | null;
  /** Run history and the engine's data (kept across restarts). */
  readonly dataDir: string;
  readonly scenariosDir: string;
  readonly source: SourceFamily;
  readonly seed: number;
  /** The config lab's A/B scenario (backlog-drain once it exists). */
  readonly abScenario: string;
  readonly links: { readonly grafana?: string; readonly prometheus?: string };
  readonly log: (line: string) => void;
}

export type ServiceAction = 'start' | 'stop' | 'kill' | 'restart' | 'kill-restart';
export const SERVICE_ACTIONS: readonly ServiceAction[] = ['start', 'stop', 'kill', 'restart', 'kill-restart'];
const KEEP_ACTIVITY = 300;

export class PlaygroundError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class Playground {
  readonly hub: Hub;
  readonly runs: RunManager;
  private session: ChaosSession | null = null;
  private engine: EngineProcess | null = null;
  private runEngine: EngineProcess | null = null;
  private live: LiveSession | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private sampling = false;
  private probing = false;
  private liveBusy: string | null = null;
  private closed: Promise<void> | null = null;

  constructor(readonly options: PlaygroundOptions) {
    const scenarios = loadScenarios(this.options.scenariosDir);
    const initial: PlaygroundState = {
      status: 'starting', startup: [], provider: this.options.attach ? 'attached' : this.options.provider, services: [], engines: [], links: this.options.links, live: null,
      faults: { active: [], timeline: [] }, samples: [], check: null, run: null, history: [], activity: [],
      catalog: {
        faults: faultCatalog(),
        presets: PRESETS,
        scenarios: scenarios.filter((l) => !l.scenario.tags.includes('playground')).map(({ scenario: s }) => ({ name: s.name, description: s.description, sources: s.sources, tags: s.tags, destructive: s.destructive })),
        abScenario: this.options.abScenario,
      },
    };
    this.hub = new Hub(initial);
    mkdirSync(this.options.dataDir, { recursive: true });
    this.runs = new RunManager({
      hub: this.hub,
      session: () => this.requireSession(),
      store: new HistoryStore(join(this.options.dataDir, 'runs')),
      scenariosDir: this.options.scenariosDir,
      beforeRun: () => this.quiesceLive(),
      onEngine: (engine) => {
        this.runEngine = engine;
        void this.refreshHealth();
      },
    });
  }

  /** Brings everything up; failures end in status `failed` with the reason (the page shows it). */
  async start(): Promise<void> {
    try {
      const topology = await this.bringUp();
      this.session = await ChaosSession.over(topology, { http: true });
      this.step(`engine: starting (data and log in ${this.options.dataDir}/engine)`);
      // A fresh engine each time: pipelines of an earlier playground would be orphans.
      rmSync(join(this.options.dataDir, 'engine'), { recursive: true, force: true });
      this.engine = new EngineProcess({ dataDir: join(this.options.dataDir, 'engine', 'data'), logFile: join(this.options.dataDir, 'engine', 'engine.log'), apiPort: await allocatePort(), metricsPort: await allocatePort() });
      await this.engine.start();
      this.timers.push(setInterval(() => void this.refreshHealth(), 5_000));
      await this.refreshHealth();
      await this.openLive(this.options.source);
      this.timers.push(setInterval(() => void this.tick(), 1_000));
      this.hub.set('status', 'ready');
      this.step('ready');
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.hub.set('error', message);
      this.hub.set('status', 'failed');
      this.step(`failed: ${message}`);
    }
  }

  private async bringUp() {
    if (this.options.attach) {
      const state = await readInfraState(this.options.attach);
      if (!state || !pidAlive(state.ownerPid)) throw new Error(`no running \`tidemark-chaos infra up\` recorded in ${this.options.attach}: start one, or leave out --attach`);
      this.step(`attached to the topology of infra up (pid ${state.ownerPid}, ${state.topology.provider})`);
      return attachedTopology(state);
    }
    this.step(`starting ${SERVICE_NAMES.join(', ')} behind Toxiproxy (provider ${this.options.provider})…`);
    const started = Date.now();
    const topology = await startTopology([...SERVICE_NAMES], { provider: this.options.provider });
    this.hub.set('provider', topology.provider);
    this.step(`servers up in ${((Date.now() - started) / 1000).toFixed(1)} s (${topology.provider})`);
    return topology;
  }

  private async openLive(source: SourceFamily): Promise<void> {
    const loaded = loadScenarioFile(join(this.options.scenariosDir, 'playground.yaml'), this.options.scenariosDir);
    this.live = null;
    this.hub.set('live', null);
    this.step(`live pipeline: ${source}`);
    this.live = await LiveSession.open({ session: this.requireSession(), loaded, source, engine: this.requireEngine(), seed: this.options.seed, log: (l) => this.note(l), signal: this.abort.signal });
    this.hub.set('live', this.live.view());
    this.hub.set('faults', this.live.faults());
  }

  // ---- loops ---------------------------------------------------------------------------------

  private async tick(): Promise<void> {
    const live = this.live;
    if (!live || this.sampling) return;
    this.sampling = true;
    try {
      this.hub.sample(await live.sample());
      if (this.live === live) {
        this.hub.set('live', live.view(this.liveBusy ? 'starting' : 'ready', this.liveBusy ?? undefined));
        this.setFaults(live.faults());
      }
    } catch (e) {
      this.note(`sampler: ${(e as Error).message}`);
    } finally {
      this.sampling = false;
    }
  }

  private lastFaults = '';
  private setFaults(faults: { active: FaultView[]; timeline: FaultView[] }): void {
    const json = JSON.stringify(faults);
    if (json === this.lastFaults) return;
    this.lastFaults = json;
    this.hub.set('faults', faults);
  }

  async refreshHealth(): Promise<void> {
    const session = this.session;
    if (!session || this.probing) return;
    this.probing = true;
    try {
      const primaries = new Set<string>(Object.values(session.primary));
      this.hub.set('services', await serviceViews(session.topology, primaries, !this.options.attach));
      const engines = [];
      if (this.engine) engines.push(await engineView('live', 'playground engine', this.engine));
      if (this.runEngine) engines.push(await engineView('run', 'scenario run engine', this.runEngine));
      this.hub.set('engines', engines);
      this.hub.set('links', await this.answeringLinks());
    } finally {
      this.probing = false;
    }
  }

  /** Grafana and Prometheus links, shown only while they answer. */
  private async answeringLinks(): Promise<PlaygroundState['links']> {
    const up = async (url: string | undefined) => (url ? fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status < 500, () => false) : false);
    const { grafana, prometheus } = this.options.links;
    const [g, p] = await Promise.all([up(grafana), up(prometheus)]);
    return { ...(g && grafana ? { grafana } : {}), ...(p && prometheus ? { prometheus } : {}) };
  }

  // ---- services --------------------------------------------------------------------------------

  async serviceAction(name: string, action: ServiceAction): Promise<void> {
    const topology = this.requireSession().topology;
    if (!(SERVICE_NAMES as readonly string[]).includes(name) || !topology.has(name as ServiceName)) throw new PlaygroundError(404, `no service "${name}" (services: ${topology.names.join(', ')})`);
    const handle = topology.get(name as ServiceName);
    this.note(`${name}: ${action}`);
    await act(action, { start: () => handle.start(), stop: () => handle.stop(), kill: () => handle.kill() });
    this.note(`${name}: ${action} done`);
    await this.refreshHealth();
  }

  async engineAction(id: string, action: ServiceAction): Promise<void> {
    const engine = this.engineById(id);
    this.note(`engine ${id}: ${action}`);
    await act(action, { start: () => engine.start(), stop: () => engine.stop(), kill: () => engine.kill() });
    this.note(`engine ${id}: ${action} done`);
    await this.refreshHealth();
  }

  engineById(id: string): EngineProcess {
    const engine = id === 'live' ? this.engine : id === 'run' ? this.runEngine : null;
    if (!engine) throw new PlaygroundError(404, id === 'run' ? 'no scenario run is in progress, so there is no run engine' : `no engine "${id}" (engines: live, run)`);
    return engine;
  }

  // ---- faults ---------------------------------------------------------------------------------

  async injectFault(body: unknown, origin: FaultOrigin): Promise<FaultView> {
    const live = this.requireLive();
    if (this.runs.busy) throw new PlaygroundError(409, 'a scenario run is in progress and its nemesis owns the faults; stop it first');
    let step;
    try {
      step = parseFaultRequest(body);
    } catch (e) {
      throw new PlaygroundError(400, (e as Error).message);
    }
    try {
      const view = await live.inject(step.fault, step.target, step.params, origin);
      return view;
    } catch (e) {
      throw new PlaygroundError(500, `${step.fault} on ${step.target} failed: ${(e as Error).message}`);
    } finally {
      this.setFaults(live.faults());
      void this.refreshHealth();
    }
  }

  async injectPreset(id: string): Promise<FaultView> {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) throw new PlaygroundError(404, `no preset "${id}" (presets: ${PRESETS.map((p) => p.id).join(', ')})`);
    return this.injectFault(preset, 'preset');
  }

  async heal(id: number | 'all'): Promise<void> {
    const live = this.requireLive();
    if (id === 'all') await live.healAll();
    else if (!(await live.heal(id))) throw new PlaygroundError(404, `no active fault ${id}`);
    this.setFaults(live.faults());
    void this.refreshHealth();
  }

  // ---- workload and check -------------------------------------------------------------------------

  async setWorkload(change: Partial<LiveSettings>): Promise<void> {
    const live = this.requireLive();
    if (this.runs.busy && (change.writers ?? 0) > 0) throw new PlaygroundError(409, 'a scenario run is in progress; the live workload waits until it ends');
    try {
      await live.setWorkload(change);
    } catch (e) {
      throw new PlaygroundError(400, (e as Error).message);
    }
    this.hub.set('live', live.view());
  }

  async switchSource(source: SourceFamily): Promise<void> {
    await this.exclusive(`switching to ${source}`, async () => {
      const old = this.live;
      if (old) {
        this.hub.set('live', old.view('closing'));
        await old.close();
      }
      await this.openLive(source);
    });
  }

  /** Runs the checkers over everything so far; the verdicts land in the state for every tab. */
  async checkNow(): Promise<void> {
    const live = this.requireLive();
    const startedAt = Date.now();
    const base = { startedAt, source: live.source, verdicts: [] };
    await this.exclusive('checking', async () => {
      this.hub.set('check', { ...base, status: 'running', phase: 'starting' });
      try {
        const verdicts = await checkNow({ live, engine: this.requireEngine(), signal: this.abort.signal, phase: (phase) => this.hub.set('check', { ...base, status: 'running', phase }), log: (l) => this.note(l) });
        this.hub.set('check', { ...base, status: 'done', phase: 'done', finishedAt: Date.now(), verdicts });
      } catch (e) {
        this.hub.set('check', { ...base, status: 'failed', phase: 'failed', finishedAt: Date.now(), error: (e as Error).message });
      }
    });
  }

  /** Before a scenario run shares the servers: the live workload stops and live faults heal. */
  private async quiesceLive(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.note('scenario run: stopping the live workload and healing live faults first');
    await live.setWorkload({ writers: 0 }).catch(() => undefined);
    await live.healAll().catch(() => undefined);
    this.setFaults(live.faults());
  }

  // ---- runs --------------------------------------------------------------------------------------

  startRun(request: RunRequest): Promise<RunView> {
    this.requireSession();
    return this.runs.start(request);
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  requireSession(): ChaosSession {
    if (!this.session) throw new PlaygroundError(503, 'the servers are still starting');
    return this.session;
  }

  requireEngine(): EngineProcess {
    if (!this.engine) throw new PlaygroundError(503, 'the engine is still starting');
    return this.engine;
  }

  requireLive(): LiveSession {
    if (!this.live) throw new PlaygroundError(503, this.liveBusy ? `the live pipeline is busy (${this.liveBusy})` : 'the live pipeline is not up yet');
    return this.live;
  }

  get currentLive(): LiveSession | null {
    return this.live;
  }

  private async exclusive(what: string, fn: () => Promise<void>): Promise<void> {
    if (this.liveBusy) throw new PlaygroundError(409, `the live pipeline is busy (${this.liveBusy}); try again when it is done`);
    this.liveBusy = what;
    try {
      await fn();
    } finally {
      this.liveBusy = null;
    }
  }

  private step(line: string): void {
    this.hub.set('startup', [...this.hub.current.startup, line]);
    this.note(line);
  }

  note(line: string): void {
    const stamped = `${new Date().toISOString().slice(11, 19)} ${line}`;
    this.hub.set('activity', [...this.hub.current.activity, stamped].slice(-KEEP_ACTIVITY));
    this.options.log(line);
  }

  /**
   * Stops everything this process started (the servers too, unless attached). Idempotent. While
   * still starting, it stops what is up; the caller's exit takes the rest (parent-death signal).
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.abort.abort(new Error('the playground is shutting down'));
      for (const t of this.timers) clearInterval(t);
      this.runs.stop();
      await this.live?.close().catch(() => undefined);
      await this.engine?.close().catch(() => undefined);
      await this.session?.close(false).catch(() => undefined);
      this.hub.close();
    })();
    return this.closed;
  }
}

async function act(action: ServiceAction, p: { start: () => Promise<void>; stop: () => Promise<void>; kill: () => Promise<void> }): Promise<void> {
  switch (action) {
    case 'start':
      return p.start();
    case 'stop':
      return p.stop();
    case 'kill':
      return p.kill();
    case 'restart':
      await p.stop();
      return p.start();
    case 'kill-restart':
      await p.kill();
      return p.start();
  }
}
