import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cachePaths, type CachePaths } from '../../cache-paths.js';
import { runChecked } from '../../exec.js';
import { IMAGE_RECIPES_DIR, REPO_ROOT } from '../../repo-paths.js';
import { throttledProgress } from '../../setup/run-setup.js';
import type { SetupContext } from '../../setup/setup-step.js';
import { IMAGE_CATALOG, imageEntry, type ImageEntry, type ImageKey } from '../catalog.js';
import { baseRecipeHash, buildBaseImage, debianMirror } from './base-image.js';
import { hostArtefacts, stageFiles, type StagedFile } from './context-files.js';
import { builtRecipe, dockerBuild, imageFacts, LABEL_RECIPE } from './docker-cli.js';
import { ENGINE_BUILD_INPUTS } from './engine-inputs.js';
import { contentLines, hashStrings, statLines } from './recipe-hash.js';

export interface BuildImagesOptions {
  /** Build only these (and whatever they are built from, when missing or stale). */
  readonly only?: readonly ImageKey[];
  /** Rebuild even when the recipe hash matches. */
  readonly force?: boolean;
  readonly paths?: CachePaths;
  readonly env?: NodeJS.ProcessEnv;
  readonly print?: (line: string) => void;
  readonly verbose?: boolean;
}

export interface ImageBuildResult {
  readonly key: ImageKey;
  readonly ref: string;
  readonly outcome: 'cached' | 'built' | 'failed';
  readonly ms: number;
  readonly hash?: string;
  readonly bytes?: number;
  readonly detail?: string;
}

export interface BuildImagesReport {
  readonly ok: boolean;
  readonly totalMs: number;
  readonly images: readonly ImageBuildResult[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** How long a build may stay silent before a heartbeat line says it is still working. */
const HEARTBEAT_MS = 20_000;
const megabytes = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;

/** The keys to build, parents before children (every recipe names the image it starts from). */
export function buildOrder(only?: readonly ImageKey[]): ImageKey[] {
  const wanted = new Set<ImageKey>(only ?? IMAGE_CATALOG.keys());
  for (const key of [...wanted]) {
    for (let recipe = imageEntry(key).recipe; recipe.kind !== 'debootstrap'; recipe = imageEntry(recipe.from).recipe) wanted.add(recipe.from);
  }
  const order: ImageKey[] = [];
  const visit = (key: ImageKey): void => {
    if (order.includes(key)) return;
    const { recipe } = imageEntry(key);
    if (recipe.kind !== 'debootstrap') visit(recipe.from);
    order.push(key);
  };
  for (const key of IMAGE_CATALOG.keys()) if (wanted.has(key)) visit(key);
  return order;
}

/** One image: its recipe hash, and how to build it. */
interface Plan {
  readonly hash: string;
  build(ctx: SetupContext): Promise<void>;
}

async function planImage(entry: ImageEntry, ctx: SetupContext, hashes: ReadonlyMap<ImageKey, string>): Promise<Plan> {
  const { recipe } = entry;
  const labels = { [LABEL_RECIPE]: '', 'dev.tidemark.image': entry.key };
  if (recipe.kind === 'debootstrap') {
    const hash = baseRecipeHash(await debianMirror());
    return { hash, build: (c) => buildBaseImage(entry.local, hash, c) };
  }
  const parent = imageEntry(recipe.from);
  const parentLine = `FROM ${parent.local} ${hashes.get(recipe.from) ?? '?'}`;
  if (recipe.kind === 'repo-dockerfile') {
    const hash = hashStrings([parentLine, ...(await contentLines(REPO_ROOT, ENGINE_BUILD_INPUTS))]);
    return {
      hash,
      build: (c) =>
        dockerBuild(
          { tag: entry.local, context: REPO_ROOT, dockerfile: join(REPO_ROOT, 'Dockerfile'), buildArgs: { NODE_IMAGE: parent.local }, labels: { ...labels, [LABEL_RECIPE]: hash } },
          { env: c.env, onLine: c.progress },
        ),
    };
  }
  const recipeDir = join(IMAGE_RECIPES_DIR, recipe.dir);
  const artefacts: StagedFile[] = recipe.hostFiles ? await hostArtefacts(recipe.hostFiles, ctx) : [];
  const artefactLines = (await Promise.all(artefacts.map(async (a) => (await statLines(a.source, ['.'])).map((l) => `${a.name}/${l}`)))).flat();
  const hash = hashStrings([parentLine, ...(await contentLines(recipeDir, ['.'])), ...artefactLines]);
  return {
    hash,
    async build(c) {
      const context = join(c.paths.root, 'images', 'context', entry.key);
      await rm(context, { recursive: true, force: true });
      await mkdir(context, { recursive: true });
      try {
        await runChecked('cp', ['-a', `${recipeDir}/.`, context]);
        await stageFiles(artefacts, context);
        await dockerBuild(
          { tag: entry.local, context, dockerfile: join(context, 'Dockerfile'), buildArgs: { BASE_IMAGE: parent.local }, labels: { ...labels, [LABEL_RECIPE]: hash } },
          { env: c.env, onLine: c.progress },
        );
      } finally {
        await rm(context, { recursive: true, force: true });
      }
    },
  };
}

/**
 * `tidemark-chaos images build`: builds the local images of the catalog, each only when its
 * recipe hash differs from the label of the image already there (so a second run takes
 * seconds). Stops at the first failure, since later images may be built from it.
 */
export async function buildImages(options: BuildImagesOptions = {}): Promise<BuildImagesReport> {
  const paths = options.paths ?? cachePaths();
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const order = buildOrder(options.only);
  const started = Date.now();
  const hashes = new Map<ImageKey, string>();
  const results: ImageBuildResult[] = [];
  print(`tidemark-chaos images build: ${order.join(', ')}`);
  for (const [index, key] of order.entries()) {
    const entry = imageEntry(key);
    const stepStarted = Date.now();
    const label = `[${index + 1}/${order.length}] ${key.padEnd(15)} ${entry.local}`;
    const throttled = throttledProgress(print, options.verbose ?? false, stepStarted);
    let announced = false;
    let lastLine = '';
    let lastShown = Date.now();
    // Planning may itself take a while (the NATS binary is compiled then): say which image it is for.
    const progress = (line: string): void => {
      if (!announced) print(`${label}: preparing…`);
      announced = true;
      if (line.trim()) lastLine = line.trim();
      throttled(line);
    };
    // Native compiles print nothing for minutes: a heartbeat with the build step in progress.
    const heartbeat = setInterval(() => {
      if (Date.now() - lastShown < HEARTBEAT_MS) return;
      lastShown = Date.now();
      if (announced) print(`      … ${seconds(Date.now() - stepStarted)}  still working (${(lastStep || lastLine).slice(0, 90)})`);
    }, 1000);
    let lastStep = '';
    const ctx: SetupContext = {
      paths,
      env,
      progress: (line) => {
        if (/^Step \d+\/\d+ :/.test(line)) lastStep = line;
        lastShown = Date.now();
        progress(line);
      },
    };
    try {
      const plan = await planImage(entry, ctx, hashes);
      hashes.set(key, plan.hash);
      if (!options.force && (await builtRecipe(entry.local, env)) === plan.hash) {
        const facts = await imageFacts(entry.local, env);
        results.push({ key, ref: entry.local, outcome: 'cached', ms: Date.now() - stepStarted, hash: plan.hash, ...(facts ? { bytes: facts.bytes } : {}) });
        print(`${label}: up to date (recipe ${plan.hash}${facts ? `, ${megabytes(facts.bytes)}` : ''})`);
        continue;
      }
      print(`${label}: building (recipe ${plan.hash})…`);
      announced = true;
      await plan.build(ctx);
      const facts = await imageFacts(entry.local, env);
      const ms = Date.now() - stepStarted;
      results.push({ key, ref: entry.local, outcome: 'built', ms, hash: plan.hash, ...(facts ? { bytes: facts.bytes } : {}) });
      print(`${label}: built in ${seconds(ms)}${facts ? `, ${megabytes(facts.bytes)}` : ''}`);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      results.push({ key, ref: entry.local, outcome: 'failed', ms: Date.now() - stepStarted, detail });
      print(`${label}: FAILED after ${seconds(Date.now() - stepStarted)}\n${detail}`);
      return { ok: false, totalMs: Date.now() - started, images: results };
    } finally {
      clearInterval(heartbeat);
    }
  }
  const totalMs = Date.now() - started;
  const built = results.filter((r) => r.outcome === 'built').length;
  print(`images ready in ${seconds(totalMs)} (${built} built, ${results.length - built} up to date)`);
  return { ok: true, totalMs, images: results };
}
