import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend, sinkCheckpointKey } from '../../../engine/src/checkpoints/index.js';
import { TidemarkError } from '../../../engine/src/errors/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { ControlError, PipelineManager, PipelineRecordStore, planRestore, type ManagerOptions } from '../../../engine/src/runtime/index.js';
import { generatedLog } from '../../../engine/src/testing/index.js';
import { pipelineDoc, TestComponents, until } from './fixtures.js';

const dirs: string[] = [];
const managers: PipelineManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stopAll()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(extra: Partial<ManagerOptions> = {}) {
  const components = new TestComponents();
  const backend = new MemoryCheckpointBackend();
  const manager = new PipelineManager({ backend, logger: silentLogger(), components, restartBackoff: { baseMs: 10, capMs: 20 }, ...extra });
  managers.push(manager);
  return { components, backend, manager };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tidemark-manager-'));
  dirs.push(d);
  return d;
}

async function expectControlError(p: Promise<unknown> | (() => unknown), reason: string): Promise<ControlError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(ControlError);
    expect((e as ControlError).reason).toBe(reason);
    return e as ControlError;
  }
  throw new Error(`expected a ControlError ${reason}`);
}

describe('PipelineManager', () => {
  it('creates a pipeline that starts in the background and delivers every event', async () => {
    const { components, manager } = setup();
    components.plan('p1', { log: generatedLog({ events: 100, txSize: 3 }) });
    const p = manager.create(pipelineDoc('p1'));
    expect(p.status).toBe('starting');
    await until(() => components.delivered('p1').length === 100, 5000, 'delivery');
    expect(components.delivered('p1')).toEqual([...Array(100).keys()]);
    expect(p.status).toBe('running');
    expect(p.uptimeSeconds).not.toBeNull();
  });

  it('refuses a duplicate name and an invalid document, naming the field path', async () => {
    const { manager } = setup();
    manager.create(pipelineDoc('dup'));
    await expectControlError(() => manager.create(pipelineDoc('dup')), 'exists');
    const bad = pipelineDoc('bad');
    (bad.spec as { sinks: unknown[] }).sinks = [{ type: 'redis', config: { id: 'x', stream: 's' } }];
    const e = await expectControlError(() => manager.create(bad), 'invalid-spec');
    expect(e.problems.map((p) => p.path)).toContain('spec.sinks[0].config.uri');
    expect(manager.get('bad')).toBeUndefined();
  });

  it('pauses without losing anything and resumes where it paused', async () => {
    const { components, manager } = setup();
    components.plan('slow', { log: generatedLog({ events: 400, txSize: 1 }), chunkDelayMs: 5 });
    manager.create(pipelineDoc('slow'));
    await until(() => components.delivered('slow').length > 20, 5000, 'first events');
    const paused = await manager.pause('slow');
    expect(paused.status).toBe('paused');
    // Settled: the source sits paused and every event it emitted was delivered. From here nothing
    // can move until resume (no timing involved: nothing is queued and the source emits nothing).
    const source = components.sources.find((s) => s.pipeline === 'slow')!.source;
    await until(() => source.parked && components.delivered('slow').length === source.emitted, 5000, 'in-flight batches to settle');
    const atPause = components.delivered('slow').length;
    expect(manager.get('slow')!.sinkStatus().map((s) => s.backlog)).toEqual([0]);
    expect(atPause).toBeLessThan(400);
    expect((await manager.resume('slow')).status).toBe('running');
    await until(() => components.delivered('slow').length === 400, 10_000, 'rest of the log');
    expect(components.delivered('slow')).toEqual([...Array(400).keys()]);
  });

  it('stop saves the checkpoint; resume restarts from it', async () => {
    const { components, manager, backend } = setup();
    components.plan('s', { log: generatedLog({ events: 300, txSize: 1 }), chunkDelayMs: 5 });
    manager.create(pipelineDoc('s'));
    await until(() => components.delivered('s').length > 30, 5000, 'some events');
    const stopped = await manager.stop('s');
    expect(stopped.status).toBe('stopped');
    const delivered = components.delivered('s');
    const saved = await backend.forPipeline('s').load(sinkCheckpointKey('src', 'out'));
    expect(saved?.position).toEqual({ offset: delivered[delivered.length - 1] });
    await expectControlError(manager.pause('s'), 'invalid-state');
    await manager.resume('s');
    await until(() => components.delivered('s').length >= 300, 10_000, 'the rest');
    const second = components.sources.filter((s) => s.pipeline === 's')[1]!.source;
    expect(second.starts[0]).toEqual(saved?.position);
    // Resumed after the checkpoint: nothing re-delivered, nothing skipped.
    expect(components.delivered('s')).toEqual([...Array(300).keys()]);
  });

  it('retries a source that cannot connect, reporting starting with the last error', async () => {
    const restarts: string[] = [];
    const { components, manager } = setup({ onRestart: (p) => restarts.push(p.name) });
    components.plan('flaky', { log: generatedLog({ events: 10, txSize: 1 }), failStarts: 2 });
    const p = manager.create(pipelineDoc('flaky'));
    await until(() => p.lastError !== null, 2000, 'first failure');
    expect(p.status).toBe('starting');
    expect(p.lastError?.code).toBe('TIDEMARK_ERR_SOURCE_CONNECT');
    expect(manager.health().healthy).toBe(true);
    await until(() => components.delivered('flaky').length === 10, 5000, 'delivery after retries');
    expect(p.status).toBe('running');
    expect(p.lastError).toBeNull();
    expect(restarts).toEqual(['flaky', 'flaky']);
  });

  it('a fatal error fails the pipeline and the health report names it; resume starts it again', async () => {
    const { components, manager } = setup();
    components.plan('doomed', { log: generatedLog({ events: 5, txSize: 1 }), fatal: new TidemarkError('TIDEMARK_ERR_SOURCE_POSITION_LOST', 'position lost: binlog purged. Re-snapshot required.') });
    const p = manager.create(pipelineDoc('doomed'));
    await until(() => p.status === 'failed', 2000, 'failure');
    expect(manager.health()).toEqual({ healthy: false, pipelines: 1, failed: [{ name: 'doomed', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', reason: 'position lost: binlog purged. Re-snapshot required.' }] });
    components.plan('doomed', { log: generatedLog({ events: 5, txSize: 1 }) });
    await manager.resume('doomed');
    await until(() => p.status === 'running', 2000, 'running again');
    expect(manager.health().healthy).toBe(true);
  });

  it('patch deep-merges, restarts from the checkpoint and drops checkpoints of removed sinks', async () => {
    const { components, manager, backend } = setup();
    components.plan('pt', { log: generatedLog({ events: 50, txSize: 1 }) });
    manager.create(pipelineDoc('pt', { sinks: ['out', 'extra'] }));
    await until(() => components.delivered('pt').length === 50 && components.delivered('pt', 'extra').length === 50, 5000, 'delivery');
    await until(() => manager.get('pt')!.sinkStatus().every((s) => s.position !== null), 2000, 'checkpoints');
    await expectControlError(manager.patch('pt', { metadata: { name: 'other' } }), 'name-mismatch');
    await expectControlError(manager.patch('pt', { spec: { batch: { max_events: -1 } } }), 'invalid-spec');
    expect(manager.get('pt')!.spec.spec.batch.max_events).toBe(10);

    const patched = await manager.patch('pt', { spec: { batch: { max_events: 7 }, sinks: [{ config: { stream: 'renamed' } }, null] } });
    expect(patched.spec.spec.batch.max_events).toBe(7);
    expect(patched.spec.spec.sinks.map((s) => s.config.id)).toEqual(['out']);
    expect((patched.spec.spec.sinks[0]!.config as { stream: string }).stream).toBe('renamed');
    expect(patched.spec.spec.batch.max_ms).toBe(20); // untouched fields keep their values
    const store = backend.forPipeline('pt');
    expect(await store.load(sinkCheckpointKey('src', 'extra'))).toBeNull();
    expect((await store.load(sinkCheckpointKey('src', 'out')))?.position).toEqual({ offset: 49 });
    await until(() => patched.status === 'running', 2000, 'restart');
    expect(components.sources.filter((s) => s.pipeline === 'pt').at(-1)!.source.starts[0]).toEqual({ offset: 49 });
  });

  it('filters by labels with AND semantics and key-only filters', () => {
    const { manager } = setup();
    manager.create(pipelineDoc('a', { labels: { env: 'prod', team: 'x' } }));
    manager.create(pipelineDoc('b', { labels: { env: 'prod' } }));
    manager.create(pipelineDoc('c', { labels: { env: 'dev', team: 'x' } }));
    const names = (f: Array<{ key: string; value?: string }>) => manager.list(f).map((p) => p.name).sort();
    expect(names([{ key: 'env', value: 'prod' }])).toEqual(['a', 'b']);
    expect(names([{ key: 'env', value: 'prod' }, { key: 'team' }])).toEqual(['a']);
    expect(names([{ key: 'team' }])).toEqual(['a', 'c']);
    expect(names([])).toEqual(['a', 'b', 'c']);
  });

  it('delete stops the pipeline and removes its checkpoints', async () => {
    const removed: string[] = [];
    const { components, manager, backend } = setup({ onRemoved: (n) => removed.push(n) });
    components.plan('d', { log: generatedLog({ events: 20, txSize: 1 }) });
    manager.create(pipelineDoc('d'));
    await until(() => components.delivered('d').length === 20, 5000, 'delivery');
    await manager.remove('d');
    expect(manager.get('d')).toBeUndefined();
    expect(removed).toEqual(['d']);
    expect((await backend.forPipeline('d').loadAll()).size).toBe(0);
    await expectControlError(manager.remove('d'), 'not-found');
  });

  it('persists API changes and restores them, with their desired state, in a new manager', async () => {
    const dir = tempDir();
    const records = new PipelineRecordStore(dir);
    const first = setup({ records });
    first.manager.create(pipelineDoc('kept', { labels: { env: 'prod' } }));
    first.manager.create(pipelineDoc('halted'));
    first.manager.create(pipelineDoc('gone'));
    await first.manager.patch('kept', { spec: { batch: { max_events: 3 } } });
    await first.manager.stop('halted');
    await first.manager.remove('gone');
    await first.manager.stopAll();

    const second = setup({ records });
    second.manager.restore(planRestore([], records.list()).pipelines);
    expect(second.manager.list().map((p) => p.name).sort()).toEqual(['halted', 'kept']);
    expect(second.manager.get('kept')!.spec.spec.batch.max_events).toBe(3);
    expect(second.manager.get('kept')!.spec.metadata.labels).toEqual({ env: 'prod' });
    expect(second.manager.get('halted')!.status).toBe('stopped');
    expect(second.manager.origin('kept')).toBe('api');
    await until(() => second.manager.get('kept')!.status === 'running', 2000, 'kept running');
  });
});
