import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { ProviderChoice } from '../infra/select-provider.js';
import { cachePaths } from '../infra/cache-paths.js';
import { REPO_ROOT, SCENARIOS_DIR } from '../runner/paths.js';
import { isLoopback, newToken } from './auth.js';
import { Playground } from './playground.js';
import { buildServer } from './server.js';

export const PLAYGROUND_USAGE = `usage: tidemark-chaos playground [options]
       npm run playground -- [options]

Starts the servers behind Toxiproxy (or attaches to \`infra up\`'s), an engine and a live
pipeline, and serves the playground: services, faults, live workload and charts, check now,
scenario runs, the engine's REST API and a config lab. Prints its URL.

  --port n          port to listen on (default 7474; 0 picks a free one)
  --host h          address to bind (default 127.0.0.1). Any other address needs the token
                    printed at start on every request.
  --provider p      native | testcontainers | auto (default auto)
  --attach [file]   use the topology \`tidemark-chaos infra up\` runs (its state file; default
                    $TIDEMARK_CACHE/infra-state.json) instead of starting servers
  --source s        mysql | postgres: the live pipeline's source at start (default mysql)
  --seed n          the live workload's seed (default 1)
  --data-dir dir    run history, reports and the engine's data (default out/playground)
  --scenarios dir   scenario files (default scenarios/)
  --ab-scenario s   the scenario the config lab's A/B runs (default playground-backlog)
  --grafana url     link to Grafana in the page (also $TIDEMARK_GRAFANA_URL)
  --prometheus url  link to Prometheus in the page (also $TIDEMARK_PROMETHEUS_URL)

Ctrl-C stops everything it started; so does killing it (servers and engine die with it).`;

export interface PlaygroundArgs {
  readonly port: number;
  readonly host: string;
  readonly provider: ProviderChoice;
  readonly attach: string | null;
  readonly source: 'mysql' | 'postgres';
  readonly seed: number;
  readonly dataDir: string;
  readonly scenariosDir: string;
  readonly abScenario: string;
  readonly grafana?: string;
  readonly prometheus?: string;
  readonly help: boolean;
}

export function parsePlaygroundArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PlaygroundArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', default: '7474' },
      host: { type: 'string', default: '127.0.0.1' },
      provider: { type: 'string', default: 'auto' },
      attach: { type: 'boolean', default: false },
      source: { type: 'string', default: 'mysql' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
      scenarios: { type: 'string' },
      'ab-scenario': { type: 'string', default: 'playground-backlog' },
      grafana: { type: 'string' },
      prometheus: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  // `--attach` takes an optional file: a positional right after it.
  if (positionals.length > 1 || (positionals.length === 1 && !values.attach)) throw new Error(`unexpected argument "${positionals.at(-1)}"`);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new Error(`--port must be a port number (0 for any free one), got "${values.port}"`);
  if (!['native', 'testcontainers', 'auto'].includes(values.provider!)) throw new Error(`--provider must be native, testcontainers or auto, got "${values.provider}"`);
  if (values.source !== 'mysql' && values.source !== 'postgres') throw new Error(`--source must be mysql or postgres, got "${values.source}"`);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.seed!)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const grafana = values.grafana ?? env.TIDEMARK_GRAFANA_URL;
  const prometheus = values.prometheus ?? env.TIDEMARK_PROMETHEUS_URL;
  return {
    port, host: values.host!, provider: values.provider as ProviderChoice,
    attach: values.attach ? (positionals[0] ?? env.TIDEMARK_INFRA_STATE ?? cachePaths().stateFile) : null,
    source: values.source, seed,
    dataDir: values['data-dir'] ?? join(REPO_ROOT, 'out', 'playground'),
    scenariosDir: values.scenarios ?? SCENARIOS_DIR,
    abScenario: values['ab-scenario']!,
    ...(grafana ? { grafana } : {}), ...(prometheus ? { prometheus } : {}),
    help: values.help!,
  };
}

/** `tidemark-chaos playground` */
export async function playgroundCommand(argv: string[]): Promise<number> {
  let args: PlaygroundArgs;
  try {
    args = parsePlaygroundArgs(argv);
  } catch (e) {
    console.error(`tidemark-chaos playground: ${(e as Error).message}\n\n${PLAYGROUND_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(PLAYGROUND_USAGE);
    return 0;
  }
  const token = isLoopback(args.host) ? null : (process.env.TIDEMARK_PLAYGROUND_TOKEN || newToken());
  const playground = new Playground({
    provider: args.provider, attach: args.attach, dataDir: args.dataDir, scenariosDir: args.scenariosDir, source: args.source, seed: args.seed, abScenario: args.abScenario,
    links: { ...(args.grafana ? { grafana: args.grafana } : {}), ...(args.prometheus ? { prometheus: args.prometheus } : {}) },
    log: (line) => console.log(`  ${line}`),
  });
  const server = await buildServer({ playground, token });
  try {
    await server.listen({ host: args.host, port: args.port });
  } catch (e) {
    console.error(`tidemark-chaos playground: cannot listen on ${args.host}:${args.port}: ${(e as Error).message}${(e as { code?: string }).code === 'EADDRINUSE' ? ' (choose another --port)' : ''}`);
    await playground.close();
    return 1;
  }
  const bound = server.server.address();
  const port = bound && typeof bound === 'object' ? bound.port : args.port;
  const shownHost = args.host === '0.0.0.0' || args.host === '::' ? '127.0.0.1' : args.host.includes(':') ? `[${args.host}]` : args.host;
  console.log(`playground: http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`);
  if (token) console.log(`listening on ${args.host}:${port}; every request needs the token above (header Authorization: Bearer <token>, or open the URL once)`);

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(130); // second Ctrl-C: servers and engine die with us (pdeathsig)
      stopping = true;
      console.log(`\n${sig}: stopping the engine and the servers (Ctrl-C again to quit at once)`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });
  void playground.start();
  await stopped;
  playground.hub.close();
  await server.close().catch(() => undefined);
  await playground.close();
  console.log('playground stopped.');
  // Servers still coming up when the signal came are not ours to wait for: leaving now kills them
  // (the process registry's exit hook, and their parent-death signal).
  process.exit(0);
}
