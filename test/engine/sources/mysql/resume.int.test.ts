import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { sinkCheckpointKey, SqliteCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import type { ChangeEvent, Position } from '../../../../engine/src/event/index.js';
import { comparePositions, type MysqlPosition } from '../../../../engine/src/sources/mysql/index.js';
import { MemorySink } from '../../../../engine/src/testing/index.js';
import { seededRandom } from '../../../../engine/src/util/backoff.js';
import { admin, cdcDsn, Run, startMariadb, until } from './harness.js';
import { deliveredHistory, dedupe, KeyedWriter } from './workload.js';

let topo: Topology;
let db: mysql.Connection;
const dirs: string[] = [];

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
});

afterAll(async () => {
  await db?.end();
  await topo?.down();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const compare = (a: Position, b: Position) => comparePositions(a as MysqlPosition, b as MysqlPosition);
const keyOf = (e: ChangeEvent) => `${e.source.table}|${e.tx.id}|${e.tx.index}`;

describe('mysql source resume (MariaDB)', () => {
  for (const mode of [
    { name: 'whole transactions', table: 'acc_tx', batch: { max_events: 7 }, txSize: [1, 4] },
    { name: 'batches cut inside transactions (respect_source_tx: false)', table: 'acc_split', batch: { max_events: 4, respect_source_tx: false }, txSize: [3, 6] },
  ]) {
    it(`resumes exactly after the reader is killed mid-stream: ${mode.name}`, async () => {
      const random = seededRandom(mode.table.length);
      await db.query(`CREATE TABLE ${mode.table} (id INT PRIMARY KEY, v INT NOT NULL)`);
      const dir = mkdtempSync(join(tmpdir(), 'tidemark-mysql-resume-'));
      dirs.push(dir);
      const backend = new SqliteCheckpointBackend(join(dir, 'checkpoints.db'));
      const sink = new MemorySink('sink');
      const writer = new KeyedWriter(db, mode.table, 25, random);
      const config = { dsn: cdcDsn(topo), tables: [`tidemark.${mode.table}`] };
      const resumes: MysqlPosition[] = [];
      try {
        for (let round = 0; round < 6; round++) {
          const resume = ((await backend.forPipeline('p').load(sinkCheckpointKey('src', 'sink')))?.position ?? null) as MysqlPosition | null;
          if (resume) resumes.push(resume);
          const before = sink.events;
          const run = new Run({ config, backend, sink, batch: mode.batch });
          sink.tag = round;
          await run.start();
          if (round === 0) writer.start(1, mode.txSize[0], mode.txSize[1]);
          await new Promise((r) => setTimeout(r, 250 + Math.floor(random() * 500)));
          await run.crash();
          if (resume) {
            // Nothing at or before the checkpoint comes out of the source again.
            const durable = new Set(before.filter((e) => compare(e.source.position, resume) <= 0).map(keyOf));
            const again = run.emitted.filter((e) => durable.has(keyOf(e))).map((e) => ({ key: keyOf(e), position: e.source.position }));
            expect(again, `round ${round} resumed from ${JSON.stringify(resume)}`).toEqual([]);
            if (run.emitted.length > 0) expect(compare(run.emitted[0]!.source.position, resume), `round ${round}: first ${JSON.stringify(run.emitted[0]!.source.position)} vs ${JSON.stringify(resume)}`).toBeGreaterThan(0);
          }
        }
        await writer.stop();
        const final = new Run({ config, backend, sink, batch: mode.batch });
        await final.start();
        try {
          const expected = JSON.stringify([...writer.history].sort((a, b) => a[0] - b[0]));
          const actual = () => JSON.stringify([...deliveredHistory(dedupe(sink.events))].sort((a, b) => a[0] - b[0]));
          await until(() => actual() === expected, 'every change delivered', 30_000).catch(() => {});
          // Every key's full history, in order: nothing lost, nothing reordered.
          expect(JSON.parse(actual())).toEqual(JSON.parse(expected));
        } finally {
          await final.stop();
        }
        expect(writer.transactions).toBeGreaterThan(50);
        if (mode.batch.respect_source_tx === false) expect(resumes.some((p) => p.index >= 0)).toBe(true);
      } finally {
        await writer.stop();
        await backend.close();
      }
    }, 120_000);
  }
});
