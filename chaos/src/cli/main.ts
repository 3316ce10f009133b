type Command = (argv: string[]) => Promise<number>;

/**
 * Subcommands of `tidemark-chaos`. Each parses its own flags with node:util parseArgs and is
 * loaded on demand, so `setup` does not pay for every client library `infra` needs.
 * The scenario runner plugs in here as `run` (see DESIGN.md §2, chaos/src/runner).
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  setup: { load: async () => (await import('./setup-command.js')).setupCommand, summary: 'install servers, Kafka jars and Toxiproxy into the cache (idempotent)' },
  infra: { load: async () => (await import('./infra-command.js')).infraCommand, summary: 'infra up|down|status: run the topology behind Toxiproxy' },
  images: { load: async () => (await import('./images-command.js')).imagesCommand, summary: 'images build|list|env: local container images for the testcontainers provider' },
  run: { load: async () => (await import('./run-command.js')).runCommand, summary: 'run chaos scenarios: --scenario <name|all|random|file.yaml> (see run --help)' },
  playground: { load: async () => (await import('../playground/cli.js')).playgroundCommand, summary: 'explore faults in a web UI: services, faults, live charts, scenario runs (see playground --help)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: tidemark-chaos <command> [options]   (tidemark-chaos <command> --help for details)\n\n${lines.join('\n')}`;
}

/** Entry point used by bin/tidemark-chaos.js; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
}
