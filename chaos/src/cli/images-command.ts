import { parseArgs } from 'node:util';
import { IMAGE_CATALOG, imageEnvVar, type ImageKey } from '../infra/images/catalog.js';
import { buildImages } from '../infra/images/build/build-images.js';
import { builtRecipe, imageFacts } from '../infra/images/build/docker-cli.js';
import { renderTable } from './table.js';

export const IMAGES_USAGE = `usage: tidemark-chaos images build|list|env [options]

  build    build the local images (from this machine's Debian mirror, Maven jars and Go
           toolchain; no image registry needed), each only when its recipe changed
  list     every image: official name, local name, whether the local one is built, its size
  env      print TIDEMARK_IMAGE_<KEY>=... lines for docker-compose.chaos.yml
           (e.g. npx tidemark-chaos images env --images local > .env)

options:
  --only a,b        build: only these images (and what they are built from): ${[...IMAGE_CATALOG.keys()].join(', ')}
  --force           build: rebuild even when the recipe hash matches
  --images set      env: local | official (default local)
  --verbose         build: show every line of the builds
  --json            list: JSON instead of a table`;

function parseKeys(value: string | undefined): ImageKey[] | undefined {
  if (value === undefined) return undefined;
  const keys = value.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = keys.filter((k) => !IMAGE_CATALOG.has(k as ImageKey));
  if (unknown.length > 0) throw new Error(`unknown image ${unknown.join(', ')}; known: ${[...IMAGE_CATALOG.keys()].join(', ')}`);
  return keys as ImageKey[];
}

async function listImages(json: boolean): Promise<number> {
  const rows = await Promise.all(
    [...IMAGE_CATALOG.values()].map(async (e) => {
      const facts = await imageFacts(e.local).catch(() => undefined);
      const recipe = facts ? await builtRecipe(e.local) : undefined;
      return { key: e.key, title: e.title, official: e.official, local: e.local, built: facts !== undefined, megabytes: facts ? Math.round(facts.bytes / 1e6) : null, recipe: recipe ?? null };
    }),
  );
  if (json) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log(renderTable([
      ['image', 'official', 'local', 'built', 'size'],
      ...rows.map((r) => [r.key, r.official ?? '-', r.local, r.built ? `yes (${r.recipe})` : 'no', r.megabytes === null ? '-' : `${r.megabytes} MB`]),
    ]));
  }
  return 0;
}

/** Lines for compose's .env: every service image of the chosen set. */
export function composeEnv(set: 'local' | 'official'): string {
  const lines = [...IMAGE_CATALOG.values()]
    .filter((e) => e.official !== null)
    .map((e) => `${imageEnvVar(e.key)}=${set === 'local' ? e.local : e.official}`);
  return `# docker-compose.chaos.yml images (${set}), from chaos/src/infra/images/catalog.ts\nCOMPOSE_PROJECT_NAME=tidemark-chaos\n${lines.join('\n')}\n`;
}

/** `tidemark-chaos images build|list|env` */
export async function imagesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      force: { type: 'boolean', default: false },
      images: { type: 'string', default: 'local' },
      verbose: { type: 'boolean', short: 'v', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action] = positionals;
  if (values.help || action === undefined) {
    console.log(IMAGES_USAGE);
    return values.help ? 0 : 2;
  }
  try {
    switch (action) {
      case 'build': {
        const only = parseKeys(values.only);
        const report = await buildImages({ ...(only ? { only } : {}), force: values.force ?? false, verbose: values.verbose ?? false });
        return report.ok ? 0 : 1;
      }
      case 'list':
        return await listImages(values.json ?? false);
      case 'env': {
        if (values.images !== 'local' && values.images !== 'official') throw new Error(`--images must be local or official, got "${values.images}"`);
        process.stdout.write(composeEnv(values.images));
        return 0;
      }
      default:
        console.error(`unknown images action "${action}"\n\n${IMAGES_USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`tidemark-chaos images: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
