import { access, realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../../exec.js';
import { kafkaJarsPresent } from '../../setup/kafka-jars.js';
import { registryPresent } from '../../setup/schema-registry-build.js';
import type { SetupContext } from '../../setup/setup-step.js';
import { toxiproxyPresent } from '../../setup/toxiproxy-binary.js';
import type { HostArtefact } from '../catalog.js';
import { ensureNatsBinary } from './go-binaries.js';

/** One host file or directory put into a build context under `name`. */
export interface StagedFile {
  readonly name: string;
  readonly source: string;
}

const SETUP_HINT = 'run `npx tidemark-chaos setup` first';

/**
 * The host's Node runtime (binary, npm, headers, trusted CAs) for the local node:20 stand-in: Debian bookworm
 * ships Node 18, and this is the Node the project's own tests run on, so no download is needed.
 */
async function nodeRuntime(): Promise<StagedFile[]> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new Error(`the local node image copies this machine's Node, which is ${process.version}; Node 20 or newer is required`);
  const node = await realpath(process.execPath);
  const prefix = dirname(dirname(node));
  const npm = join(prefix, 'lib', 'node_modules', 'npm');
  const include = join(prefix, 'include', 'node');
  for (const [what, path] of [['npm', npm], ['Node headers', include]] as const) {
    await access(path).catch(() => {
      throw new Error(`${what} not found at ${path} (next to ${node}); the local node image needs a Node installed with its npm and headers`);
    });
  }
  return [{ name: 'node', source: node }, { name: 'npm', source: npm }, { name: 'include', source: include }, { name: 'host-ca.crt', source: await hostCaBundle() }];
}

/**
 * The certificates this machine trusts, so that npm inside the engine build trusts what npm on
 * the host does: where a TLS-inspecting proxy stands between the machine and the registry, its
 * CA is only in the host's bundle.
 */
async function hostCaBundle(): Promise<string> {
  for (const candidate of [process.env.NODE_EXTRA_CA_CERTS, process.env.SSL_CERT_FILE, '/etc/ssl/certs/ca-certificates.crt']) {
    if (candidate && (await access(candidate).then(() => true, () => false))) return realpath(candidate);
  }
  throw new Error('no CA bundle found (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or /etc/ssl/certs/ca-certificates.crt): install ca-certificates');
}

/** Resolves (and for NATS, builds) the host artefacts an image recipe needs. */
export async function hostArtefacts(kind: HostArtefact, ctx: SetupContext): Promise<StagedFile[]> {
  switch (kind) {
    case 'node-runtime':
      return nodeRuntime();
    case 'kafka-libs':
      if (!(await kafkaJarsPresent(ctx))) throw new Error(`Kafka jars not in ${ctx.paths.kafkaLibs}: ${SETUP_HINT}`);
      return [{ name: 'libs', source: ctx.paths.kafkaLibs }];
    case 'registry-app':
      // Quarkus' thin runner jar finds its dependencies through its manifest, in lib/ beside it.
      if (!(await registryPresent(ctx))) throw new Error(`Apicurio Registry not built in ${ctx.paths.registryDir}: ${SETUP_HINT}`);
      return [
        { name: 'apicurio-registry-runner.jar', source: ctx.paths.registryJar },
        { name: 'lib', source: join(dirname(ctx.paths.registryJar), 'lib') },
      ];
    case 'toxiproxy-binary':
      if (!(await toxiproxyPresent(ctx))) throw new Error(`toxiproxy-server not in ${ctx.paths.binDir}: ${SETUP_HINT}`);
      return [{ name: 'toxiproxy-server', source: ctx.paths.toxiproxyBinary }];
    case 'nats-binary':
      return [{ name: 'nats-server', source: await ensureNatsBinary(ctx) }];
  }
}

/** Hard-links each artefact into the context (no copy of hundreds of MB); copies across filesystems. */
export async function stageFiles(files: readonly StagedFile[], contextDir: string): Promise<void> {
  for (const file of files) {
    const target = join(contextDir, file.name);
    const linked = await runCommand('cp', ['-al', file.source, target]);
    if (linked.code === 0) continue;
    await rm(target, { recursive: true, force: true });
    const copied = await runCommand('cp', ['-a', file.source, target]);
    if (copied.code !== 0) throw new Error(`cannot stage ${file.source} into ${contextDir}: ${copied.output}`);
  }
}
