import { KAFKA_TEMPLATE_KEY, mariadbTemplateKey, postgresTemplateKey } from '../native/template-keys.js';
import { templateReady } from '../native/template-store.js';
import type { SetupStep } from './setup-step.js';

/**
 * Pre-builds the MariaDB, Postgres and Kafka template data dirs, so the first test run does not
 * pay install-db/initdb/storage-format. The providers build them lazily too if they are missing.
 */
export const templatesStep: SetupStep = {
  title: 'template data dirs (MariaDB, PostgreSQL, Kafka KRaft)',
  async check(ctx) {
    const keys = [await mariadbTemplateKey(), await postgresTemplateKey(), KAFKA_TEMPLATE_KEY];
    const ready = await Promise.all(keys.map((key) => templateReady(ctx.paths.templatesDir, key)));
    return ready.every(Boolean) ? keys.join(', ') : undefined;
  },
  async run(ctx) {
    // Loaded only when there is work: the builders pull in every database client.
    const [{ mariadbTemplate }, { postgresTemplate }, { kafkaTemplate }] = await Promise.all([
      import('../native/mariadb.js'),
      import('../native/postgres.js'),
      import('../native/kafka.js'),
    ]);
    ctx.progress('MariaDB: mariadb-install-db + users');
    await mariadbTemplate(ctx.paths.templatesDir);
    ctx.progress('PostgreSQL: initdb + database');
    await postgresTemplate(ctx.paths.templatesDir);
    ctx.progress('Kafka: kafka.tools.StorageTool format');
    await kafkaTemplate(ctx.paths);
    return ctx.paths.templatesDir;
  },
};
