import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KAFKA_VERSION } from '../versions.js';
import { mariadbd, postgresBinDir } from './binaries.js';

/**
 * Cache keys of the template data dirs: the server version plus a revision to bump whenever
 * what a template contains changes, so stale cached templates are not reused. Kept apart from
 * the template builders so `setup`'s cheap check does not load every client library.
 */
const REVISION = { mariadb: 1, postgres: 1, kafka: 1 } as const;

export async function mariadbTemplateKey(): Promise<string> {
  const { stdout } = await promisify(execFile)(await mariadbd(), ['--version']);
  const version = /Ver\s+(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? 'unknown';
  return `mariadb-${version}-r${REVISION.mariadb}`;
}

export async function postgresTemplateKey(): Promise<string> {
  return `postgres-${(await postgresBinDir()).split('/').at(-2)}-r${REVISION.postgres}`;
}

export const KAFKA_TEMPLATE_KEY = `kafka-${KAFKA_VERSION}-r${REVISION.kafka}`;
