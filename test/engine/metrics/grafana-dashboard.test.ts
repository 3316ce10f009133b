import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PrometheusMetrics } from '../../../engine/src/metrics/index.js';

interface Panel {
  type: string;
  title: string;
  id: number;
  datasource?: { uid: string };
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync('grafana/dashboards/tidemark.json', 'utf8')) as { uid: string; panels: Panel[]; templating: { list: Array<{ name: string; query: string | { query: string } }> } };
const allowlist = (JSON.parse(readFileSync('grafana/unpanelled-metrics.json', 'utf8')) as { families: Record<string, string> }).families;

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

const exported = new PrometheusMetrics().registry.getMetricsAsArray().map((m) => ({ name: m.name, type: (m as unknown as { type: string }).type }));
const families = new Set(exported.map((m) => m.name));
const histograms = new Set(exported.filter((m) => m.type === 'histogram').map((m) => m.name));

/** The family a series name in a query belongs to (`x_bucket` of histogram `x` is `x`). */
function family(series: string): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  return m && histograms.has(m[1]!) ? m[1]! : series;
}

function queried(exprs: readonly string[]): Set<string> {
  return new Set(exprs.flatMap((e) => [...e.matchAll(/\btidemark_[A-Za-z0-9_]+/g)].map((m) => family(m[0]))));
}

const panels = allPanels(dashboard.panels);
const panelExprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const variableExprs = dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : v.query.query));

describe('Grafana dashboard', () => {
  it('queries only metric families the engine exports', () => {
    const unknown = [...queried([...panelExprs, ...variableExprs])].filter((name) => !families.has(name));
    expect(unknown).toEqual([]);
  });

  it('shows every exported family on some panel, or lists it with a reason as not panelled', () => {
    const shown = queried(panelExprs);
    const missing = [...families].filter((f) => !shown.has(f) && !(f in allowlist));
    expect(missing).toEqual([]);
    // The allowlist stays honest: every entry exists, is not on a panel after all, and has a reason.
    for (const [name, reason] of Object.entries(allowlist)) {
      expect(families.has(name), `${name} is not exported`).toBe(true);
      expect(shown.has(name), `${name} is on a panel; remove it from the allowlist`).toBe(false);
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  it('has the rows operators expect, panels that use the datasource variable, and unique ids', () => {
    const rows = panels.filter((p) => p.type === 'row').map((p) => p.title);
    for (const title of ['Fleet overview', 'Throughput', 'Latency & lag', 'Checkpoints & exactly-once', 'Dead letter queue', 'Errors & reliability', 'Batching']) expect(rows).toContain(title);
    const data = panels.filter((p) => p.type !== 'row');
    for (const p of data) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(dashboard.uid).toBe('tidemark-cdc');
  });

  it('is provisioned with a Prometheus datasource that scrapes the engine', () => {
    const ds = parse(readFileSync('grafana/provisioning/datasources/prometheus.yml', 'utf8')) as { datasources: Array<{ type: string; uid: string }> };
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', uid: 'prometheus' });
    const provider = parse(readFileSync('grafana/provisioning/dashboards/tidemark.yml', 'utf8')) as { providers: Array<{ options: { path: string } }> };
    expect(provider.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
    const prom = parse(readFileSync('grafana/prometheus/prometheus.yml', 'utf8')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    expect(prom.scrape_configs[0]!.static_configs[0]!.targets).toEqual(['engine:9000']);
  });
});
