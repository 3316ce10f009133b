import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CachePaths } from '../cache-paths.js';
import { whichBinary } from '../exec.js';
import { kafkaJarsPresent } from '../setup/kafka-jars.js';
import { registryPresent } from '../setup/schema-registry-build.js';
import { toxiproxyPresent } from '../setup/toxiproxy-binary.js';

const SETUP_HINT = 'run `npx tidemark-chaos setup`';
/** Debian puts server daemons in sbin, which is not always on a non-root PATH. */
const SEARCH_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin:/sbin`;

async function required(name: string, what: string): Promise<string> {
  const found = await whichBinary(name, { PATH: SEARCH_PATH });
  if (!found) throw new Error(`${what} not found (${name} is not on PATH): ${SETUP_HINT}`);
  return found;
}

export const mariadbd = (): Promise<string> => required('mariadbd', 'MariaDB server');
export const mariadbInstallDb = (): Promise<string> => required('mariadb-install-db', 'MariaDB install-db');
export const redisServer = (): Promise<string> => required('redis-server', 'Redis server');
export const natsServer = (): Promise<string> => required('nats-server', 'NATS server');
export const java = (): Promise<string> => required('java', 'Java runtime (for Kafka)');

/** Newest PostgreSQL under /usr/lib/postgresql (Debian layout), or $TIDEMARK_PG_BIN. */
export async function postgresBinDir(): Promise<string> {
  if (process.env.TIDEMARK_PG_BIN) return process.env.TIDEMARK_PG_BIN;
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const newest = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL server not found in /usr/lib/postgresql: ${SETUP_HINT} (or set TIDEMARK_PG_BIN)`);
  return join('/usr/lib/postgresql', newest, 'bin');
}

export async function kafkaLibs(paths: CachePaths): Promise<string> {
  if (!(await kafkaJarsPresent({ paths }))) throw new Error(`Kafka jars not found in ${paths.kafkaLibs}: ${SETUP_HINT}`);
  return paths.kafkaLibs;
}

export async function registryJar(paths: CachePaths): Promise<string> {
  if (!(await registryPresent({ paths }))) throw new Error(`Apicurio Registry not built in ${paths.registryDir}: ${SETUP_HINT}`);
  return paths.registryJar;
}

export async function toxiproxyServer(paths: CachePaths): Promise<string> {
  if (!(await toxiproxyPresent({ paths }))) throw new Error(`toxiproxy-server not found in ${paths.binDir}: ${SETUP_HINT}`);
  return paths.toxiproxyBinary;
}

/** uid/gid of a local user, read from /etc/passwd (Postgres must not run as root). */
export async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').map((line) => line.split(':')).find((fields) => fields[0] === name);
  if (!entry) throw new Error(`user "${name}" not found: the postgresql package creates it; ${SETUP_HINT}`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** When we are root, who Postgres runs as; otherwise it runs as ourselves. */
export async function postgresRunAs(): Promise<{ uid: number; gid: number } | undefined> {
  return process.getuid?.() === 0 ? userIds('postgres') : undefined;
}
