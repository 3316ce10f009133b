import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgOptions } from '../../../../chaos/src/infra/index.js';
import { createLogger } from '../../../../engine/src/logging/logger.js';
import { cleanup, runPipeline, sourceConfig, startPostgres, uniqueName, waitFor, type PgFixture } from './harness.js';

let fixture: PgFixture;
beforeAll(async () => {
  fixture = await startPostgres(['postgres', 'postgres-b']);
});
afterAll(async () => {
  await fixture?.stop();
});

/** A logger whose lines a test can read. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('postgres source: failover to a promoted standby (Postgres 15)', () => {
  it('halts with position lost by default, and with on_slot_lost: recreate continues on a new slot, logging the gap', async () => {
    const t = uniqueName('failover');
    await fixture.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const halt = sourceConfig(fixture, { tables: [t] });
    const recreate = sourceConfig(fixture, { tables: [t], on_slot_lost: 'recreate' });
    const log = capturingLogger();
    const a = await runPipeline(halt);
    const b = await runPipeline(recreate, { logger: log.logger });
    try {
      await fixture.sql(`INSERT INTO ${t} SELECT generate_series(1, 10)`);
      await Promise.all([a.until((e) => e.length >= 10), b.until((e) => e.length >= 10)]);
      // The standby has everything, then takes over; the proxy the engine uses now leads to it.
      const standby = fixture.topology.get('postgres-b');
      await waitFor(async () => ((await fixture.sql(`SELECT 1 FROM pg_stat_replication WHERE replay_lsn >= pg_current_wal_lsn()`)).length > 0 ? true : undefined));
      await standby.promote();
      await fixture.topology.toxiproxy.switchUpstream('postgres', standby.info().direct);

      await waitFor(() => (a.coordinator.state === 'failed' ? true : undefined), 30_000);
      const failure = a.coordinator.failure!;
      expect(failure.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
      expect(failure.kind).toBe('fatal');
      expect(failure.message).toMatch(/^position lost: replication slot "\w+" does not exist after the server moved from timeline 1 to 2 \(a standby was promoted: failover\); Postgres 15 does not carry logical slots to a standby\. .*Re-snapshot required/);

      // Recreate: a new slot on the new primary; what it commits from then on arrives, with a newer slot generation.
      await waitFor(() => (log.lines.some((l) => /on_slot_lost is recreate/.test(String(l.msg))) ? true : undefined), 30_000);
      const promoted = new pg.Client(pgOptions(standby.info(), 'direct'));
      await promoted.connect();
      try {
        await promoted.query(`INSERT INTO ${t} VALUES (11)`);
      } finally {
        await promoted.end();
      }
      const events = await b.until((e) => e.some((x) => (x.after as { id: number }).id === 11), 30_000);
      expect(events.at(-1)!.source.position).toMatchObject({ g: 1 });
      const gap = log.lines.find((l) => /on_slot_lost is recreate/.test(String(l.msg)))!;
      expect(gap.level).toBe('error');
      expect(String(gap.msg)).toMatch(/timeline 1 to 2.*were NOT captured/);
      expect(b.coordinator.state).toBe('running');
    } finally {
      await a.stop();
      await b.stop();
      await cleanup(fixture, halt);
      await cleanup(fixture, recreate);
    }
  }, 120_000);
});
