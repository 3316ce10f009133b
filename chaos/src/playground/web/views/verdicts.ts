import type { Verdict } from '../../../history/index.js';
import { h } from '../dom.js';

/** Verdicts with their examples, like report.html's table. */
export function verdictTable(verdicts: readonly Verdict[]): HTMLElement {
  if (verdicts.length === 0) return h('p', { class: 'muted' }, 'No verdicts.');
  return h('table', { class: 'verdicts' },
    h('thead', {}, h('tr', {}, ...['checker', 'sink', 'verdict', 'summary'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...verdicts.map((v) =>
      h('tr', { class: `verdict ${v.validity}`, 'data-checker': v.checker, 'data-validity': v.validity },
        h('td', {}, v.checker), h('td', {}, v.sink ?? ''), h('td', {}, h('span', { class: `badge ${v.validity}` }, v.validity)),
        h('td', {}, v.summary, v.examples.length > 0 ? h('details', { open: v.validity !== 'valid' }, h('summary', {}, `${v.examples.length} example(s)`), h('pre', {}, v.examples.map((x) => JSON.stringify(x)).join('\n'))) : null)))));
}
