import { ConfigError } from '@tidemark/engine/config/index';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { renderPipeline, type RenderedPipeline, type RenderInput } from '../../runner/pipeline-render.js';
import { WARMUP_TABLE } from '../../runner/warm-up.js';

/** What a pipeline template is rendered against: the run (or live pipeline) it is for. */
export type RenderContext = Pick<RenderInput, 'scenario' | 'source' | 'ns' | 'layout' | 'endpoints' | 'tables'>;

export interface TemplateProblem {
  /** The YAML path (`spec.batch.max_events`), or `line N, column M` for a syntax error. */
  readonly path: string;
  readonly reason: string;
  /** 1-based line of the offending node, when it can be found. */
  readonly line?: number;
}

export type TemplateCheck = { readonly valid: true; readonly rendered: RenderedPipeline } | { readonly valid: false; readonly problems: readonly TemplateProblem[] };

/** `spec.sinks[0].config.brokers` → ['spec', 'sinks', 0, 'config', 'brokers']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return out;
    if (m[1]) out.push(m[1]);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

/** The line of the deepest node on `path` that exists in the document. */
function lineOf(doc: Document, counter: LineCounter, path: string): number | undefined {
  const segments = pathSegments(path);
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * A pipeline template as the config lab edits it (with the runner's `${VAR}` placeholders),
 * validated by rendering it exactly as a run would (renderPipeline, which runs the engine's own
 * validateSpec): every problem names its YAML path, plus its line for the editor.
 */
export function validateTemplate(yaml: string, ctx: RenderContext): TemplateCheck {
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return { valid: false, problems: doc.errors.map((e) => ({ path: e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(document)', reason: e.message.split('\n')[0]!, ...(e.linePos?.[0] ? { line: e.linePos[0].line } : {}) })) };
  }
  try {
    const rendered = renderPipeline({
      templateText: yaml,
      file: 'config lab',
      scenario: ctx.scenario,
      source: ctx.source,
      ns: ctx.ns,
      layout: ctx.layout,
      endpoints: ctx.endpoints,
      ...(ctx.tables ? { tables: ctx.tables, extraTables: [WARMUP_TABLE.name] } : {}),
    });
    return { valid: true, rendered };
  } catch (e) {
    if (!(e instanceof ConfigError)) return { valid: false, problems: [{ path: '(document)', reason: e instanceof Error ? e.message : String(e) }] };
    return { valid: false, problems: e.problems.map((p) => ({ path: p.path, reason: p.reason, ...optionalLine(lineOf(doc, counter, p.path)) })) };
  }
}

const optionalLine = (line: number | undefined) => (line === undefined ? {} : { line });
