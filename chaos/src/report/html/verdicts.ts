import type { Verdict } from '../../history/index.js';
import { escapeHtml as e } from '../escape.js';

/** The verdict table: checker, sink, validity, summary, counts, and the examples behind a fold. */
export function verdictTable(verdicts: readonly Verdict[]): string {
  if (verdicts.length === 0) return '<p class="muted">No checker produced a verdict.</p>';
  const rows = verdicts.map((v) => {
    const counts = Object.entries(v.counts).map(([k, n]) => `${e(k)}=${n}`).join(' ');
    const examples = v.examples.length > 0 ? `<details${v.validity === 'valid' ? '' : ' open'}><summary>${v.examples.length} example${v.examples.length === 1 ? '' : 's'}</summary><pre>${v.examples.map((x) => e(JSON.stringify(x))).join('\n')}</pre></details>` : '';
    return `<tr class="verdict ${v.validity}"><td>${e(v.checker)}</td><td>${e(v.sink ?? '')}</td><td><span class="badge ${v.validity}">${v.validity}</span></td><td>${e(v.summary)}${examples}</td><td><code>${counts}</code></td></tr>`;
  });
  return `<table class="verdicts"><thead><tr><th>checker</th><th>sink</th><th>verdict</th><th>summary</th><th>counts</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
