import { parseArgs } from 'node:util';
import { benchCoordinator } from './coordinator.js';
import { printResults, type BenchResult } from './report.js';

type Bench = (args: { events?: number }) => Promise<BenchResult[]>;

/** One line per benchmark; `npm run bench -- <name> [--events N]`. */
const BENCHES: Record<string, { run: Bench; about: string }> = {
  coordinator: { run: benchCoordinator, about: 'in-memory source -> coordinator -> null sink, batches of 2,000' },
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { events: { type: 'string' } } });
  const names = positionals.length > 0 ? positionals : [];
  if (names.length === 0 || names.some((n) => !BENCHES[n])) {
    const unknown = names.filter((n) => !BENCHES[n]);
    if (unknown.length) console.error(`unknown benchmark: ${unknown.join(', ')}`);
    console.error('usage: npm run bench -- <name...> [--events N]\n');
    for (const [name, b] of Object.entries(BENCHES)) console.error(`  ${name.padEnd(18)} ${b.about}`);
    return 1;
  }
  const events = values.events ? Number(values.events) : undefined;
  for (const name of names) {
    console.log(`# ${name}: ${BENCHES[name]!.about}`);
    printResults(await BENCHES[name]!.run({ events }));
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
