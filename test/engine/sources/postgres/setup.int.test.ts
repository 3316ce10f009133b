import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TidemarkError } from '../../../../engine/src/errors/index.js';
import { createLogger } from '../../../../engine/src/logging/logger.js';
import { cleanup, runPipeline, slotRow, sourceConfig, startPostgres, uniqueName, waitFor, type PgFixture } from './harness.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

async function startFailure(config: Parameters<typeof runPipeline>[0]): Promise<TidemarkError> {
  try {
    const run = await runPipeline(config);
    await run.stop();
  } catch (e) {
    return e as TidemarkError;
  }
  throw new Error('the pipeline started');
}

describe('postgres source: setup and preflight', () => {
  it('creates a missing publication and slot and says so in the log', async () => {
    const t = uniqueName('fresh');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const lines: Array<{ msg: string; slot?: string; publication?: string }> = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as (typeof lines)[number]);
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const run = await runPipeline(config, { logger });
    try {
      expect(lines.find((l) => l.msg === `created publication ${config.publication}`)).toBeDefined();
      expect(lines.find((l) => l.msg === `created replication slot ${config.slot}`)).toBeDefined();
      expect(JSON.stringify(lines)).not.toContain(':postgres@');
      const published = await pg.sql('SELECT tablename FROM pg_publication_tables WHERE pubname = $1', [config.publication]);
      expect(published.map((r) => r.tablename)).toEqual([t]);
      await waitFor(async () => ((await slotRow(pg, config.slot))?.active ? true : undefined));
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });

  it('stops cleanly right after starting, while the stream is still connecting', async () => {
    const t = uniqueName('quickstop');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const run = await runPipeline(config);
    const stopped = run.stop().then(() => 'stopped');
    expect(await Promise.race([stopped, new Promise((r) => setTimeout(() => r('hung'), 10_000))])).toBe('stopped');
    await waitFor(async () => ((await slotRow(pg, config.slot))?.active === false ? true : undefined));
    await cleanup(pg, config);
  });

  it('fails clearly without the REPLICATION privilege, without tables, or when told not to create things', async () => {
    const t = uniqueName('guarded');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    await pg.sql(`CREATE ROLE ${t}_user LOGIN PASSWORD 'secret-pw'; GRANT SELECT ON ${t} TO ${t}_user`);
    const info = pg.topology.get('postgres').info().proxied;
    const noReplication = sourceConfig(pg, { tables: [t], dsn: `host=${info.host} port=${info.port} user=${t}_user password=secret-pw dbname=tidemark` });
    const e1 = await startFailure(noReplication);
    expect([e1.code, e1.kind]).toEqual(['TIDEMARK_ERR_SOURCE_AUTH', 'non-retryable']);
    expect(e1.message).toMatch(new RegExp(`user ${t}_user lacks the REPLICATION privilege; run ALTER ROLE ${t}_user REPLICATION`));
    expect(e1.message).not.toContain('secret-pw');

    const e2 = await startFailure(sourceConfig(pg, { tables: ['public.no_such_table_%'] }));
    expect(e2.code).toBe('TIDEMARK_ERR_SOURCE_TABLE_MISSING');
    expect(e2.message).toMatch(/no table matches \["public.no_such_table_%"\]/);

    const noPublication = sourceConfig(pg, { tables: [t], create_publication: false });
    const e3 = await startFailure(noPublication);
    expect(e3.code).toBe('TIDEMARK_ERR_POSTGRES_PUBLICATION_MISSING');
    expect(e3.message).toContain(`CREATE PUBLICATION "${noPublication.publication}" FOR TABLE "public"."${t}"`);

    const noSlot = sourceConfig(pg, { tables: [t], create_slot: false });
    const e4 = await startFailure(noSlot);
    expect(e4.code).toBe('TIDEMARK_ERR_POSTGRES_SLOT_MISSING');
    expect(await slotRow(pg, noSlot.slot)).toBeUndefined();
    await cleanup(pg, noSlot);
  });

  it('honours start_position on an existing slot: earliest replays its backlog, latest skips it', async () => {
    const t = uniqueName('startpos');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const earliest = sourceConfig(pg, { tables: [t], start_position: 'earliest' });
    const latest = sourceConfig(pg, { tables: [t], start_position: 'latest' });
    for (const c of [earliest, latest]) {
      await pg.sql(`CREATE PUBLICATION "${c.publication}" FOR TABLE ${t}`);
      await pg.sql(`SELECT pg_create_logical_replication_slot('${c.slot}', 'pgoutput')`);
    }
    await pg.sql(`INSERT INTO ${t} VALUES (1), (2)`);
    const [a, b] = [await runPipeline(earliest), await runPipeline(latest)];
    try {
      await pg.sql(`INSERT INTO ${t} VALUES (3)`);
      const ea = await a.until((e) => e.length >= 3);
      const eb = await b.until((e) => e.length >= 1);
      expect(ea.map((e) => (e.after as { id: number }).id)).toEqual([1, 2, 3]);
      expect(eb.map((e) => (e.after as { id: number }).id)).toEqual([3]);
    } finally {
      await a.stop();
      await b.stop();
      await cleanup(pg, earliest);
      await cleanup(pg, latest);
    }
  });
});
