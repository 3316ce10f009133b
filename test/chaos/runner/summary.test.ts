import { describe, expect, it } from 'vitest';
import type { ScenarioRun } from '../../../chaos/src/report/index.js';
import { listScenarios } from '../../../chaos/src/runner/list.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { verdictLines } from '../../../chaos/src/runner/summary.js';
import { loadScenarios } from '../../../chaos/src/scenarios/index.js';

const base: ScenarioRun = { scenario: 'crash-recovery', source: 'mysql', startedAt: 0, durationMs: 12_345, sinks: ['kafka'], verdicts: [], faults: [], timeline: [] };
const valid = { checker: 'lost', sink: 'kafka (read_committed)', validity: 'valid' as const, summary: 'all arrived', counts: {}, examples: [] };

describe('terminal summary', () => {
  it('a passed run is one line', () => {
    expect(verdictLines({ ...base, verdicts: [valid] })).toEqual(['PASS crash-recovery (mysql) in 12.3 s (1 verdicts)']);
  });

  it('a failed run lists every verdict that is not valid, with examples, and harness errors', () => {
    const lost = { ...valid, sink: 'redis', validity: 'invalid' as const, summary: '3 of 10 never arrived', examples: [{ key: 1 }, { key: 2 }, { key: 3 }, { key: 4 }] };
    const lines = verdictLines({ ...base, verdicts: [valid, lost], error: 'the nemesis could not play the schedule as written:\nboom' });
    expect(lines[0]).toBe('FAIL crash-recovery (mysql) in 12.3 s (2 verdicts)');
    expect(lines.slice(1)).toEqual([
      '  INVALID lost [redis]: 3 of 10 never arrived',
      '    e.g. {"key":1}',
      '    e.g. {"key":2}',
      '    e.g. {"key":3}',
      '  HARNESS ERROR: the nemesis could not play the schedule as written:\n    boom',
    ]);
  });

  it('a run without verdicts fails', () => {
    expect(verdictLines(base)[0]).toMatch(/^FAIL /);
  });

  it('--list shows every scenario with sources and tags, marks destructive ones and templates', () => {
    const text = listScenarios(loadScenarios(SCENARIOS_DIR));
    expect(text.split('\n')[0]).toMatch(/^scenario\s+sources\s+tags\s+description$/);
    expect(text).toMatch(/^binlog-purge\s+mysql\s+data-loss,position\s+.*\(destructive\)$/m);
    expect(text).toMatch(/^random-base\s+mysql,postgres\s+template,random\s+.*\(not in all\)$/m);
  });
});
