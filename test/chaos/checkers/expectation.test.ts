import { describe, expect, it } from 'vitest';
import { expectationChecker, type RunFacts } from '../../../chaos/src/checkers/index.js';
import type { FaultEvent } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, sinkHistory, World } from './world.js';

const HALT = { outcome: 'halted', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', message_includes: 'position lost', health: 503 } as const;

function halted(): RunFacts {
  return {
    ...healthyFacts(['redis']),
    engine: { health: 503, pipelines: [{ name: 'chaos', status: 'failed', error: { code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', message: 'Source position lost: binlog purged past checkpoint' } }] },
  };
}

/** Three transactions: before the purge (delivered), during the engine's downtime, after the purge. */
function purgeRun(): { w: World; purge: FaultEvent } {
  const w = new World();
  w.txn('ok', (t) => t.insert('accounts', 1));
  w.txn('ok', (t) => t.insert('accounts', 2));
  const purgeAt = w.history().txns[1]!.completedAt + 1;
  w.txn('ok', (t) => t.insert('accounts', 3));
  return { w, purge: { kind: 'binlog-purge', target: 'mysql', at: purgeAt, until: null } };
}

describe('expectation', () => {
  it('healthy: valid with 200 and every pipeline running', () => {
    const w = new World();
    const [v] = expectationChecker({ outcome: 'healthy' }).check({ source: w.history(), sinks: [], faults: [], facts: healthyFacts([]) });
    expect(v).toMatchObject({ checker: 'expectation', validity: 'valid', summary: 'engine healthy, every pipeline running' });
  });

  it('healthy: invalid when a pipeline failed', () => {
    const w = new World();
    const [v] = expectationChecker({ outcome: 'healthy' }).check({ source: w.history(), sinks: [], faults: [], facts: halted() });
    expect(v!.validity).toBe('invalid');
    expect(v!.summary).toBe('health: expected 200, observed 503; pipeline status: expected "running", observed "failed"');
  });

  it('halted: valid with the expected code, message and health, when nothing was skipped', () => {
    const { w, purge } = purgeRun();
    const sinks = [sinkHistory(recordsOf(w.happened.slice(0, 1)))];
    const [v] = expectationChecker(HALT).check({ source: w.history(), sinks, faults: [purge], facts: halted() });
    expect(v).toMatchObject({ validity: 'valid', counts: { skipped: 0, problems: 0 } });
  });

  it('halted: invalid when the engine stayed healthy', () => {
    const { w, purge } = purgeRun();
    const [v] = expectationChecker(HALT).check({ source: w.history(), sinks: [], faults: [purge], facts: healthyFacts(['redis']) });
    expect(v!.examples.map((e) => e.problem)).toEqual(['health', 'pipeline status']);
  });

  it('halted: invalid when it halted for another reason', () => {
    const { w } = purgeRun();
    const facts = halted();
    const other = { ...facts, engine: { health: 503, pipelines: [{ name: 'chaos', status: 'failed', error: { code: 'TIDEMARK_ERR_SINK_FENCED', message: 'fenced' } }] } };
    const [v] = expectationChecker(HALT).check({ source: w.history(), sinks: [], faults: [], facts: other });
    expect(v!.examples[0]).toMatchObject({ problem: 'halt reason' });
    const [loose] = expectationChecker({ outcome: 'halted' }).check({ source: w.history(), sinks: [], faults: [], facts: other });
    expect(loose!.validity).toBe('valid');
  });

  it('halted: the message match is case-insensitive', () => {
    const { w } = purgeRun();
    const [v] = expectationChecker({ outcome: 'halted', message_includes: 'BINLOG PURGED' }).check({ source: w.history(), sinks: [], faults: [], facts: halted() });
    expect(v!.validity).toBe('valid');
  });

  it('halted: catches a version written after the gap delivered while an earlier one is missing', () => {
    const { w, purge } = purgeRun();
    const all = recordsOf(w.happened);
    const skipped = [all[0]!, all[2]!];
    const [v] = expectationChecker(HALT).check({ source: w.history(), sinks: [sinkHistory(skipped)], faults: [purge], facts: halted() });
    expect(v).toMatchObject({ validity: 'invalid', counts: { skipped: 1 } });
    expect(v!.examples[0]).toMatchObject({ problem: 'skipped past a gap', sink: 'redis', delivered: { key: '{"id":3}', version: 1 }, missingBefore: { key: '{"id":2}', sourceTxn: 2 } });
    expect(v!.summary).toMatch(/^redis holds versions written after the binlog-purge mysql at .* while earlier acknowledged versions are missing$/);
  });

  it('halted: a complete sink may hold versions after the gap', () => {
    const { w, purge } = purgeRun();
    const [v] = expectationChecker(HALT).check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [purge], facts: halted() });
    expect(v!.validity).toBe('valid');
  });
});
