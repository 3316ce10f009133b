import type { FaultSpec, FaultView, ParamSpec, PlaygroundState } from '../../protocol.js';
import { attempt, call, confirmed } from '../api.js';
import { clock, fill, h } from '../dom.js';
import type { Store } from '../store.js';

const DESTRUCTIVE = ['failover', 'binlog-purge', 'slot-drop', 'ddl-drop-column', 'kill-server', 'restart-server'];

function paramInput(p: ParamSpec) {
  if (p.type === 'enum') return h('select', { name: p.name }, ...(p.options ?? []).map((o) => h('option', { value: o, selected: o === p.default }, o)));
  return h('input', { name: p.name, type: p.type === 'string' ? 'text' : 'number', step: p.type === 'integer' ? 1 : 'any', ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}), value: p.default === undefined ? '' : String(p.default), placeholder: p.optional ? 'optional' : '' });
}

function describe(f: FaultView): string {
  const params = f.detail && Object.keys(f.detail).length > 0 ? ` ${Object.entries(f.detail).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : '';
  return `${f.kind} on ${f.target}${params}`;
}

/** Any fault of the nemesis with its parameters, one-click presets, active faults and the timeline. */
export function faultsView(store: Store): HTMLElement {
  const presets = h('div', { class: 'presets' });
  const kind = h('select', { id: 'fault-kind' });
  const target = h('select', { id: 'fault-target' });
  const params = h('span', { id: 'fault-params', class: 'params' });
  const active = h('ul', { id: 'active-faults', class: 'faults' });
  const timeline = h('tbody', { id: 'fault-timeline' });
  let specs: readonly FaultSpec[] = [];
  let presetsFor: string | null = null;

  const inject = async (body: { fault: string; target: string; params: Record<string, unknown> }, path = '/api/faults') => {
    if (DESTRUCTIVE.includes(body.fault) && !confirmed(`${body.fault} on ${body.target} changes the servers for good (or for a while). Inject it?`)) return;
    await attempt(() => call('POST', path, path === '/api/faults' ? body : undefined));
  };
  const showParams = () => {
    const spec = specs.find((s) => s.kind === kind.value);
    if (!spec) return;
    fill(target, ...spec.targets.map((t) => h('option', { value: t, selected: t === (spec.defaultTarget ?? 'source') }, t)));
    fill(params, ...spec.params.map((p) => h('label', {}, `${p.name} `, paramInput(p))));
  };
  kind.addEventListener('change', showParams);

  const form = h('div', { class: 'row' }, kind, ' on ', target, params,
    h('button', {
      type: 'button', id: 'inject', onclick: () => {
        const values: Record<string, unknown> = {};
        for (const el of params.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
          if (el.value === '') continue;
          values[el.name] = el instanceof HTMLInputElement && el.type === 'number' ? Number(el.value) : el.value;
        }
        void inject({ fault: kind.value, target: target.value, params: values });
      },
    }, 'Inject'));

  const el = h('section', { class: 'card', id: 'faults' },
    h('h2', {}, 'Faults'),
    h('h3', {}, 'Presets'), presets,
    h('h3', {}, 'Any fault'), form,
    h('h3', {}, 'Active faults ', h('button', { type: 'button', id: 'heal-all', class: 'small', onclick: () => void attempt(() => call('POST', '/api/faults/heal-all')) }, 'Heal all')),
    active,
    h('details', { open: true }, h('summary', {}, 'Timeline of every injection and heal'),
      h('table', {}, h('thead', {}, h('tr', {}, ...['injected', 'fault', 'origin', 'healed'].map((t) => h('th', {}, t)))), timeline)),
  );

  store.on(['catalog', 'live'], (s: PlaygroundState) => {
    if (specs !== s.catalog.faults) {
      specs = s.catalog.faults;
      const groups = ['network', 'process', 'source'] as const;
      fill(kind, ...groups.map((g) => h('optgroup', { label: g }, ...specs.filter((f) => f.group === g).map((f) => h('option', { value: f.kind }, f.kind)))));
      showParams();
    }
    const source = s.live?.source;
    if (presetsFor === (source ?? '')) return;
    presetsFor = source ?? '';
    fill(presets, ...s.catalog.presets.filter((p) => !p.sources || !source || p.sources.includes(source)).map((p) =>
      h('button', { type: 'button', 'data-preset': p.id, onclick: () => void inject({ fault: p.fault, target: p.target, params: { ...p.params } }, `/api/faults/preset/${p.id}`) }, p.label)));
  });
  store.on(['faults', 'run'], (s: PlaygroundState) => {
    const runFaults = s.run?.status === 'running' ? s.run.activeFaults : [];
    fill(active,
      ...s.faults.active.map((f) => h('li', { 'data-fault-id': f.id ?? '', 'data-kind': f.kind, 'data-target': f.target },
        h('span', {}, describe(f), h('span', { class: 'muted' }, ` since ${clock(f.at)} (${f.origin})`)),
        h('button', { type: 'button', class: 'small', onclick: () => void attempt(() => call('POST', `/api/faults/${f.id}/heal`)) }, 'Heal'))),
      ...runFaults.map((f) => h('li', { 'data-run-fault': f }, f, h('span', { class: 'muted' }, ' (scenario run nemesis)'))),
      s.faults.active.length + runFaults.length === 0 ? h('li', { class: 'muted', 'data-empty': '' }, 'none') : null,
    );
    fill(timeline, ...[...s.faults.timeline].reverse().map((f) =>
      h('tr', {}, h('td', {}, clock(f.at)), h('td', {}, describe(f)), h('td', {}, f.origin), h('td', {}, f.until === null ? h('strong', {}, 'active') : f.until === f.at ? 'instant' : clock(f.until)))));
  });
  return el;
}
