import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNamespace } from '../../runner/namespace.js';
import { sinkLayout } from '../../runner/sink-layout.js';
import { WARMUP_TABLE } from '../../runner/warm-up.js';
import { loadScenarioFile } from '../../scenarios/index.js';
import { WORKLOAD_TABLES } from '../../workload/index.js';
import type { LiveSession } from '../live/live-session.js';
import { PlaygroundError } from '../playground.js';
import type { SourceFamily } from '../protocol.js';
import { validateTemplate, type RenderContext, type TemplateCheck } from './validate-template.js';

/** The live pipeline's template and what it renders against. */
export function liveContext(live: LiveSession): RenderContext {
  const tables = live.prepared.tables;
  return { scenario: live.loaded.scenario.name, source: live.source, ns: live.ns, layout: live.prepared.layout, endpoints: live.prepared.endpoints, ...(tables ? { tables } : {}) };
}

export function liveTemplate(live: LiveSession): string {
  return readFileSync(live.loaded.pipelinePath, 'utf8');
}

/** An A/B run's template, rendered like the run will render it (same servers as the live pipeline). */
export function abContext(scenariosDir: string, scenarioName: string, source: SourceFamily, live: LiveSession): { ctx: RenderContext; template: string } {
  const loaded = loadScenarioFile(join(scenariosDir, `${scenarioName}.yaml`), scenariosDir);
  const s = loaded.scenario;
  if (!s.sources.includes(source)) throw new PlaygroundError(400, `${s.name} runs only for ${s.sources.join(', ')}`);
  const ns = runNamespace(s.name, source, 0, 'lab');
  const tables = s.workload.tables?.map((t) => (WORKLOAD_TABLES.some((w) => w.name === t) ? t : `chaos_${t}`));
  const layout = sinkLayout(s, ns, [...(tables ?? WORKLOAD_TABLES.map((t) => t.name)), WARMUP_TABLE.name]);
  const ctx: RenderContext = { scenario: s.name, source, ns, layout, endpoints: live.prepared.endpoints, ...(tables ? { tables } : {}) };
  return { ctx, template: readFileSync(loaded.pipelinePath, 'utf8') };
}

export function check(yaml: unknown, ctx: RenderContext): TemplateCheck {
  if (typeof yaml !== 'string') throw new PlaygroundError(400, 'expected a JSON body with a "yaml" string');
  return validateTemplate(yaml, ctx);
}
