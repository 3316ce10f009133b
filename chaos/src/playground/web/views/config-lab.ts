import type { PlaygroundState } from '../../protocol.js';
import { attempt, call, confirmed, toast } from '../api.js';
import { fill, h } from '../dom.js';
import type { Store } from '../store.js';

interface Problem {
  readonly path: string;
  readonly reason: string;
  readonly line?: number;
}

/** Validates a textarea as the user types (debounced), with the engine's validator on the server. */
function validating(editor: HTMLTextAreaElement, list: HTMLElement, body: () => Record<string, unknown>): () => Promise<boolean> {
  let timer: number | undefined;
  let seq = 0;
  const run = async (): Promise<boolean> => {
    const mine = ++seq;
    try {
      const r = await call<{ valid: boolean; problems: Problem[] }>('POST', '/api/lab/validate', { yaml: editor.value, ...body() });
      if (mine !== seq) return r.valid;
      list.setAttribute('data-valid', String(r.valid));
      fill(list, r.valid ? h('li', { class: 'good' }, 'valid') : r.problems.map((p) => h('li', { class: 'bad', 'data-path': p.path }, h('code', {}, p.path), `: ${p.reason}`, p.line ? h('span', { class: 'muted' }, ` (line ${p.line})`) : null)));
      return r.valid;
    } catch (e) {
      fill(list, h('li', { class: 'bad' }, (e as Error).message));
      return false;
    }
  };
  editor.addEventListener('input', () => {
    window.clearTimeout(timer);
    list.setAttribute('data-valid', 'pending');
    timer = window.setTimeout(() => void run(), 250);
  });
  return run;
}

/** Config lab: edit the live pipeline (validated as you type, applied through PATCH) and an A/B drain. */
export function configLabView(store: Store): HTMLElement {
  const editor = h('textarea', { id: 'lab-editor', spellcheck: 'false', rows: 24 });
  const problems = h('ul', { id: 'lab-problems', class: 'problems' });
  const a = h('textarea', { id: 'ab-a', spellcheck: 'false', rows: 16 });
  const b = h('textarea', { id: 'ab-b', spellcheck: 'false', rows: 16 });
  const aProblems = h('ul', { id: 'ab-a-problems', class: 'problems' });
  const bProblems = h('ul', { id: 'ab-b-problems', class: 'problems' });
  const abSource = h('select', { id: 'ab-source' }, h('option', { value: 'mysql' }, 'mysql'), h('option', { value: 'postgres' }, 'postgres'));
  const abSeed = h('input', { id: 'ab-seed', type: 'number', value: 1, min: 0 });
  const abName = h('span', { id: 'ab-scenario' });
  const target = h('span', { class: 'muted', id: 'lab-pipeline' });
  const validate = validating(editor, problems, () => ({ target: 'live' }));
  const validateA = validating(a, aProblems, () => ({ target: 'ab', source: abSource.value }));
  const validateB = validating(b, bProblems, () => ({ target: 'ab', source: abSource.value }));
  let loaded = false;

  const load = async () => {
    await attempt(async () => {
      const t = await call<{ live: string; ab: string; abScenario: string; pipeline: string }>('GET', '/api/lab/template');
      editor.value = t.live;
      a.value = t.ab;
      b.value = t.ab.replace(/max_events:\s*\d+/, 'max_events: 2000');
      abName.textContent = t.abScenario;
      target.textContent = ` → pipeline ${t.pipeline}`;
      loaded = true;
      await Promise.all([validate(), validateA(), validateB()]);
    });
  };

  const el = h('section', { class: 'card', id: 'config-lab' },
    h('h2', {}, 'Config lab'),
    h('p', { class: 'muted' }, 'The live pipeline as a template: ${VAR}s are filled by the playground (endpoints, names; secrets never reach this page). Checked as you type by the engine\'s own validator.'),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'lab-load', class: 'small', onclick: () => void load() }, 'Reload from the live pipeline'), target),
    editor, problems,
    h('div', { class: 'row' }, h('button', {
      type: 'button', id: 'lab-apply', class: 'primary', onclick: async () => {
        if (!(await validate())) return toast('fix the problems first', 'error');
        if (!confirmed('Apply this config to the running engine? The pipeline restarts from its checkpoints.')) return;
        if (await attempt(() => call('POST', '/api/lab/apply', { yaml: editor.value }))) toast('applied: the pipeline restarted with the new config');
      },
    }, 'Apply to the running engine')),
    h('h3', {}, 'A/B: the same backlog drain with config A and config B'),
    h('p', { class: 'muted' }, 'Runs scenario ', abName, ' twice (same seed and source) with each template; compares events/s, p99 batch latency and peak RSS of the engine process that drained the backlog.'),
    h('div', { class: 'ab-editors' }, h('div', {}, h('h4', {}, 'A'), a, aProblems), h('div', {}, h('h4', {}, 'B'), b, bProblems)),
    h('div', { class: 'row' }, 'source ', abSource, ' seed ', abSeed, h('button', {
      type: 'button', id: 'ab-run', class: 'primary', onclick: async () => {
        const [okA, okB] = await Promise.all([validateA(), validateB()]);
        if (!okA || !okB) return toast('fix the problems in A and B first', 'error');
        if (await attempt(() => call('POST', '/api/lab/ab', { a: a.value, b: b.value, source: abSource.value, seed: Number(abSeed.value) }))) toast('A/B started: follow it in the Scenarios tab');
      },
    }, 'Run A/B')));

  store.on(['live'], (s: PlaygroundState) => {
    if (!loaded && s.live?.status === 'ready') {
      abSource.value = s.live.source;
      void load();
    }
  });
  return el;
}
