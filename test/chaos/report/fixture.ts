import type { RunReport, ScenarioRun, TimelineSample } from '../../../chaos/src/report/index.js';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

/**
 * 60 s of samples: 50 versions/s written; Kafka delivers except during a 10 s partition
 * (20–30 s) and then catches up; Redis stalls after an engine kill at 40 s.
 */
function timeline(): TimelineSample[] {
  const out: TimelineSample[] = [];
  let kafka = 0;
  let redis = 0;
  for (let s = 0; s <= 60; s++) {
    const written = Math.min(s, 50) * 50;
    const partitioned = s >= 20 && s < 30;
    kafka = partitioned ? kafka : Math.min(written, kafka + 150);
    redis = s >= 40 ? redis : written;
    out.push({
      t: s * 1000,
      written,
      delivered: { kafka, redis },
      lagMs: { kafka: partitioned ? (s - 19) * 1000 : written > kafka ? 2500 : 80, redis: s >= 40 ? null : 40 },
      engine: s >= 40 && s < 43 ? 'down' : 'running',
    });
  }
  return out;
}

export const passedRun: ScenarioRun = {
  scenario: 'network-partition',
  description: 'Partition the source, then Kafka, under load.',
  source: 'mysql',
  seed: 7,
  startedAt: T0,
  durationMs: 60_000,
  phases: [{ name: 'setup', ms: 4000 }, { name: 'workload', ms: 50_000 }, { name: 'catch-up', ms: 6000 }],
  sinks: ['kafka', 'redis'],
  verdicts: [
    { checker: 'lost', sink: 'kafka (read_committed)', validity: 'valid', summary: 'all 2500 acknowledged versions arrived', counts: { expected: 2500, missing: 0 }, examples: [] },
    { checker: 'duplicated', sink: 'redis', validity: 'valid', summary: '12 duplicates, all exact replays that dedup by idempotency key removes', counts: { duplicates: 12 }, examples: [] },
  ],
  faults: [
    { kind: 'partition', target: 'kafka', at: T0 + 20_000, until: T0 + 30_000 },
    { kind: 'latency', target: 'source', at: T0 + 21_000, until: T0 + 26_000, detail: { latency_ms: 500 } },
  ],
  timeline: timeline(),
};

export const failedRun: ScenarioRun = {
  ...passedRun,
  source: 'postgres',
  verdicts: [
    ...passedRun.verdicts,
    {
      checker: 'reordered',
      sink: 'redis',
      validity: 'invalid',
      summary: '1 versions arrived after a newer version of the same key',
      counts: { reordered: 1 },
      examples: [{ table: 'accounts', key: '{"id":1}', versions: ['3u', '2u'], positions: ['accounts@1', 'accounts@3'], note: '<script>alert("x")</script> & \u0007bell' }],
    },
    { checker: 'stalled', sink: 'nats', validity: 'unknown', summary: 'the run recorded no catch-up facts for sink "nats"', counts: {}, examples: [] },
  ],
  faults: [...passedRun.faults, { kind: 'kill-engine', target: 'engine', at: T0 + 40_000, until: T0 + 43_000 }, { kind: 'binlog-purge', target: 'source', at: T0 + 45_000, until: T0 + 45_000 }],
  scenarioYaml: 'name: network-partition\nnemesis: []\n',
};

export const harnessErrorRun: ScenarioRun = { ...passedRun, scenario: 'crash-recovery', verdicts: [], faults: [], timeline: [], error: 'setup failed: kafka did not start\n  at startTopology' };

export const report: RunReport = {
  title: 'Tidemark chaos report',
  startedAt: T0,
  finishedAt: T0 + 200_000,
  seed: 7,
  command: 'npm run chaos -- --scenario all --seed 7',
  runs: [passedRun, failedRun, harnessErrorRun],
};
