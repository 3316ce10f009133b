import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../../engine/src/metrics/index.js';

describe('docs/metrics.md', () => {
  it('describes every Tidemark metric family (prom-client process metrics aside)', () => {
    const doc = readFileSync('docs/metrics.md', 'utf8');
    const own = new PrometheusMetrics({ processMetrics: false }).familyNames();
    expect(own.length).toBeGreaterThan(30);
    expect(own.filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
