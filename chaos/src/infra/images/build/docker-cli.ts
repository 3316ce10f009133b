import { runChecked, runCommand, whichBinary, type RunOptions } from '../../exec.js';

/**
 * The `docker` command line, for what the Engine API makes awkward: builds from a directory with
 * a streamed log, and `import` of a root filesystem. The legacy builder needs no registry for its
 * frontend (BuildKit would pull docker/dockerfile), which is what machines without one need.
 */
export const LABEL_RECIPE = 'dev.tidemark.recipe';

const buildEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, DOCKER_BUILDKIT: '0' });

export async function dockerCli(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = await whichBinary('docker', env);
  if (!found) throw new Error('the docker command is not on PATH: install it (apt-get install -y docker.io) and start the engine (dockerd)');
  return found;
}

/** The recipe hash an image was built from, or undefined when the image does not exist. */
export async function builtRecipe(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const result = await runCommand(await dockerCli(env), ['image', 'inspect', '--format', `{{ index .Config.Labels "${LABEL_RECIPE}" }}`, ref], { env });
  return result.code === 0 ? result.output.trim() : undefined;
}

/** Image id and size in bytes, or undefined when it does not exist. */
export async function imageFacts(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<{ id: string; bytes: number } | undefined> {
  const result = await runCommand(await dockerCli(env), ['image', 'inspect', '--format', '{{.Id}} {{.Size}}', ref], { env });
  if (result.code !== 0) return undefined;
  const [id = '', size = '0'] = result.output.trim().split(' ');
  return { id, bytes: Number(size) };
}

export interface BuildSpec {
  readonly tag: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export async function dockerBuild(spec: BuildSpec, options: RunOptions = {}): Promise<void> {
  const env = buildEnv(options.env ?? process.env);
  const args = [
    // --force-rm: a failed step's container is removed too, so a failed build leaves nothing behind.
    'build', '--force-rm', '--tag', spec.tag, '--file', spec.dockerfile,
    ...Object.entries(spec.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(spec.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    spec.context,
  ];
  await runChecked(await dockerCli(env), args, { ...options, env });
}

/** `tar -C rootfs -c . | docker import` with Dockerfile-style changes (ENV, CMD, LABEL). */
export async function dockerImport(rootfs: string, tag: string, changes: readonly string[], options: RunOptions = {}): Promise<void> {
  const docker = await dockerCli(options.env);
  const quoted = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = `tar -C ${quoted(rootfs)} -c . | ${quoted(docker)} import ${changes.map((c) => `--change ${quoted(c)}`).join(' ')} - ${quoted(tag)}`;
  await runChecked('bash', ['-o', 'pipefail', '-c', script], options);
}
