import type { LoadedScenario } from '../scenarios/index.js';
import { coverageMatrix } from './coverage.js';
import { LONG_TAG, TEMPLATE_TAG } from './plan.js';

/** `--list`: every scenario with its sources, tags and description; templates say so. */
export function listScenarios(scenarios: readonly LoadedScenario[]): string {
  const rows = scenarios.map(({ scenario: s }) => {
    const notes = [s.destructive ? 'destructive' : null, s.tags.includes(TEMPLATE_TAG) || s.tags.includes(LONG_TAG) ? 'not in all' : null].filter(Boolean);
    return { name: s.name, sources: s.sources.join(','), tags: s.tags.join(',') || '-', notes: notes.length > 0 ? ` (${notes.join(', ')})` : '', description: s.description };
  });
  const width = (k: 'name' | 'sources' | 'tags') => Math.max(k === 'name' ? 8 : k.length, ...rows.map((r) => r[k].length));
  const [wn, ws, wt] = [width('name'), width('sources'), width('tags')];
  const lines = [`${'scenario'.padEnd(wn)}  ${'sources'.padEnd(ws)}  ${'tags'.padEnd(wt)}  description`];
  for (const r of rows) lines.push(`${r.name.padEnd(wn)}  ${r.sources.padEnd(ws)}  ${r.tags.padEnd(wt)}  ${r.description}${r.notes}`);
  return `${lines.join('\n')}\n\n${coverageMatrix(scenarios)}`;
}
