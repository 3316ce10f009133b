import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineRecordStore, RecordStoreError, type PipelineRecord } from '../../../engine/src/runtime/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function store(): PipelineRecordStore {
  const d = mkdtempSync(join(tmpdir(), 'tidemark-records-'));
  dirs.push(d);
  return new PipelineRecordStore(join(d, 'pipelines'));
}
const rec = (name: string, desired: PipelineRecord['desired'] = 'running'): PipelineRecord => ({
  format: 1, name, origin: 'api', document: { metadata: { name } }, desired, base_config_sha256: null, deleted: false, updated_at: new Date().toISOString(),
});

describe('PipelineRecordStore', () => {
  it('lists nothing before the directory exists, then what was saved, replacing in place', () => {
    const s = store();
    expect(s.list()).toEqual([]);
    s.save(rec('b'));
    s.save(rec('a'));
    s.save(rec('a', 'paused'));
    expect(s.list().map((r) => [r.name, r.desired])).toEqual([['a', 'paused'], ['b', 'running']]);
    expect(readdirSync(s.dir).sort()).toEqual(['a.json', 'b.json']); // no temp files left behind
    expect(statSync(s.path('a')).mode & 0o777).toBe(0o600);
  });

  it('removes and supersedes records', () => {
    const s = store();
    s.save(rec('a'));
    s.save(rec('b'));
    s.remove('a');
    const kept = s.supersede('b');
    expect(s.list()).toEqual([]);
    expect(JSON.parse(readFileSync(kept, 'utf8')).name).toBe('b');
  });

  it('ignores a temp file a crash left behind', () => {
    const s = store();
    s.save(rec('a'));
    writeFileSync(`${s.path('a')}.tmp-999`, '{"half');
    expect(s.list().map((r) => r.name)).toEqual(['a']);
  });

  it('refuses a corrupt or mismatched record with the file and a remedy', () => {
    const s = store();
    s.save(rec('a'));
    writeFileSync(s.path('broken'), '{"format": 1');
    expect(() => s.list()).toThrow(RecordStoreError);
    expect(() => s.list()).toThrow(/broken\.json: not a readable JSON pipeline record .*Fix or delete the file/);
    rmSync(s.path('broken'));
    writeFileSync(s.path('x'), JSON.stringify({ ...rec('y') }));
    expect(() => s.list()).toThrow(/holds pipeline "y" but is named for "x"/);
    writeFileSync(s.path('x'), JSON.stringify({ ...rec('x'), desired: 'sideways' }));
    expect(() => s.list()).toThrow(/x\.json: desired:/);
  });
});
