import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../exec.js';
import { allocatePort } from '../ports.js';
import { probePostgres } from '../probes.js';
import { ManagedProcess, type LaunchSpec } from '../process/managed-process.js';
import { waitUntilReady } from '../readiness.js';
import { promotePostgres, waitStandbyStreaming } from '../replication.js';
import type { Credentials, Endpoint, ServiceInfo } from '../types.js';
import { postgresBinDir, postgresRunAs } from './binaries.js';
import type { ServerRecipe } from './native-service.js';
import { pgRun } from './sql-clients.js';
import { copyFromTemplate, ensureTemplate } from './template-store.js';
import { postgresTemplateKey } from './template-keys.js';

/** Trust auth on 127.0.0.1 (initdb --auth=trust), so the password is ignored. */
export const POSTGRES_SUPERUSER: Credentials = { user: 'postgres', password: 'postgres', database: 'tidemark' };

type RunAs = { uid: number; gid: number } | undefined;

/**
 * Settings of every Postgres in a topology, native or in a container: logical decoding for CDC,
 * room for many slots/senders, a standby that serves reads, and WAL kept around so a standby or a
 * slow slot is not cut off. fsync=off only gives up durability against an OS crash; a SIGKILLed
 * postmaster loses nothing it acknowledged.
 */
export const POSTGRES_SETTINGS: Readonly<Record<string, string | number>> = {
  wal_level: 'logical',
  max_replication_slots: 20,
  max_wal_senders: 20,
  hot_standby: 'on',
  wal_keep_size: '256MB',
  wal_log_hints: 'on',
  fsync: 'off',
};

/** `-c name=value` pairs. */
export const settingFlags = (settings: Readonly<Record<string, string | number>>): string[] => Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);

/** postgres flags for a native server on 127.0.0.1 with its socket in its own dir. */
export function postgresArgs(dataDir: string, socketDir: string, port: number): string[] {
  return ['-D', dataDir, '-p', String(port), ...settingFlags({ listen_addresses: '127.0.0.1', unix_socket_directories: socketDir, ...POSTGRES_SETTINGS, logging_collector: 'off' })];
}

async function ownDir(dir: string, runAs: RunAs): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
}

/** initdb once (UTF8, C.UTF-8, trust on 127.0.0.1 incl. replication) plus a `tidemark` database. */
export async function postgresTemplate(templatesDir: string): Promise<string> {
  const bin = await postgresBinDir();
  const runAs = await postgresRunAs();
  return ensureTemplate(templatesDir, await postgresTemplateKey(), async (work) => {
    await ownDir(work, runAs);
    const dataDir = join(work, 'data');
    await runChecked(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], {
      ...runAs, cwd: work,
    });
    const port = await allocatePort();
    const proc = ManagedProcess.launch({ command: join(bin, 'postgres'), args: postgresArgs(dataDir, work, port), runAs, cwd: work, logFile: join(work, 'postgres.log') });
    try {
      const endpoint = { host: '127.0.0.1', port };
      await waitUntilReady(() => probePostgres(endpoint, POSTGRES_SUPERUSER), { what: 'Postgres template server', timeoutMs: 60_000, process: proc, logFile: join(work, 'postgres.log') });
      await pgRun(endpoint, POSTGRES_SUPERUSER, [`CREATE DATABASE ${POSTGRES_SUPERUSER.database}`]);
    } finally {
      await proc.terminate('SIGINT', 30_000);
    }
  });
}

export interface PostgresRecipeOptions {
  readonly info: ServiceInfo;
  readonly dir: string;
  readonly templatesDir: string;
  /** For a standby: the primary's direct endpoint, to pg_basebackup from and stream from. */
  readonly primary?: Endpoint;
}

export function postgresRecipe(options: PostgresRecipeOptions): ServerRecipe {
  const { info, dir, primary } = options;
  const dataDir = join(dir, 'data');
  let bin = '';
  let runAs: RunAs;
  return {
    info,
    logFile: join(dir, 'postgres.log'),
    stopSignal: 'SIGINT',
    readyTimeoutMs: 60_000,
    async prepare() {
      bin = await postgresBinDir();
      runAs = await postgresRunAs();
      await ownDir(dir, runAs);
      if (!primary) {
        await copyFromTemplate(await postgresTemplate(options.templatesDir), 'data', dataDir);
        return;
      }
      // -R writes standby.signal + primary_conninfo; HOME keeps the conninfo's passfile out of /root.
      await runChecked(
        join(bin, 'pg_basebackup'),
        ['-h', primary.host, '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
        { ...runAs, cwd: dir, env: { ...process.env, HOME: dir } },
      );
    },
    launchSpec(): LaunchSpec {
      return { command: join(bin, 'postgres'), args: postgresArgs(dataDir, dir, info.direct.port), runAs, cwd: dir, logFile: join(dir, 'postgres.log') };
    },
    probe: () => probePostgres(info.direct, POSTGRES_SUPERUSER),
    async afterFirstStart() {
      if (primary) await waitStandbyStreaming(primary, info.name, join(dir, 'postgres.log'));
    },
    promote: () => promotePostgres(info.direct, info.name),
  };
}
