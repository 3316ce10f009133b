import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Opens (creating its directory) a SQLite file for state that must survive a crash or power
 * loss — checkpoints and the DLQ journal: WAL with synchronous=FULL, and a busy timeout so a
 * second handle on the same file waits instead of failing.
 */
export function openDurableSqlite(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}
