import type { PlaygroundState } from '../../protocol.js';
import { attempt, call, confirmed } from '../api.js';
import { fill, h } from '../dom.js';
import type { Store } from '../store.js';

/** The engine's REST API: pipelines, state, checkpoints per sink, schemas, DLQ, actions, log level. */
export function pipelineApiView(store: Store): HTMLElement {
  const engine = h('select', { id: 'api-engine' }, h('option', { value: 'live' }, 'playground engine'));
  const pipeline = h('select', { id: 'api-pipeline' });
  const level = h('select', { id: 'api-log-level' }, ...['trace', 'debug', 'info', 'warn', 'error'].map((l) => h('option', { value: l }, l)));
  const out = h('pre', { id: 'api-result', class: 'result-pane' });
  const show = async (method: string, path: string, body?: unknown) => {
    await attempt(async () => {
      const result = await call(method, `/api/engines/${engine.value}/api${path}`, body);
      out.textContent = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
      out.setAttribute('data-path', path);
    });
  };
  const p = () => `/pipelines/${encodeURIComponent(pipeline.value)}`;
  const refresh = async () => {
    await attempt(async () => {
      const list = await call<{ name: string; status: string }[]>('GET', `/api/engines/${engine.value}/api/pipelines`);
      const chosen = pipeline.value;
      fill(pipeline, ...list.map((x) => h('option', { value: x.name, selected: x.name === chosen }, `${x.name} (${x.status})`)));
      out.textContent = JSON.stringify(list, null, 2);
    });
  };
  const button = (id: string, label: string, action: () => void) => h('button', { type: 'button', id, class: 'small', onclick: action }, label);

  const el = h('section', { class: 'card', id: 'pipeline-api' },
    h('h2', {}, 'Pipeline API'),
    h('div', { class: 'row' }, 'engine ', engine, button('api-refresh', 'List pipelines', () => void refresh()), ' pipeline ', pipeline),
    h('div', { class: 'row' },
      button('api-get', 'State', () => void show('GET', p())),
      button('api-checkpoints', 'Checkpoints', () => void show('GET', `${p()}/checkpoints`)),
      button('api-schemas', 'Schemas', () => void show('GET', `${p()}/schemas`)),
      button('api-dlq', 'DLQ entries', () => void show('GET', `${p()}/journal/dlq?limit=50`)),
      button('api-dlq-count', 'DLQ count', () => void show('GET', `${p()}/journal/dlq/count`))),
    h('div', { class: 'row' },
      button('api-pause', 'Pause', () => void show('POST', `${p()}/pause`)),
      button('api-resume', 'Resume', () => void show('POST', `${p()}/resume`)),
      button('api-stop', 'Stop', () => confirmed(`Stop pipeline ${pipeline.value} (graceful)?`) && void show('POST', `${p()}/stop`)),
      button('api-delete', 'Delete', () => confirmed(`Delete pipeline ${pipeline.value} and its checkpoints?`) && void show('DELETE', p()))),
    h('div', { class: 'row' }, 'log level ', level,
      button('api-log-set', 'Set', () => void show('PUT', '/log-level', { level: level.value })),
      button('api-log-get', 'Get', () => void show('GET', '/log-level')),
      button('api-health', '/health', () => void show('GET', '/health')),
      button('api-openapi', '/openapi.json', () => void show('GET', '/openapi.json')),
      button('api-metrics', '/metrics', () => void show('GET', '/metrics'))),
    out);

  store.on(['engines'], (s: PlaygroundState) => {
    const chosen = engine.value;
    fill(engine, ...s.engines.map((e) => h('option', { value: e.id, selected: e.id === chosen }, `${e.label} (${e.id})`)));
    if (pipeline.options.length === 0 && s.engines.length > 0) {
      const live = s.engines.find((e) => e.id === engine.value);
      fill(pipeline, ...(live?.pipelines ?? []).map((x) => h('option', { value: x.name }, `${x.name} (${x.status})`)));
    }
  });
  return el;
}
