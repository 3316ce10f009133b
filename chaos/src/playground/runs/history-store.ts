import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEntry } from '../protocol.js';

const ID = /^[0-9]{8}-[0-9]{6}-[a-z0-9]{4}$/;

/**
 * Scenario runs kept on disk, one folder each (`<dir>/<id>/`: entry.json and the run's
 * report.json, junit.xml, report.html), so the history outlives the playground. An entry is
 * written when the run starts; one still `running` when read back was cut short.
 */
export class HistoryStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  static newId(now = new Date()): string {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
  }

  static validId(id: string): boolean {
    return ID.test(id);
  }

  runDir(id: string): string {
    if (!HistoryStore.validId(id)) throw new Error(`not a run id: ${id}`);
    return join(this.dir, id);
  }

  save(entry: HistoryEntry): void {
    const dir = this.runDir(entry.id);
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `entry.json.${process.pid}.tmp`);
    writeFileSync(temp, `${JSON.stringify(entry, null, 2)}\n`);
    renameSync(temp, join(dir, 'entry.json'));
  }

  /** Newest first. Unreadable entries are skipped (a half-written folder). */
  list(): HistoryEntry[] {
    const entries: HistoryEntry[] = [];
    for (const id of readdirSync(this.dir).filter((d) => HistoryStore.validId(d))) {
      const file = join(this.dir, id, 'entry.json');
      if (!existsSync(file)) continue;
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as HistoryEntry;
        entries.push(entry.status === 'running' ? { ...entry, status: 'interrupted' } : entry);
      } catch {
        // skipped
      }
    }
    return entries.sort((a, b) => b.startedAt - a.startedAt);
  }
}
