/** The playground page: four tabs over one live copy of the server's state. */
import type { PlaygroundState } from '../protocol.js';
import { byId, fill, h } from './dom.js';
import { Store } from './store.js';
import { configLabView } from './views/config-lab.js';
import { faultsView } from './views/faults.js';
import { liveView } from './views/live.js';
import { pipelineApiView } from './views/pipeline-api.js';
import { runnerView } from './views/runner.js';
import { servicesView } from './views/services.js';

const store = new Store();
const TABS = ['chaos', 'scenarios', 'pipeline-api', 'config-lab'] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = { chaos: 'Chaos', scenarios: 'Scenarios', 'pipeline-api': 'Pipeline API', 'config-lab': 'Config lab' };

const panes: Record<Tab, HTMLElement> = {
  chaos: h('div', { class: 'pane', 'data-pane': 'chaos' }, h('div', { id: 'startup' }), servicesView(store), faultsView(store), liveView(store), activityView()),
  scenarios: h('div', { class: 'pane', 'data-pane': 'scenarios' }, runnerView(store)),
  'pipeline-api': h('div', { class: 'pane', 'data-pane': 'pipeline-api' }, pipelineApiView(store)),
  'config-lab': h('div', { class: 'pane', 'data-pane': 'config-lab' }, configLabView(store)),
};

function activityView(): HTMLElement {
  const log = h('pre', { class: 'log', id: 'activity' });
  store.on(['activity'], (s) => {
    log.textContent = s.activity.join('\n');
    log.scrollTop = log.scrollHeight;
  });
  return h('section', { class: 'card' }, h('h2', {}, 'Activity'), log);
}

function show(tab: Tab): void {
  for (const t of TABS) {
    panes[t].hidden = t !== tab;
    document.querySelector(`[data-tab="${t}"]`)?.classList.toggle('active', t === tab);
  }
  history.replaceState(null, '', `#${tab}`);
}

function header(): void {
  const status = h('span', { id: 'status', class: 'badge' });
  const conn = h('span', { id: 'conn', class: 'muted' }, 'connecting…');
  const links = h('span', { id: 'links' });
  fill(byId('top'), h('h1', {}, 'Tidemark playground'), status, conn, links,
    h('nav', {}, ...TABS.map((t) => h('button', { type: 'button', 'data-tab': t, onclick: () => show(t) }, LABELS[t]))),
    h('div', { id: 'toast', class: 'toast' }));
  store.on(['status', 'provider', 'links', 'error', 'startup'], (s: PlaygroundState) => {
    status.textContent = `${s.status} · ${s.provider}`;
    status.className = `badge ${s.status}`;
    status.setAttribute('data-status', s.status);
    fill(links, s.links.grafana ? h('a', { href: s.links.grafana, target: '_blank' }, 'Grafana') : null, ' ', s.links.prometheus ? h('a', { href: s.links.prometheus, target: '_blank' }, 'Prometheus') : null);
    const startup = document.getElementById('startup');
    if (startup) fill(startup, s.status === 'ready' ? null : h('section', { class: 'card' }, h('h2', {}, s.status === 'failed' ? 'Start-up failed' : 'Starting…'), s.error ? h('p', { class: 'bad' }, s.error) : null, h('pre', { class: 'log' }, s.startup.join('\n'))));
  });
  store.connect((open) => {
    conn.textContent = open ? '● live' : '○ reconnecting…';
    conn.setAttribute('data-open', String(open));
  });
}

header();
fill(byId('app'), ...TABS.map((t) => panes[t]));
const initial = location.hash.slice(1) as Tab;
show(TABS.includes(initial) ? initial : 'chaos');
