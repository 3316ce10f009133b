import { describe, expect, it } from 'vitest';
import { planRestore, type PipelineRecord } from '../../../engine/src/runtime/index.js';

const config = (name: string, sha256: string) => ({ name, document: { from: 'config', name }, sha256 });
const record = (name: string, over: Partial<PipelineRecord> = {}): PipelineRecord => ({
  format: 1,
  name,
  origin: 'api',
  document: { from: 'record', name },
  desired: 'running',
  base_config_sha256: null,
  deleted: false,
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

describe('planRestore: the newest change wins', () => {
  it('runs config pipelines as written when the API never changed them', () => {
    const plan = planRestore([config('a', 'h1')], []);
    expect(plan.pipelines).toEqual([{ name: 'a', document: { from: 'config', name: 'a' }, origin: 'config', desired: 'running', baseConfigSha256: 'h1', from: 'config' }]);
  });

  it('restores API-created pipelines with their desired state', () => {
    const plan = planRestore([], [record('api1', { desired: 'paused' })]);
    expect(plan.pipelines).toEqual([{ name: 'api1', document: { from: 'record', name: 'api1' }, origin: 'api', desired: 'paused', baseConfigSha256: null, from: 'record' }]);
  });

  it('keeps an API change to a config pipeline while its config document is unchanged', () => {
    const plan = planRestore([config('a', 'h1')], [record('a', { origin: 'config', base_config_sha256: 'h1', desired: 'stopped' })]);
    expect(plan.pipelines).toEqual([{ name: 'a', document: { from: 'record', name: 'a' }, origin: 'config', desired: 'stopped', baseConfigSha256: 'h1', from: 'record' }]);
    expect(plan.superseded).toEqual([]);
  });

  it('lets an edited config document supersede the older API change', () => {
    const plan = planRestore([config('a', 'h2')], [record('a', { origin: 'config', base_config_sha256: 'h1' })]);
    expect(plan.pipelines[0]).toMatchObject({ document: { from: 'config' }, from: 'config', desired: 'running' });
    expect(plan.superseded).toEqual([{ name: 'a', reason: 'its --config document changed after the API change' }]);
  });

  it('lets a config document added later supersede an API-created pipeline of the same name', () => {
    const plan = planRestore([config('a', 'h1')], [record('a')]);
    expect(plan.pipelines[0]).toMatchObject({ from: 'config', origin: 'config' });
    expect(plan.superseded[0]!.reason).toMatch(/now defines this API-created pipeline/);
  });

  it('keeps a config pipeline deleted through the API deleted, until its document changes', () => {
    const tombstone = record('a', { origin: 'config', base_config_sha256: 'h1', deleted: true, document: null });
    expect(planRestore([config('a', 'h1')], [tombstone])).toMatchObject({ pipelines: [], keptDeleted: ['a'] });
    expect(planRestore([config('a', 'h2')], [tombstone]).pipelines).toHaveLength(1);
  });

  it('drops records of config pipelines whose document is gone', () => {
    const plan = planRestore([], [record('a', { origin: 'config', base_config_sha256: 'h1' })]);
    expect(plan.pipelines).toEqual([]);
    expect(plan.superseded).toEqual([{ name: 'a', reason: 'its --config document is gone' }]);
  });
});
