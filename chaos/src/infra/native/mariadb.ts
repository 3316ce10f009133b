import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../exec.js';
import { allocatePort } from '../ports.js';
import { probeMysql } from '../probes.js';
import { ManagedProcess, type LaunchSpec } from '../process/managed-process.js';
import { waitUntilReady } from '../readiness.js';
import { waitMariadbReplicating } from '../replication.js';
import type { Endpoint, ServiceInfo } from '../types.js';
import { mariadbd, mariadbInstallDb } from './binaries.js';
import { MARIADB_PROMOTE_SQL, MARIADB_ROOT, MARIADB_TEMPLATE_SQL, mariadbFollowSql } from './mariadb-sql.js';
import type { ServerRecipe } from './native-service.js';
import { mysqlRun } from './sql-clients.js';
import { copyFromTemplate, ensureTemplate } from './template-store.js';
import { mariadbTemplateKey } from './template-keys.js';

const asRoot = (): string[] => (process.getuid?.() === 0 ? ['--user=root'] : []);

export interface MariadbLayout {
  readonly dir: string;
  readonly port: number;
  readonly serverId: number;
  readonly readOnly: boolean;
}

/**
 * mariadbd flags: `--no-defaults` so /etc/mysql is ignored; ROW/FULL binlog with GTIDs as a CDC
 * source needs; utf8mb4 (without it --no-defaults leaves latin1); and durability relaxed only
 * towards the OS (flush at commit to the page cache), which a SIGKILL cannot lose.
 */
export function mariadbArgs(layout: MariadbLayout): string[] {
  const { dir } = layout;
  return [
    '--no-defaults',
    ...asRoot(),
    `--datadir=${join(dir, 'data')}`,
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    `--port=${layout.port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    `--server-id=${layout.serverId}`,
    '--log-bin=mysql-bin',
    '--relay-log=relay-bin',
    '--binlog-format=ROW',
    '--binlog-row-image=FULL',
    '--binlog-row-metadata=FULL',
    '--gtid-domain-id=0',
    '--gtid-strict-mode=1',
    '--log-slave-updates=1',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=48M',
    '--innodb-flush-log-at-trx-commit=2',
    '--sync-binlog=0',
    '--performance-schema=OFF',
    ...(layout.readOnly ? ['--read-only=1'] : []),
  ];
}

/** install-db once, then create the CDC/replication users and the tidemark database with binlog off. */
export async function mariadbTemplate(templatesDir: string): Promise<string> {
  return ensureTemplate(templatesDir, await mariadbTemplateKey(), async (work) => {
    await runChecked(await mariadbInstallDb(), [
      '--no-defaults', ...asRoot(), `--datadir=${join(work, 'data')}`,
      '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve',
    ]);
    const port = await allocatePort();
    const args = mariadbArgs({ dir: work, port, serverId: 1, readOnly: false }).filter((a) => !a.startsWith('--log-bin'));
    const proc = ManagedProcess.launch({ command: await mariadbd(), args, logFile: join(work, 'stdout.log') });
    try {
      const endpoint = { host: '127.0.0.1', port };
      await waitUntilReady(() => probeMysql(endpoint, MARIADB_ROOT), { what: 'MariaDB template server', timeoutMs: 60_000, process: proc, logFile: join(work, 'error.log') });
      await mysqlRun(endpoint, MARIADB_ROOT, MARIADB_TEMPLATE_SQL);
    } finally {
      await proc.terminate('SIGTERM', 30_000);
    }
  });
}

export interface MariadbRecipeOptions {
  readonly info: ServiceInfo;
  readonly dir: string;
  readonly serverId: number;
  readonly templatesDir: string;
  /** For a replica: the primary's direct endpoint. */
  readonly primary?: Endpoint;
}

export function mariadbRecipe(options: MariadbRecipeOptions): ServerRecipe {
  const { info, dir, primary } = options;
  let promoted = false;
  let binary = '';
  return {
    info,
    logFile: join(dir, 'stdout.log'),
    extraLogFiles: [join(dir, 'error.log')],
    stopSignal: 'SIGTERM',
    readyTimeoutMs: 60_000,
    async prepare() {
      binary = await mariadbd();
      await mkdir(dir, { recursive: true });
      await copyFromTemplate(await mariadbTemplate(options.templatesDir), 'data', join(dir, 'data'));
    },
    launchSpec(): LaunchSpec {
      const readOnly = primary !== undefined && !promoted;
      return { command: binary, args: mariadbArgs({ dir, port: info.direct.port, serverId: options.serverId, readOnly }), logFile: join(dir, 'stdout.log') };
    },
    probe: () => probeMysql(info.direct, MARIADB_ROOT),
    async afterFirstStart() {
      if (!primary) return;
      await mysqlRun(info.direct, MARIADB_ROOT, mariadbFollowSql(primary));
      await waitMariadbReplicating(info.direct, info.name, join(dir, 'error.log'));
    },
    async promote() {
      await mysqlRun(info.direct, MARIADB_ROOT, MARIADB_PROMOTE_SQL);
      promoted = true;
    },
  };
}
