import type { EngineView, PlaygroundState, ServiceView } from '../../protocol.js';
import { attempt, call, confirmed } from '../api.js';
import { fill, h } from '../dom.js';
import type { Store } from '../store.js';

const ACTIONS: readonly { action: string; label: string; title: string; ask?: string }[] = [
  { action: 'start', label: 'Start', title: 'start it (with its data)' },
  { action: 'stop', label: 'Stop', title: 'graceful stop (SIGTERM)', ask: 'Stop {name} (SIGTERM)?' },
  { action: 'kill', label: 'Kill', title: 'SIGKILL', ask: 'SIGKILL {name}?' },
  { action: 'restart', label: 'Restart', title: 'SIGTERM, then start' , ask: 'Restart {name} (SIGTERM, then start)?' },
  { action: 'kill-restart', label: 'Kill+start', title: 'SIGKILL, then start', ask: 'SIGKILL {name} and start it again?' },
];

function buttons(kind: 'services' | 'engines', name: string, enabled: boolean) {
  return h('span', { class: 'actions' }, ...ACTIONS.map((a) =>
    h('button', {
      type: 'button', class: 'small', title: a.title, 'data-action': a.action, disabled: !enabled,
      onclick: () => {
        if (a.ask && !confirmed(a.ask.replace('{name}', name))) return;
        void attempt(() => call('POST', `/api/${kind}/${encodeURIComponent(name)}/${a.action}`));
      },
    }, a.label)));
}

function proxyCell(s: ServiceView) {
  if (!s.proxy) return '';
  const toxics = s.proxy.toxics.map((t) => `${t.type}/${t.stream}`).join(', ');
  return h('span', { class: s.proxy.enabled ? '' : 'bad', 'data-proxy': s.proxy.enabled ? 'up' : 'down' }, s.proxy.enabled ? 'proxy up' : 'proxy DOWN', toxics ? ` · ${toxics}` : '');
}

function serviceRow(s: ServiceView) {
  return h('tr', { 'data-service': s.name, 'data-health': s.health },
    h('td', {}, h('strong', {}, s.name), h('span', { class: 'muted' }, ` ${s.kind}${s.role !== 'server' ? `, ${s.role}` : ''}${s.replicaOf ? ` of ${s.replicaOf}` : ''}`)),
    h('td', {}, h('span', { class: `badge ${s.health.replace(' ', '-')}`, title: s.detail ?? '' }, s.health)),
    h('td', { class: 'mono' }, s.pid ?? '–'),
    h('td', { class: 'mono' }, s.direct),
    h('td', { class: 'mono' }, s.proxied !== s.direct ? s.proxied : ''),
    h('td', {}, proxyCell(s)),
    h('td', {}, ['toxiproxy', 'http'].includes(s.name) ? '' : buttons('services', s.name, s.controllable)),
  );
}

function engineRow(e: EngineView) {
  const health = !e.running ? 'stopped' : e.health === 200 ? 'healthy' : e.health === null ? 'down' : `health ${e.health}`;
  const base = `/api/engines/${e.id}/api`;
  return h('tr', { 'data-engine': e.id, 'data-health': health },
    h('td', {}, h('strong', {}, `engine: ${e.id}`), h('span', { class: 'muted' }, ` ${e.label}`)),
    h('td', {}, h('span', { class: `badge ${health.replace(' ', '-')}` }, health)),
    h('td', { class: 'mono' }, e.pid ?? '–'),
    h('td', { colspan: 2 }, e.pipelines.map((p) => `${p.name} (${p.status})`).join(', ') || h('span', { class: 'muted' }, 'no pipelines')),
    h('td', {}, h('a', { href: `${base}/metrics`, target: '_blank' }, '/metrics'), ' ', h('a', { href: `${base}/openapi.json`, target: '_blank' }, '/openapi.json')),
    h('td', {}, buttons('engines', e.id, true)),
  );
}

/** The services panel: every server, Toxiproxy, each engine, with health and start/stop/kill. */
export function servicesView(store: Store): HTMLElement {
  const body = h('tbody');
  const el = h('section', { class: 'card', id: 'services' },
    h('h2', {}, 'Services'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['service', 'health', 'pid', 'address', 'proxied', 'proxy', ''].map((t) => h('th', {}, t)))), body),
  );
  store.on(['services', 'engines'], (s: PlaygroundState) => fill(body, ...s.services.map(serviceRow), ...s.engines.map(engineRow)));
  return el;
}
