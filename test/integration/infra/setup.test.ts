import { describe, expect, it } from 'vitest';
import { runSetup } from '../../../chaos/src/infra/index.js';

/** CI runs `tidemark-chaos setup` before the tests, so here every step must find its work done. */
describe('tidemark-chaos setup', () => {
  it('a second run only checks markers and changes nothing', async () => {
    const lines: string[] = [];
    const report = await runSetup({ print: (line) => lines.push(line) });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(lines.filter((l) => l.includes('already done'))).toHaveLength(4);
  });
});
