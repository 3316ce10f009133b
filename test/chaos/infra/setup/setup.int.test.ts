import { describe, expect, it } from 'vitest';
import { runSetup, SETUP_STEPS } from '../../../../chaos/src/infra/index.js';

/** CI runs `tidemark-chaos setup` before the tests, so here every step must find its work done. */
describe('tidemark-chaos setup', () => {
  it('a second run only checks markers and changes nothing', async () => {
    const lines: string[] = [];
    const report = await runSetup({ print: (line) => lines.push(line) });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.outcome)).toEqual(SETUP_STEPS.map(() => 'skipped'));
    expect(lines.filter((l) => l.includes('already done'))).toHaveLength(SETUP_STEPS.length);
    // The librdkafka client is part of the set-up, not an optional extra left to the user.
    expect(lines.join('\n')).toMatch(/Kafka native client.*already done \(loads, librdkafka \d+\.\d+/);
  });
});
