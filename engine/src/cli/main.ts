import { parseArgs } from 'node:util';
import { ConfigError, loadPipelines } from '../config/index.js';
import { isTidemarkError } from '../errors/index.js';
import { runCommand } from './run.js';
import { summarize } from './summary.js';

const USAGE = `Usage:
  tidemark run [--config <file|dir>] [--data-dir <dir>] [--checkpoints sqlite|file|memory] [--log-level <level>]
               [--api-addr <host:port>] [--metrics-addr <host:port>] [--api-token <token>] [--summary-interval <s>]
  tidemark validate --config <file|dir>

  --config            a pipeline YAML file, a multi-document file, or a directory of them
                      (optional for run: pipelines created through the API are restored from --data-dir)
  --data-dir          where checkpoints, API-created pipelines and the DLQ live (default ./.tidemark)
  --checkpoints       checkpoint store (default sqlite)
  --log-level         fatal, error, warn, info (default), debug, trace
  --api-addr          REST API address (default 127.0.0.1:8080; env TIDEMARK_API_ADDR)
  --metrics-addr      Prometheus /metrics address (default 127.0.0.1:9000; the API address serves it there)
  --api-token         bearer token required by every route but /health and /ready (env TIDEMARK_API_TOKEN)
  --summary-interval  seconds between per-pipeline summary log lines (default 30, 0 disables)`;

/** Entry point of the `tidemark` binary; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === 'version') {
    console.log('tidemark 0.1.0');
    return 0;
  }
  switch (command) {
    case 'validate':
      return validate(rest);
    case 'run':
      return runCommand(rest, USAGE);
    default:
      console.error(`tidemark: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

function validate(args: string[]): number {
  let config: string | undefined;
  try {
    ({ values: { config } } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true }));
  } catch (e) {
    console.error(`tidemark validate: ${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (!config) {
    console.error(`tidemark validate: --config is required\n\n${USAGE}`);
    return 1;
  }
  try {
    console.log(summarize(loadPipelines(config)));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(`${p.file}: ${p.path}: ${p.reason}`);
      console.error(`\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found (${e.code})`);
      return 1;
    }
    console.error(isTidemarkError(e) ? `${e.code}: ${e.message}` : String(e));
    return 1;
  }
}
