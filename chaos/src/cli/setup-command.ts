import { parseArgs } from 'node:util';
import { runSetup } from '../infra/setup/run-setup.js';

export const SETUP_USAGE = `usage: tidemark-chaos setup [--verbose]

Installs what the native provider needs, idempotently, into $TIDEMARK_CACHE (default ~/.cache/tidemark):
Debian packages (mariadb-server, postgresql, redis-server, nats-server, a JDK if java is absent),
Kafka jars from Maven Central, toxiproxy-server via go install, and template data dirs.
Never starts system services. A second run only checks markers.`;

/** `tidemark-chaos setup` */
export async function setupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(SETUP_USAGE);
    return 0;
  }
  const report = await runSetup({ verbose: values.verbose ?? false });
  return report.ok ? 0 : 1;
}
