import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_LOG4J_PROPERTIES, kafkaSettings } from '../../../../chaos/src/infra/native/kafka-config.js';
import { mariadbArgs } from '../../../../chaos/src/infra/native/mariadb.js';
import { MARIADB_TEMPLATE_SQL, mariadbFollowSql } from '../../../../chaos/src/infra/native/mariadb-sql.js';
import { CONTAINER_SCRIPTS_DIR } from '../../../../chaos/src/infra/repo-paths.js';
import { loadContainerScripts } from '../../../../chaos/src/infra/testcontainers/container-scripts.js';
import { kafkaEnv } from '../../../../chaos/src/infra/testcontainers/container-specs.js';
import { mysql8FollowSql } from '../../../../chaos/src/infra/testcontainers/mysql8-sql.js';

/**
 * docker/scripts are shell, shared by the testcontainers provider and docker-compose.chaos.yml;
 * they must run the servers as the native provider does. What can drift is checked here.
 */
describe('container entry scripts (docker/scripts)', async () => {
  const scripts = await loadContainerScripts();

  it('run MariaDB with every replication and durability flag of the native provider', () => {
    const local = new Set(['--no-defaults', '--user=root', '--bind-address=127.0.0.1', '--read-only=1']);
    const flags = mariadbArgs({ dir: '/d', port: 1, serverId: 1, readOnly: false })
      .filter((f) => !local.has(f) && !/^--(datadir|socket|pid-file|log-error|port|server-id)=/.test(f));
    expect(flags.length).toBeGreaterThan(15);
    for (const flag of flags) expect(scripts['mysql-server.sh'], flag).toContain(flag);
  });

  it('create the same accounts and database as the native template, without binlogging them', () => {
    const sql = scripts['mysql-init.sql'];
    expect(sql).toMatch(/^SET SESSION sql_log_bin = 0;$/m);
    for (const statement of MARIADB_TEMPLATE_SQL) expect(sql, statement).toContain(`${statement};`);
  });

  it('follow the primary (compose one-shot) with the SQL the provider uses, in both dialects', async () => {
    const follow = await readFile(join(CONTAINER_SCRIPTS_DIR, 'mysql-follow.sh'), 'utf8');
    expect(follow).toContain(mariadbFollowSql({ host: '$PRIMARY_HOST', port: 3306 })[0]);
    expect(follow).toContain(mysql8FollowSql('$PRIMARY_HOST', 3306)[0]);
  });

  describe('kafka-server.sh', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kafka-script-'));
      // A stand-in `java` that records how it was called and the config it was given.
      await writeFile(join(dir, 'java'), `#!/bin/sh\necho "$*" >> "${dir}/calls"\nfor a; do last=$a; done\ncp "$last" "${dir}/seen.properties" 2>/dev/null || true\n`);
      await chmod(join(dir, 'java'), 0o755);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('turns KAFKA_CFG_* back into the broker settings, formats the log dir, then starts the broker', async () => {
      const settings = kafkaSettings(
        {
          proxied: { bind: '0.0.0.0:9092', advertised: '127.0.0.1:22005' },
          direct: { bind: '0.0.0.0:21005', advertised: '127.0.0.1:21005' },
          controller: { bind: '0.0.0.0:9093', voter: 'localhost:9093' },
        },
        join(dir, 'data'),
      );
      const env = { PATH: `${dir}:/usr/bin:/bin`, TMPDIR: dir, CLUSTER_ID: 'abc', ...kafkaEnv(settings) };
      await promisify(execFile)('sh', [join(CONTAINER_SCRIPTS_DIR, 'kafka-server.sh')], { env });
      const seen = Object.fromEntries(
        (await readFile(join(dir, 'seen.properties'), 'utf8')).trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(seen).toEqual(settings);
      const calls = (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n');
      expect(calls[0]).toMatch(/kafka\.tools\.StorageTool format -t abc -c .*server\.properties --ignore-formatted$/);
      expect(calls[1]).toMatch(/-cp \/opt\/kafka\/libs\/\* kafka\.Kafka .*server\.properties$/);
      expect(await readFile(join(dir, 'tidemark-kafka', 'log4j.properties'), 'utf8')).toBe(KAFKA_LOG4J_PROPERTIES);
    });
  });
});
