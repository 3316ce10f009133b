import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../../chaos/src/playground/protocol.js';
import { HistoryStore } from '../../../../chaos/src/playground/runs/history-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const entry = (id: string, startedAt: number, status: HistoryEntry['status']): HistoryEntry => ({ id, kind: 'scenario', request: { scenario: 'network-partition', source: 'mysql', seed: 7, runs: 1 }, cli: 'npm run chaos -- …', status, startedAt, title: 't', results: [] });

describe('the run history on disk', () => {
  it('lists entries newest first across instances; a run cut short reads back as interrupted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-history-'));
    dirs.push(dir);
    const a = HistoryStore.newId(new Date(2026, 0, 2, 3, 4, 5));
    const b = HistoryStore.newId(new Date(2026, 0, 2, 3, 4, 6));
    expect(a).toMatch(/^20260102-030405-[a-z0-9]{4}$/);
    const store = new HistoryStore(dir);
    store.save(entry(a, 1, 'passed'));
    store.save(entry(b, 2, 'running'));
    mkdirSync(join(dir, 'not-a-run'));
    mkdirSync(join(dir, HistoryStore.newId()));
    writeFileSync(join(dir, HistoryStore.newId(new Date(2030, 1, 1)).replace(/.{4}$/, 'zzzz')), 'a file');
    const reopened = new HistoryStore(dir).list();
    expect(reopened.map((e) => [e.id, e.status])).toEqual([[b, 'interrupted'], [a, 'passed']]);
    expect(reopened[1]!.request.seed).toBe(7);
  });

  it('refuses ids that could leave its folder', () => {
    const store = new HistoryStore(mkdtempSync(join(tmpdir(), 'pg-history-')));
    dirs.push(store.dir);
    expect(() => store.runDir('../etc')).toThrow(/not a run id/);
    expect(HistoryStore.validId('20260102-030405-ab12')).toBe(true);
    expect(HistoryStore.validId('20260102-030405-ab12/..')).toBe(false);
  });
});
